import { eq } from 'drizzle-orm';
import { profiles } from '../../db/schema.js';
import type { Database } from '../../infra/db.js';

export interface ProfileFacts {
  country: string | null;
  locale: string;
  timezone: string;
}

const DEFAULT_FACTS: ProfileFacts = { country: null, locale: 'en-US', timezone: 'UTC' };

/**
 * The profile facts other modules need (quotas reset in the user's timezone; crisis resources
 * follow country and locale), read by primary key.
 */
export function createProfileReader(db: Database) {
  return async function profileOf(userId: string): Promise<ProfileFacts> {
    const [row] = await db
      .select({ country: profiles.country, locale: profiles.locale, timezone: profiles.timezone })
      .from(profiles)
      .where(eq(profiles.userId, userId));
    return row ?? DEFAULT_FACTS;
  };
}
