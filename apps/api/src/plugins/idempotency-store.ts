import { sql } from 'drizzle-orm';
import { rowsOf, type Executor } from '../infra/db.js';

/** One kept answer, as the database holds it (the body still encrypted). */
export interface StoredAnswer {
  fingerprint: string;
  status: number;
  contentType: string | null;
  bodyEnc: string;
  expiresAt: Date;
}

export interface NewStoredAnswer extends Omit<StoredAnswer, 'expiresAt'> {
  key: string;
  userId: string | null;
  createdAt: Date;
  expiresAt: Date;
}

/** The idempotency_keys table: the durable half of Idempotency-Key (the cache is the fast path). */
export function createIdempotencyStore(db: Executor) {
  return {
    async find(key: string, now: Date, tx: Executor = db): Promise<StoredAnswer | null> {
      const [row] = rowsOf<{ fingerprint: string; status: number; content_type: string | null; body_enc: string; expires_at: Date | string }>(
        await tx.execute(
          sql`select fingerprint, status, content_type, body_enc, expires_at from idempotency_keys where key = ${key} and expires_at > ${now.toISOString()}::timestamptz`,
        ),
      );
      if (!row) return null;
      return { fingerprint: row.fingerprint, status: Number(row.status), contentType: row.content_type, bodyEnc: row.body_enc, expiresAt: new Date(row.expires_at) };
    },

    /**
     * Inserts an answer; an expired row with the same key is replaced. Returns false when a live
     * answer already holds the key (inside a write's transaction the caller then aborts it). A
     * row for a user deleted meanwhile (DELETE /v1/me) is not written.
     */
    async insert(answer: NewStoredAnswer, tx: Executor = db): Promise<boolean> {
      const at = answer.createdAt.toISOString();
      const result = rowsOf<{ key: string }>(
        await tx.execute(sql`
          insert into idempotency_keys (key, user_id, fingerprint, status, content_type, body_enc, created_at, expires_at)
          select ${answer.key}, ${answer.userId}::uuid, ${answer.fingerprint}, ${answer.status}, ${answer.contentType}, ${answer.bodyEnc},
                 ${at}::timestamptz, ${answer.expiresAt.toISOString()}::timestamptz
          where ${answer.userId}::uuid is null or exists (select 1 from users where id = ${answer.userId}::uuid)
          on conflict (key) do update set
            user_id = excluded.user_id, fingerprint = excluded.fingerprint, status = excluded.status,
            content_type = excluded.content_type, body_enc = excluded.body_enc,
            created_at = excluded.created_at, expires_at = excluded.expires_at
          where idempotency_keys.expires_at <= excluded.created_at
          returning key`),
      );
      return result.length > 0;
    },

    /** Deletes expired answers (the hourly sweep job); returns how many. */
    async sweep(now: Date, tx: Executor = db): Promise<number> {
      const [row] = rowsOf<{ count: string | number }>(
        await tx.execute(
          sql`with deleted as (delete from idempotency_keys where expires_at <= ${now.toISOString()}::timestamptz returning 1) select count(*) as count from deleted`,
        ),
      );
      return Number(row?.count ?? 0);
    },
  };
}
export type IdempotencyStore = ReturnType<typeof createIdempotencyStore>;
