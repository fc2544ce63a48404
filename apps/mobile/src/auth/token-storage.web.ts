import { AuthTokens } from '@kalei/contracts/auth';
import type { TokenStorage } from './token-storage.types';

const KEY = 'kalei.auth.tokens.v1';

// expo-secure-store throws on web. localStorage is the browser's equivalent here: the page is
// served by the API itself with no third-party scripts, and the refresh token is rotated on use.
export const tokenStorage = {
  async load() {
    return parseTokens(globalThis.localStorage?.getItem(KEY) ?? null);
  },
  async save(tokens) {
    globalThis.localStorage?.setItem(KEY, JSON.stringify(tokens));
  },
  async clear() {
    globalThis.localStorage?.removeItem(KEY);
  },
} satisfies TokenStorage;

/** Parses a stored token pair; anything unreadable counts as signed out. */
export function parseTokens(raw: string | null): AuthTokens | null {
  if (!raw) return null;
  try {
    const parsed = AuthTokens.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
