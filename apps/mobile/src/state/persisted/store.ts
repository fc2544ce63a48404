import AsyncStorage from '@react-native-async-storage/async-storage';
import { PERSISTED_KEY, parsePersisted, type PersistedStore } from './schema';

/** Native: AsyncStorage (app sandbox). */
export const persistedStore = {
  async read() {
    return parsePersisted(await AsyncStorage.getItem(PERSISTED_KEY));
  },
  async write(state) {
    await AsyncStorage.setItem(PERSISTED_KEY, JSON.stringify(state));
  },
} satisfies PersistedStore;
