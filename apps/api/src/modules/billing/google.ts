import { readFileSync } from 'node:fs';
import { androidpublisher } from '@googleapis/androidpublisher';
import { JWT } from 'google-auth-library';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { z } from 'zod';
import type { GooglePurchase } from './fns.js';

/** Where google-auth-library sends service-account token requests; rewritten to the configured URL. */
const DEFAULT_TOKEN_URL = 'https://oauth2.googleapis.com/token';
const ANDROID_PUBLISHER_SCOPE = 'https://www.googleapis.com/auth/androidpublisher';
/** Issuers of the OIDC tokens Pub/Sub push attaches. */
const PUSH_ISSUERS = ['https://accounts.google.com', 'accounts.google.com'];

/** Why a Pub/Sub push was refused: `missing` and `unauthenticated` are 401s, `forbidden` a 403. */
export class GooglePushError extends Error {
  override name = 'GooglePushError';
  constructor(
    readonly refusal: 'missing' | 'unauthenticated' | 'forbidden',
    message: string,
  ) {
    super(message);
  }
}

type PublisherOptions = Extract<Parameters<typeof androidpublisher>[0], { version: 'v3' }>;

const BEARER = /^Bearer +([A-Za-z0-9\-_.]+) *$/i;

/**
 * Verifies the OIDC token a Pub/Sub push subscription sends: signed by Google (JWKS),
 * for our audience, as the configured service account with a verified email.
 */
export function createPushVerifier(options: { jwksUrl: string; audience: string; serviceAccountEmail: string; now: () => Date }) {
  const jwks = createRemoteJWKSet(new URL(options.jwksUrl), { timeoutDuration: 5_000 });
  return {
    async verify(authorization: string | undefined): Promise<void> {
      const token = authorization ? BEARER.exec(authorization)?.[1] : undefined;
      if (!token) throw new GooglePushError('missing', 'A Pub/Sub push carries `Authorization: Bearer <OIDC token>`.');
      let payload;
      try {
        ({ payload } = await jwtVerify(token, jwks, {
          issuer: PUSH_ISSUERS,
          audience: options.audience,
          algorithms: ['RS256'],
          currentDate: options.now(),
          clockTolerance: 60,
          requiredClaims: ['exp', 'iat'],
        }));
      } catch {
        throw new GooglePushError('unauthenticated', 'The push token is not a valid Google OIDC token for this audience.');
      }
      if (payload.email !== options.serviceAccountEmail) {
        throw new GooglePushError('forbidden', 'The push token was issued to another service account.');
      }
      if (payload.email_verified !== true) throw new GooglePushError('forbidden', "The push token's email is not verified.");
    },
  };
}
export type PushVerifier = ReturnType<typeof createPushVerifier>;

/** The DeveloperNotification inside a push message's base64 `data`. */
export const DeveloperNotification = z.object({
  version: z.string().optional(),
  packageName: z.string().min(1),
  eventTimeMillis: z.union([z.string().regex(/^\d{1,16}$/), z.number().int().nonnegative()]).transform(Number),
  subscriptionNotification: z
    .object({ version: z.string().optional(), notificationType: z.number().int(), purchaseToken: z.string().min(1).max(4096), subscriptionId: z.string().optional() })
    .optional(),
  voidedPurchaseNotification: z
    .object({ purchaseToken: z.string().min(1).max(4096), orderId: z.string().min(1), productType: z.number().int(), refundType: z.number().int().optional() })
    .optional(),
  oneTimeProductNotification: z.object({}).passthrough().optional(),
  testNotification: z.object({}).passthrough().optional(),
});
export type DeveloperNotification = z.infer<typeof DeveloperNotification>;

/** Decodes a push message's `data`; null when it is not a DeveloperNotification. */
export function decodeDeveloperNotification(data: string | undefined): DeveloperNotification | null {
  if (!data) return null;
  try {
    const parsed = DeveloperNotification.safeParse(JSON.parse(Buffer.from(data, 'base64').toString('utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

const ServiceAccount = z.object({ client_email: z.string().min(3), private_key: z.string().min(32) });

/** Reads a service-account key from a file or from its JSON. */
export function loadServiceAccount(source: { file?: string | undefined; json?: string | undefined }) {
  const text = source.json ?? (source.file ? readFileSync(source.file, 'utf8') : undefined);
  if (!text) throw new Error('no service-account credentials');
  return ServiceAccount.parse(JSON.parse(text));
}

/** A Google Play Developer API failure; `status` is the HTTP status when Google answered. */
export class PlayApiError extends Error {
  override name = 'PlayApiError';
  constructor(
    readonly status: number | undefined,
    message: string,
  ) {
    super(message);
  }
}

function statusOf(error: unknown): number | undefined {
  const candidate = error as { status?: unknown; response?: { status?: unknown } };
  const status = candidate.response?.status ?? candidate.status;
  return typeof status === 'number' ? status : undefined;
}

export interface PlayClientOptions {
  packageName: string;
  credentials: { client_email: string; private_key: string };
  apiBaseUrl: string;
  tokenUrl: string;
}

/**
 * The two Play Developer API calls billing needs, through a service account: OAuth access
 * tokens from google-auth-library (token URL configurable) and @googleapis/androidpublisher
 * (base URL configurable), so tests run against a local stand-in.
 */
export function createPlayClient(options: PlayClientOptions) {
  const auth = new JWT({ email: options.credentials.client_email, key: options.credentials.private_key, scopes: [ANDROID_PUBLISHER_SCOPE] });
  if (options.tokenUrl !== DEFAULT_TOKEN_URL) {
    const tokenUrl = new URL(options.tokenUrl);
    auth.transporter.interceptors.request.add({
      resolved: async (config) => {
        if (config.url.href === DEFAULT_TOKEN_URL) config.url = tokenUrl;
        return config;
      },
    });
  }
  const api = androidpublisher({
    version: 'v3',
    // googleapis-common pins its own copy of google-auth-library; the client is used by shape only.
    auth: auth as unknown as PublisherOptions['auth'],
    rootUrl: options.apiBaseUrl,
    timeout: 15_000,
    retry: false,
  });

  return {
    /** `purchases.subscriptionsv2.get`; null when Play does not know the token (400 Invalid Value, 404) or it expired 60 days ago (410). */
    async getSubscription(purchaseToken: string): Promise<GooglePurchase | null> {
      try {
        const response = await api.purchases.subscriptionsv2.get({ packageName: options.packageName, token: purchaseToken });
        return response.data as GooglePurchase;
      } catch (error) {
        const status = statusOf(error);
        if (status === 400 || status === 404 || status === 410) return null;
        throw new PlayApiError(status, `subscriptionsv2.get failed${status ? ` with HTTP ${status}` : ''}`);
      }
    },

    /** `purchases.subscriptions.acknowledge`, so Play does not refund the purchase after three days. */
    async acknowledge(subscriptionId: string, purchaseToken: string): Promise<void> {
      try {
        await api.purchases.subscriptions.acknowledge({
          packageName: options.packageName,
          subscriptionId,
          token: purchaseToken,
          requestBody: {},
        });
      } catch (error) {
        const status = statusOf(error);
        throw new PlayApiError(status, `subscriptions.acknowledge failed${status ? ` with HTTP ${status}` : ''}`);
      }
    },
  };
}
export type PlayClient = ReturnType<typeof createPlayClient>;
