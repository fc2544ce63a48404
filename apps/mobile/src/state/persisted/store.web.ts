import { PERSISTED_KEY, parsePersisted, type PersistedStore } from './schema';

/** Web: localStorage, read synchronously by the browser but kept behind the same async shape. */
export const persistedStore = {
  async read() {
    return parsePersisted(globalThis.localStorage?.getItem(PERSISTED_KEY) ?? null);
  },
  async write(state) {
    globalThis.localStorage?.setItem(PERSISTED_KEY, JSON.stringify(state));
  },
} satisfies PersistedStore;
