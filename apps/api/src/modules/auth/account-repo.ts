import { eq } from 'drizzle-orm';
import { users } from '../../db/schema.js';
import type { Executor } from '../../infra/db.js';

/** Account deletion: the user row goes, and every owned row with it (ON DELETE CASCADE). */
export function createAccountRepo(db: Executor) {
  return {
    async deleteUser(userId: string, tx: Executor = db): Promise<boolean> {
      const deleted = await tx.delete(users).where(eq(users.id, userId)).returning({ id: users.id });
      return deleted.length > 0;
    },
  };
}
