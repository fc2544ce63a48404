import { z } from 'zod';

/**
 * Auth and profile contracts (§10.1): every request and response of /v1/auth/* and /v1/me,
 * the password policy the API enforces, and the profile and notification-preference shapes.
 * Request bodies are strict: unknown fields are a 400.
 */

// ---------------------------------------------------------------- building blocks

const timestamp = z.iso.datetime({ offset: true });

/** An email address, trimmed and lower-cased: addresses are unique case-insensitively. */
export const Email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .check(z.regex(z.regexes.email, 'Enter a valid email address.'))
  .meta({ format: 'email', example: 'ada@example.com' });

/**
 * The password policy. The API checks it on register and answers `weak_password` listing every
 * rule that failed; the app may check the lengths before sending.
 */
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 128;
export const passwordRules = ['too_short', 'too_long', 'repetitive', 'contains_email', 'common'] as const;
export const PasswordRule = z.enum(passwordRules);
export type PasswordRule = z.infer<typeof PasswordRule>;
/** What each failed rule tells the person choosing the password. */
export const passwordRuleMessages: Record<PasswordRule, string> = {
  too_short: `Use at least ${PASSWORD_MIN_LENGTH} characters.`,
  too_long: `Use at most ${PASSWORD_MAX_LENGTH} characters.`,
  repetitive: 'Use more than two different characters.',
  contains_email: 'Do not use your email address as your password.',
  common: 'This password is too common; choose something less guessable.',
};

/** A password as sent; the policy is checked by the API (register) so every failed rule is reported at once. */
const PasswordInput = z.string().min(1).max(1024);

/** IANA time zone name, e.g. `Europe/Paris`; stored in its canonical spelling. */
export const TimeZone = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+){0,2}$/, 'Use an IANA time zone name such as Europe/Paris.')
  .refine(isTimeZone, 'Unknown time zone.')
  .overwrite(canonicalTimeZone)
  .meta({ example: 'Europe/Paris' });

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

