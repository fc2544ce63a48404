import { sql } from 'drizzle-orm';
import type { ColumnCipher } from '../../infra/crypto.js';
import { rowsOf, type Database } from '../../infra/db.js';

/** Every encrypted column, with the key columns of its table. Contexts are `table.column:user_id`. */
export const encryptedColumns: { table: string; keys: string[]; columns: string[] }[] = [
  { table: 'turns', keys: ['id'], columns: ['thought_enc', 'context_enc', 'reframes_enc', 'micro_action_enc', 'save_note_enc'] },
  { table: 'mirror_messages', keys: ['id'], columns: ['content_enc'] },
  { table: 'mirror_fragments', keys: ['id'], columns: ['explanation_enc', 'reframe_enc'] },
  { table: 'mirror_sessions', keys: ['id'], columns: ['reflection_enc'] },
  { table: 'lens_goals', keys: ['id'], columns: ['title_enc', 'description_enc'] },
  { table: 'lens_actions', keys: ['id'], columns: ['title_enc'] },
  { table: 'lens_checkins', keys: ['id'], columns: ['note_enc'] },
  { table: 'lens_daily_content', keys: ['user_id', 'local_date'], columns: ['affirmation_enc', 'focus_enc'] },
  { table: 'spectrum_weekly', keys: ['id'], columns: ['narrative_enc'] },
  { table: 'spectrum_monthly', keys: ['id'], columns: ['narrative_enc'] },
];

/** The encryption context of a column's values: the same string the owning module uses. */
export function contextOf(table: string, column: string, userId: string): string {
  return `${table}.${column.replace(/_enc$/, '')}:${userId}`;
}

/**
 * Moves every value not under the active key to it, in batches; safe to stop and run again, and
 * to run while the API serves (each row is rewritten only if it still holds the value read).
 * Returns how many values moved, per table.column.
 */
export async function reencryptAll(db: Database, cipher: ColumnCipher, batchSize = 500): Promise<Record<string, number>> {
  const moved: Record<string, number> = {};
  const activePrefix = `enc1.${cipher.activeKid}.`;
  for (const { table, keys, columns } of encryptedColumns) {
    for (const column of columns) {
      let count = 0;
      for (;;) {
        const rows = rowsOf<Record<string, string>>(
          await db.execute(
            sql`select ${sql.raw(keys.map((k) => `${k}::text as "${k}"`).join(', '))}, user_id::text as "owner", ${sql.raw(column)} as "value"
                from ${sql.raw(table)} where ${sql.raw(column)} is not null and left(${sql.raw(column)}, ${activePrefix.length}) <> ${activePrefix}
                limit ${batchSize}`,
          ),
        );
        if (rows.length === 0) break;
        for (const row of rows) {
          const value = row.value!;
          const fresh = cipher.encrypt(cipher.decrypt(value, contextOf(table, column, row.owner!)), contextOf(table, column, row.owner!));
          const where = sql.join(
            keys.map((k) => sql`${sql.raw(k)}::text = ${row[k]!}`),
            sql` and `,
          );
          await db.execute(sql`update ${sql.raw(table)} set ${sql.raw(column)} = ${fresh} where ${where} and ${sql.raw(column)} = ${value}`);
          count += 1;
        }
      }
      if (count > 0) moved[`${table}.${column}`] = count;
    }
  }
  return moved;
}
