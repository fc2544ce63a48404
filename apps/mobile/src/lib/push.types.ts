import type { ApiClient } from '../api/client';

/** The outcome of asking for push permission and registering the device's token with the API. */
export type PushRegistration = 'registered' | 'denied' | 'unsupported';

export type RegisterForPush = (api: ApiClient) => Promise<PushRegistration>;
