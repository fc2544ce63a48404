import { eq } from 'drizzle-orm';
import { profiles } from '../../db/schema.js';
import type { Cache } from '../../infra/cache.js';
import type { Database } from '../../infra/db.js';

export interface ProfileFacts {
  country: string | null;
  locale: string;
  timezone: string;
}

const DEFAULT_FACTS: ProfileFacts = { country: null, locale: 'en-US', timezone: 'UTC' };
const PROFILE_CACHE_MS = 5 * 60_000;

/** Cache key of a user's profile facts; the auth service clears it on every profile change. */
export function profileCacheKey(userId: string): string {
  return `profile:${userId}`;
}

/**
 * The profile facts other modules need on every AI request (quotas reset in the user's timezone;
 * crisis resources follow country and locale), read through the cache.
 */
export function createProfileReader(db: Database, cache: Pick<Cache, 'get' | 'set'>) {
  return async function profileOf(userId: string): Promise<ProfileFacts> {
    const cached = await cache.get(profileCacheKey(userId));
    if (cached) return JSON.parse(cached) as ProfileFacts;
    const [row] = await db
      .select({ country: profiles.country, locale: profiles.locale, timezone: profiles.timezone })
      .from(profiles)
      .where(eq(profiles.userId, userId));
    const facts = row ?? DEFAULT_FACTS;
    if (row) await cache.set(profileCacheKey(userId), JSON.stringify(facts), PROFILE_CACHE_MS);
    return facts;
  };
}
