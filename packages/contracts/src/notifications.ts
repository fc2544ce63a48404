import { z } from 'zod';

/**
 * Push device contracts (/v1/notifications/*): a device registers the push token it was given,
 * with the provider that issued it. Preferences (channels, reminder time, quiet hours) live in the
 * profile (`@kalei/contracts/auth`).
 */

const timestamp = z.iso.datetime({ offset: true });

export const pushProviders = ['expo', 'apns', 'fcm'] as const;
export const PushProvider = z.enum(pushProviders);
export type PushProvider = z.infer<typeof PushProvider>;

export const devicePlatforms = ['ios', 'android', 'web'] as const;
export const DevicePlatform = z.enum(devicePlatforms);
export type DevicePlatform = z.infer<typeof DevicePlatform>;

/** `ExponentPushToken[…]` / `ExpoPushToken[…]` (what expo-notifications returns), or the bare UUID form. */
const EXPO_TOKEN = /^(?:Expo(?:nent)?PushToken\[[A-Za-z0-9_-]{8,200}\]|[a-z\d]{8}-[a-z\d]{4}-[a-z\d]{4}-[a-z\d]{4}-[a-z\d]{12})$/i;
/** An APNs device token: hex, 32 bytes today, longer allowed. */
const APNS_TOKEN = /^[0-9a-f]{64,200}$/i;
/** An FCM registration token. */
const FCM_TOKEN = /^[A-Za-z0-9_:-]{32,4096}$/;

const tokenFormat: Record<PushProvider, { pattern: RegExp; example: string }> = {
  expo: { pattern: EXPO_TOKEN, example: 'ExponentPushToken[xxxxxxxxxxxxxxxxxxxxxx]' },
  apns: { pattern: APNS_TOKEN, example: '64 hexadecimal characters' },
  fcm: { pattern: FCM_TOKEN, example: 'the FCM registration token' },
};

/** Loose on purpose: one request schema whose token format depends on the provider (checked below). */
export const PushToken = z.string().trim().min(1).max(4096);

/**
 * POST /v1/notifications/devices. Registering a token that another account holds moves it to the
 * caller (the phone changed hands or accounts); the same token again just refreshes the row.
 */
export const RegisterDeviceRequest = z
  .strictObject({
    token: PushToken,
    provider: PushProvider,
    platform: DevicePlatform,
    appVersion: z
      .string()
      .trim()
      .min(1)
      .max(32)
      .regex(/^[0-9A-Za-z.+_-]+$/, 'Use a version such as 1.4.2 or 1.4.2+57.')
      .nullable()
      .optional(),
  })
  .superRefine((value, ctx) => {
    const format = tokenFormat[value.provider];
    if (!format.pattern.test(value.token)) {
      ctx.addIssue({ code: 'custom', path: ['token'], message: `Not a ${value.provider} push token (expected ${format.example}).` });
    }
  });
export type RegisterDeviceRequest = z.infer<typeof RegisterDeviceRequest>;

/** A registered device as its owner sees it; the token itself is never echoed. */
export const PushDevice = z
  .object({
    id: z.uuid(),
    provider: PushProvider,
    platform: DevicePlatform,
    appVersion: z.string().nullable(),
    createdAt: timestamp,
    lastSeenAt: timestamp,
  })
  .meta({ id: 'PushDevice' });
export type PushDevice = z.infer<typeof PushDevice>;

export const DeviceIdParams = z.strictObject({ id: z.uuid() });

/** Kinds of notification Kalei sends; each maps to a channel of the notification preferences. */
export const notificationKinds = ['daily_reminder', 'weekly_summary', 'streak_at_risk', 'spectrum_weekly'] as const;
export const NotificationKind = z.enum(notificationKinds);
export type NotificationKind = z.infer<typeof NotificationKind>;
