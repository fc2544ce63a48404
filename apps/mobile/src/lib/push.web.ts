import type { RegisterForPush } from './push.types';

/** Web: reminders are delivered to the mobile apps only. */
export const registerForPush: RegisterForPush = async () => 'unsupported';
