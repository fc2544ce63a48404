import { hash, parseOptions, verify, type Algorithm } from '@node-rs/argon2';
import { ARGON2ID, needsRehash, type Argon2Params } from './fns.js';

/**
 * Argon2id password hashing with the configured parameters. Hashing runs on libuv's thread pool,
 * so it does not block the event loop.
 */
export function createPasswordHasher(params: Argon2Params) {
  const options = { ...params, algorithm: ARGON2ID as Algorithm };
  // Verified against when an email is unknown, so that answer takes as long as a wrong password.
  let dummy: Promise<string> | undefined;

  return {
    hash(password: string): Promise<string> {
      return hash(password, options);
    },

    /** False for a wrong password and for a hash that cannot be read. */
    async verify(stored: string, password: string): Promise<boolean> {
      try {
        return await verify(stored, password);
      } catch {
        return false;
      }
    },

    /** Spends the time of one verification and answers false. */
    async verifyDummy(password: string): Promise<false> {
      dummy ??= hash('kalei-dummy-password-for-timing', options);
      await verify(await dummy, password).catch(() => false);
      return false;
    },

    /** True when the stored hash was made with other parameters than the configured ones. */
    needsRehash(stored: string): boolean {
      try {
        return needsRehash(parseOptions(stored), params);
      } catch {
        return true;
      }
    },
  };
}

export type PasswordHasher = ReturnType<typeof createPasswordHasher>;