function canonicalTimeZone(value: string): string {
  try {
    return new Intl.DateTimeFormat('en', { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    return value;
  }
}

/** BCP 47 language tag, e.g. `en-US`; stored in its canonical spelling. */
export const Locale = z
  .string()
  .min(2)
  .max(35)
  .regex(/^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$/, 'Use a BCP 47 language tag such as en-US.')
  .refine(isLocale, 'Unknown language tag.')
  .overwrite(canonicalLocale)
  .meta({ example: 'en-US' });

function isLocale(value: string): boolean {
  try {
    return Intl.getCanonicalLocales(value).length === 1;
  } catch {
    return false;
  }
}

function canonicalLocale(value: string): string {
  try {
    return Intl.getCanonicalLocales(value)[0] ?? value;
  } catch {
    return value;
  }
}

/** ISO 3166-1 alpha-2 country codes (officially assigned). */
export const countryCodes = [
  'AD', 'AE', 'AF', 'AG', 'AI', 'AL', 'AM', 'AO', 'AQ', 'AR', 'AS', 'AT', 'AU', 'AW', 'AX', 'AZ',
  'BA', 'BB', 'BD', 'BE', 'BF', 'BG', 'BH', 'BI', 'BJ', 'BL', 'BM', 'BN', 'BO', 'BQ', 'BR', 'BS', 'BT', 'BV', 'BW', 'BY', 'BZ',
  'CA', 'CC', 'CD', 'CF', 'CG', 'CH', 'CI', 'CK', 'CL', 'CM', 'CN', 'CO', 'CR', 'CU', 'CV', 'CW', 'CX', 'CY', 'CZ',
  'DE', 'DJ', 'DK', 'DM', 'DO', 'DZ', 'EC', 'EE', 'EG', 'EH', 'ER', 'ES', 'ET', 'FI', 'FJ', 'FK', 'FM', 'FO', 'FR',
  'GA', 'GB', 'GD', 'GE', 'GF', 'GG', 'GH', 'GI', 'GL', 'GM', 'GN', 'GP', 'GQ', 'GR', 'GS', 'GT', 'GU', 'GW', 'GY',
  'HK', 'HM', 'HN', 'HR', 'HT', 'HU', 'ID', 'IE', 'IL', 'IM', 'IN', 'IO', 'IQ', 'IR', 'IS', 'IT', 'JE', 'JM', 'JO', 'JP',
  'KE', 'KG', 'KH', 'KI', 'KM', 'KN', 'KP', 'KR', 'KW', 'KY', 'KZ', 'LA', 'LB', 'LC', 'LI', 'LK', 'LR', 'LS', 'LT', 'LU', 'LV', 'LY',
  'MA', 'MC', 'MD', 'ME', 'MF', 'MG', 'MH', 'MK', 'ML', 'MM', 'MN', 'MO', 'MP', 'MQ', 'MR', 'MS', 'MT', 'MU', 'MV', 'MW', 'MX', 'MY', 'MZ',
  'NA', 'NC', 'NE', 'NF', 'NG', 'NI', 'NL', 'NO', 'NP', 'NR', 'NU', 'NZ', 'OM',
  'PA', 'PE', 'PF', 'PG', 'PH', 'PK', 'PL', 'PM', 'PN', 'PR', 'PS', 'PT', 'PW', 'PY', 'QA', 'RE', 'RO', 'RS', 'RU', 'RW',
  'SA', 'SB', 'SC', 'SD', 'SE', 'SG', 'SH', 'SI', 'SJ', 'SK', 'SL', 'SM', 'SN', 'SO', 'SR', 'SS', 'ST', 'SV', 'SX', 'SY', 'SZ',
  'TC', 'TD', 'TF', 'TG', 'TH', 'TJ', 'TK', 'TL', 'TM', 'TN', 'TO', 'TR', 'TT', 'TV', 'TW', 'TZ',
  'UA', 'UG', 'UM', 'US', 'UY', 'UZ', 'VA', 'VC', 'VE', 'VG', 'VI', 'VN', 'VU', 'WF', 'WS', 'YE', 'YT', 'ZA', 'ZM', 'ZW',
] as const;
const countrySet: ReadonlySet<string> = new Set(countryCodes);

/** ISO 3166-1 alpha-2 country code, upper-cased. */
export const Country = z
  .string()
  .trim()
  .toUpperCase()
  .length(2)
  .refine((value) => countrySet.has(value), 'Use an ISO 3166-1 alpha-2 country code such as GB.')
  .meta({ example: 'GB' });

/** A name the person chose to be called by: 1–60 characters, no control characters. */
export const DisplayName = z
  .string()
  .trim()
  .min(1)
  .max(60)
  .regex(/^[^\p{Cc}]*$/u, 'Control characters are not allowed.');

/** Local wall-clock time `HH:MM` (24 h). */
export const LocalTime = z
  .string()
  .regex(/^(?:[01]\d|2[0-3]):[0-5]\d$/, 'Use HH:MM (24-hour).')
  .meta({ example: '20:30' });

export const platforms = ['ios', 'android', 'web', 'other'] as const;
export const Platform = z.enum(platforms);

/** What the client says about the device a session is opened on; shown in the device list. */
export const DeviceInfo = z.strictObject({
  name: z.string().trim().min(1).max(100).regex(/^[^\p{Cc}]*$/u).optional(),
  platform: Platform.optional(),
});
export type DeviceInfo = z.infer<typeof DeviceInfo>;

// ---------------------------------------------------------------- profile and notification preferences

export const notificationChannels = ['daily_reminder', 'weekly_summary', 'streak'] as const;
export const NotificationChannel = z.enum(notificationChannels);
export type NotificationChannel = z.infer<typeof NotificationChannel>;

function quietHoursDiffer(value: { start: string; end: string }): boolean {
  return value.start !== value.end;
}
const quietHoursMessage = { message: 'Quiet hours must start and end at different times.', path: ['end'] };

/** Quiet hours in the profile's time zone; `start` after `end` spans midnight. */
export const QuietHours = z.object({ start: LocalTime, end: LocalTime }).refine(quietHoursDiffer, quietHoursMessage);

export const NotificationPreferences = z
  .object({
    /** Local time of the daily reminder; null: no reminder time chosen. */
    reminderTime: LocalTime.nullable(),
    quietHours: QuietHours.nullable(),
    /** Each channel is opt-in. */
    channels: z.object({ daily_reminder: z.boolean(), weekly_summary: z.boolean(), streak: z.boolean() }),
  })
  .meta({ id: 'NotificationPreferences' });
export type NotificationPreferences = z.infer<typeof NotificationPreferences>;

/** What a profile starts with: every channel off until the person opts in. */
export const defaultNotificationPreferences: NotificationPreferences = {
  reminderTime: null,
  quietHours: { start: '22:00', end: '07:00' },
  channels: { daily_reminder: false, weekly_summary: false, streak: false },
};

/** A partial update: only the fields present change; channels merge one by one. */
export const NotificationPreferencesPatch = z.strictObject({
  reminderTime: LocalTime.nullable().optional(),
  quietHours: z.strictObject({ start: LocalTime, end: LocalTime }).refine(quietHoursDiffer, quietHoursMessage).nullable().optional(),
  channels: z
    .strictObject({ daily_reminder: z.boolean().optional(), weekly_summary: z.boolean().optional(), streak: z.boolean().optional() })
    .optional(),
});
export type NotificationPreferencesPatch = z.infer<typeof NotificationPreferencesPatch>;

export const Profile = z
  .object({
    displayName: z.string().nullable(),
    locale: z.string(),
    country: z.string().nullable(),
    timezone: z.string(),
    notificationPreferences: NotificationPreferences,
    updatedAt: timestamp,
  })
  .meta({ id: 'Profile' });
export type Profile = z.infer<typeof Profile>;

/** PATCH /v1/me/profile: at least one field; null clears display name and country. */
export const ProfilePatchRequest = z
  .strictObject({
    displayName: DisplayName.nullable().optional(),
    locale: Locale.optional(),
    country: Country.nullable().optional(),
    timezone: TimeZone.optional(),
    notificationPreferences: NotificationPreferencesPatch.optional(),
  })
  .refine((value) => Object.keys(value).length > 0, 'Send at least one field to change.');
export type ProfilePatchRequest = z.infer<typeof ProfilePatchRequest>;

export const identityProviders = ['apple', 'google'] as const;
export const IdentityProvider = z.enum(identityProviders);
export type IdentityProvider = z.infer<typeof IdentityProvider>;

/** GET /v1/me: the signed-in account and its profile. */
export const Me = z
  .object({
    id: z.uuid(),
    email: z.string().nullable(),
    /** False for accounts that only sign in with Apple or Google. */
    hasPassword: z.boolean(),
    identities: z.array(IdentityProvider),
    createdAt: timestamp,
    profile: Profile,
  })
  .meta({ id: 'Me' });
export type Me = z.infer<typeof Me>;

// ---------------------------------------------------------------- tokens

/**
 * A token pair. The access token is a short-lived EdDSA JWT for `Authorization: Bearer`; the
 * refresh token is opaque, single-use (each refresh returns a new one) and tied to one device session.
 */
export const AuthTokens = z
  .object({
    tokenType: z.literal('Bearer'),
    accessToken: z.string(),
    accessTokenExpiresAt: timestamp,
    /** Seconds until the access token expires. */
    expiresIn: z.number().int(),
    refreshToken: z.string(),
    /** When this refresh token lapses if unused (the session's inactivity timeout or its absolute end). */
    refreshTokenExpiresAt: timestamp,
    sessionId: z.uuid(),
  })
  .meta({ id: 'AuthTokens' });
export type AuthTokens = z.infer<typeof AuthTokens>;

/** Answer of register, login and social sign-in. */
export const AuthResult = z
  .object({
    user: Me,
    tokens: AuthTokens,
    /** True when this request created the account. */
    isNewUser: z.boolean(),
  })
  .meta({ id: 'AuthResult' });
export type AuthResult = z.infer<typeof AuthResult>;

// ---------------------------------------------------------------- requests

/** Profile fields a new account can start with. */
const ProfileSeed = {
  displayName: DisplayName.optional(),
  locale: Locale.optional(),
  timezone: TimeZone.optional(),
  country: Country.optional(),
};

export const RegisterRequest = z.strictObject({
  email: Email,
  password: PasswordInput,
  ...ProfileSeed,
  device: DeviceInfo.optional(),
});
export type RegisterRequest = z.infer<typeof RegisterRequest>;

export const LoginRequest = z.strictObject({
  email: Email,
  password: PasswordInput,
  device: DeviceInfo.optional(),
});
export type LoginRequest = z.infer<typeof LoginRequest>;

const OpaqueToken = z.string().min(1).max(512);

export const RefreshRequest = z.strictObject({ refreshToken: OpaqueToken });
export type RefreshRequest = z.infer<typeof RefreshRequest>;

/**
 * POST /v1/auth/logout ends the session of the Bearer access token; without a valid one, the
 * session of `refreshToken` (so a client whose access token expired can still sign out).
 */
export const LogoutRequest = z.strictObject({ refreshToken: OpaqueToken.optional() });
export type LogoutRequest = z.infer<typeof LogoutRequest>;

const IdToken = z.string().min(1).max(16_384);

/**
 * Sign in with Apple: the identity token from ASAuthorizationAppleIDCredential and the raw nonce
 * the app generated (Apple puts its SHA-256 hex in the token). Apple sends the name only on the
 * first authorization, so the app passes it here.
 */
export const AppleSignInRequest = z.strictObject({
  idToken: IdToken,
  nonce: z.string().min(16).max(256),
  ...ProfileSeed,
  device: DeviceInfo.optional(),
});
export type AppleSignInRequest = z.infer<typeof AppleSignInRequest>;

/** Sign in with Google: the ID token; `nonce`, when the app set one, must equal the token's. */
export const GoogleSignInRequest = z.strictObject({
  idToken: IdToken,
  nonce: z.string().min(16).max(256).optional(),
  ...ProfileSeed,
  device: DeviceInfo.optional(),
});
export type GoogleSignInRequest = z.infer<typeof GoogleSignInRequest>;

// ---------------------------------------------------------------- device sessions

export const DeviceSession = z
  .object({
    id: z.uuid(),
    deviceName: z.string().nullable(),
    platform: z.string().nullable(),
    userAgent: z.string().nullable(),
    createdAt: timestamp,
    lastUsedAt: timestamp,
    /** The absolute end of the session. */
    expiresAt: timestamp,
    /** When the session ends if it is not used before then. */
    idleExpiresAt: timestamp,
    /** True for the session of the access token that asked. */
    current: z.boolean(),
  })
  .meta({ id: 'DeviceSession' });
export type DeviceSession = z.infer<typeof DeviceSession>;

export const SessionList = z.object({ sessions: z.array(DeviceSession) });
export type SessionList = z.infer<typeof SessionList>;

export const SessionIdParams = z.strictObject({ id: z.uuid() });

export const RevokeOthersResponse = z.object({ revoked: z.number().int().min(0) });
export type RevokeOthersResponse = z.infer<typeof RevokeOthersResponse>;
