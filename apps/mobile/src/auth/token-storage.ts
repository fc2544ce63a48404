import { AuthTokens } from '@kalei/contracts/auth';
import * as SecureStore from 'expo-secure-store';
import type { TokenStorage } from './token-storage.types';

const KEY = 'kalei.auth.tokens.v1';

/** Native: the Keychain (iOS) or the Keystore-backed store (Android), readable only after first unlock. */
export const tokenStorage = {
  async load() {
    const raw = await SecureStore.getItemAsync(KEY);
    return parseTokens(raw);
  },
  async save(tokens) {
    await SecureStore.setItemAsync(KEY, JSON.stringify(tokens), { keychainAccessible: SecureStore.AFTER_FIRST_UNLOCK });
  },
  async clear() {
    await SecureStore.deleteItemAsync(KEY);
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
