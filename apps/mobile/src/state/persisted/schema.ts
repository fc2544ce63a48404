import { z } from 'zod';

/** Small device-local preferences. Parsed on every read; anything unreadable falls back to the defaults. */
export const PersistedState = z.object({
  /** The first-run explanation was read. */
  onboardingDone: z.boolean().catch(false),
  /** The email last used to sign in on this device, to prefill the form. */
  lastEmail: z.string().max(254).nullable().catch(null),
  /** We asked for push permission already (asking twice annoys; the OS only shows it once anyway). */
  pushPermissionAsked: z.boolean().catch(false),
});
export type PersistedState = z.infer<typeof PersistedState>;

export const defaultPersistedState: PersistedState = {
  onboardingDone: false,
  lastEmail: null,
  pushPermissionAsked: false,
};

/** Parses stored JSON into the state, field by field, never throwing. */
export function parsePersisted(raw: string | null): PersistedState {
  if (!raw) return defaultPersistedState;
  try {
    const parsed = PersistedState.safeParse({ ...defaultPersistedState, ...JSON.parse(raw) });
    return parsed.success ? parsed.data : defaultPersistedState;
  } catch {
    return defaultPersistedState;
  }
}

/** Where persisted state lives on a platform. */
export interface PersistedStore {
  read(): Promise<PersistedState>;
  write(state: PersistedState): Promise<void>;
}

export const PERSISTED_KEY = 'kalei.persisted.v1';
