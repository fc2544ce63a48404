/**
 * A local stand-in for the Google side of Play billing, speaking the real wire formats:
 * the OAuth 2.0 token endpoint (JWT-bearer grant from a service account), the Play Developer
 * API's `purchases.subscriptionsv2.get` and `purchases.subscriptions.acknowledge`, and a JWKS
 * with a key that signs Pub/Sub push OIDC tokens.
 */
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, jwtVerify, SignJWT, type JWK } from 'jose';

/** The `aud` google-auth-library puts in its token-request assertion. */
const GOOGLE_TOKEN_AUDIENCE = 'https://oauth2.googleapis.com/token';

export interface PlayLineItem {
  productId: string;
  expiryTime: string;
  basePlanId?: string;
  autoRenewEnabled?: boolean;
  latestSuccessfulOrderId?: string;
  deferredProductId?: string;
}

/** A SubscriptionPurchaseV2 resource as `purchases.subscriptionsv2.get` returns it. */
export interface PlaySubscriptionPurchase {
  kind: 'androidpublisher#subscriptionPurchaseV2';
  regionCode: string;
  startTime: string;
  subscriptionState: string;
  latestOrderId: string;
  acknowledgementState: 'ACKNOWLEDGEMENT_STATE_PENDING' | 'ACKNOWLEDGEMENT_STATE_ACKNOWLEDGED';
  linkedPurchaseToken?: string;
  testPurchase?: Record<string, never>;
  externalAccountIdentifiers?: { obfuscatedExternalAccountId?: string };
  canceledStateContext?: Record<string, unknown>;
  pausedStateContext?: Record<string, unknown>;
  lineItems: {
    productId: string;
    expiryTime: string;
    latestSuccessfulOrderId?: string;
    autoRenewingPlan?: { autoRenewEnabled: boolean; recurringPrice?: { currencyCode: string; units: string; nanos: number } };
    offerDetails?: { basePlanId: string; offerTags?: string[] };
    deferredItemReplacement?: { productId: string };
  }[];
}

export interface PurchaseSpec {
  state:
    | 'SUBSCRIPTION_STATE_ACTIVE'
    | 'SUBSCRIPTION_STATE_IN_GRACE_PERIOD'
    | 'SUBSCRIPTION_STATE_CANCELED'
    | 'SUBSCRIPTION_STATE_ON_HOLD'
    | 'SUBSCRIPTION_STATE_PAUSED'
    | 'SUBSCRIPTION_STATE_EXPIRED'
    | 'SUBSCRIPTION_STATE_PENDING';
  items: PlayLineItem[];
  latestOrderId?: string;
  accountId?: string;
  linkedPurchaseToken?: string;
  acknowledged?: boolean;
  test?: boolean;
  startTime?: Date;
}

/** Builds a SubscriptionPurchaseV2 as Google shapes it. */
export function playPurchase(spec: PurchaseSpec): PlaySubscriptionPurchase {
  const latestOrderId = spec.latestOrderId ?? `GPA.3345-${randomBytes(2).readUInt16BE()}-${randomBytes(2).readUInt16BE()}-${randomBytes(3).readUIntBE(0, 3)}`;
  return {
    kind: 'androidpublisher#subscriptionPurchaseV2',
    regionCode: 'US',
    startTime: (spec.startTime ?? new Date()).toISOString(),
    subscriptionState: spec.state,
    latestOrderId,
    acknowledgementState: spec.acknowledged ? 'ACKNOWLEDGEMENT_STATE_ACKNOWLEDGED' : 'ACKNOWLEDGEMENT_STATE_PENDING',
    ...(spec.linkedPurchaseToken ? { linkedPurchaseToken: spec.linkedPurchaseToken } : {}),
    ...(spec.test ? { testPurchase: {} } : {}),
    ...(spec.accountId ? { externalAccountIdentifiers: { obfuscatedExternalAccountId: spec.accountId } } : {}),
    ...(spec.state === 'SUBSCRIPTION_STATE_CANCELED' ? { canceledStateContext: { userInitiatedCancellation: { cancelTime: new Date().toISOString() } } } : {}),
    lineItems: spec.items.map((item) => ({
      productId: item.productId,
      expiryTime: item.expiryTime,
      latestSuccessfulOrderId: item.latestSuccessfulOrderId ?? latestOrderId,
      autoRenewingPlan: { autoRenewEnabled: item.autoRenewEnabled ?? true, recurringPrice: { currencyCode: 'USD', units: '4', nanos: 990_000_000 } },
      offerDetails: { basePlanId: item.basePlanId ?? 'monthly', offerTags: [] },
      ...(item.deferredProductId ? { deferredItemReplacement: { productId: item.deferredProductId } } : {}),
    })),
  };
}

/** A Real-time developer notification, base64-encoded as Pub/Sub delivers it. */
export function developerNotification(
  packageName: string,
  body:
    | { subscriptionNotification: { notificationType: number; purchaseToken: string; subscriptionId?: string } }
    | { voidedPurchaseNotification: { purchaseToken: string; orderId: string; productType: number; refundType?: number } }
    | { testNotification: { version: string } }
    | { oneTimeProductNotification: { version: string; notificationType: number; purchaseToken: string; sku: string } },
  eventTime = new Date(),
): string {
  const notification = {
    version: '1.0',
    packageName,
    eventTimeMillis: String(eventTime.getTime()),
    ...('subscriptionNotification' in body ? { subscriptionNotification: { version: '1.0', ...body.subscriptionNotification } } : body),
  };
  return Buffer.from(JSON.stringify(notification)).toString('base64');
}

/** The Pub/Sub push request body. */
export function pushEnvelope(data: string | undefined, messageId = String(Date.now()) + randomBytes(3).readUIntBE(0, 3)) {
  return {
    message: { ...(data === undefined ? {} : { data }), messageId, message_id: messageId, publishTime: new Date().toISOString(), publish_time: new Date().toISOString() },
    subscription: 'projects/kalei-test/subscriptions/play-rtdn-push',
  };
}

export interface GooglePlayStandin {
  url: string;
  tokenUrl: string;
  jwksUrl: string;
  /** The service-account key JSON to configure (as GOOGLE_PLAY_SERVICE_ACCOUNT_JSON). */
  serviceAccountJson: string;
  serviceAccountEmail: string;
  /** The account Pub/Sub signs push tokens as. */
  pushServiceAccount: string;
  setPurchase(token: string, purchase: PlaySubscriptionPurchase | 'gone'): void;
  purchase(token: string): PlaySubscriptionPurchase | undefined;
  /** Tokens acknowledged, in order. */
  acknowledged: string[];
  /** Answer the next N Developer API calls with HTTP `status`. */
  failNext(count: number, status: number): void;
  /** Answer the next N acknowledge calls with HTTP 500 (gets still succeed). */
  failAcknowledgements(count: number): void;
  stats: { tokenRequests: number; getRequests: number };
  /** A Pub/Sub push OIDC token (RS256, signed by the JWKS key unless `foreignKey`). */
  pushToken(claims?: { aud?: string; email?: string; email_verified?: boolean; iss?: string; expiresInSeconds?: number; foreignKey?: boolean; at?: Date }): Promise<string>;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function googleError(code: number, status: string, message: string) {
  return JSON.stringify({ error: { code, message, errors: [{ message, domain: 'androidpublisher', reason: status.toLowerCase() }], status } });
}

/** Starts the stand-in on 127.0.0.1 with fresh keys. */
export async function startGooglePlayStandin(options: { packageName: string; pushAudience: string }): Promise<GooglePlayStandin> {
  const serviceAccount = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const serviceAccountEmail = `play-billing@kalei-test.iam.gserviceaccount.com`;
  const pushServiceAccount = `pubsub-push@kalei-test.iam.gserviceaccount.com`;
  const pushKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const foreignKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pushKid = randomBytes(8).toString('hex');
  const jwk: JWK = { ...(await exportJWK(pushKeys.publicKey)), kid: pushKid, alg: 'RS256', use: 'sig' };

  const purchases = new Map<string, PlaySubscriptionPurchase | 'gone'>();
  const accessTokens = new Set<string>();
  const acknowledged: string[] = [];
  const stats = { tokenRequests: 0, getRequests: 0 };
  let failures: { count: number; status: number } = { count: 0, status: 500 };
  let acknowledgementFailures = 0;

  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const send = (status: number, body: string) => res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' }).end(body);

      if (req.method === 'GET' && url.pathname === '/oauth2/v3/certs') return send(200, JSON.stringify({ keys: [jwk] }));

      if (req.method === 'POST' && url.pathname === '/token') {
        stats.tokenRequests += 1;
        const form = new URLSearchParams(await readBody(req));
        if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
          return send(400, JSON.stringify({ error: 'unsupported_grant_type', error_description: 'Invalid grant_type.' }));
        }
        try {
          const { payload } = await jwtVerify(form.get('assertion') ?? '', serviceAccount.publicKey, {
            algorithms: ['RS256'],
            issuer: serviceAccountEmail,
            audience: GOOGLE_TOKEN_AUDIENCE,
          });
          if (!String(payload.scope ?? '').split(' ').includes('https://www.googleapis.com/auth/androidpublisher')) throw new Error('scope');
        } catch {
          return send(400, JSON.stringify({ error: 'invalid_grant', error_description: 'Invalid JWT Signature.' }));
        }
        const accessToken = `ya29.${randomBytes(24).toString('base64url')}`;
        accessTokens.add(accessToken);
        return send(200, JSON.stringify({ access_token: accessToken, expires_in: 3599, token_type: 'Bearer' }));
      }

      const api = /^\/androidpublisher\/v3\/applications\/([^/]+)\/purchases\/(subscriptionsv2\/tokens\/([^/]+)|subscriptions\/([^/]+)\/tokens\/([^/:]+):acknowledge)$/.exec(url.pathname);
      if (!api) return send(404, googleError(404, 'NOT_FOUND', 'Not found.'));
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (!bearer || !accessTokens.has(bearer)) return send(401, googleError(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.'));
      if (failures.count > 0) {
        failures.count -= 1;
        return send(failures.status, googleError(failures.status, 'INTERNAL', 'Backend error.'));
      }
      if (decodeURIComponent(api[1]!) !== options.packageName) return send(404, googleError(404, 'NOT_FOUND', 'No application was found for the given package name.'));

      if (req.method === 'GET' && api[3]) {
        stats.getRequests += 1;
        const purchase = purchases.get(decodeURIComponent(api[3]));
        if (purchase === 'gone') return send(410, googleError(410, 'GONE', 'The subscription purchase is no longer available for query because it has been expired for too long.'));
        // Google answers an unknown or malformed token with 400 "Invalid Value".
        if (!purchase) return send(400, googleError(400, 'INVALID_ARGUMENT', 'Invalid Value'));
        return send(200, JSON.stringify(purchase));
      }
      if (req.method === 'POST' && api[5]) {
        if (acknowledgementFailures > 0) {
          acknowledgementFailures -= 1;
          return send(500, googleError(500, 'INTERNAL', 'Backend error.'));
        }
        const token = decodeURIComponent(api[5]);
        const purchase = purchases.get(token);
        if (!purchase || purchase === 'gone') return send(404, googleError(404, 'NOT_FOUND', 'The purchase token was not found.'));
        if (purchase.lineItems[0]?.productId !== decodeURIComponent(api[4]!)) return send(400, googleError(400, 'INVALID_ARGUMENT', 'The product id does not match.'));
        await readBody(req);
        purchase.acknowledgementState = 'ACKNOWLEDGEMENT_STATE_ACKNOWLEDGED';
        acknowledged.push(token);
        return res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' }).end('');
      }
      return send(405, googleError(405, 'METHOD_NOT_ALLOWED', 'Method not allowed.'));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  return {
    url: `${url}/`,
    tokenUrl: `${url}/token`,
    jwksUrl: `${url}/oauth2/v3/certs`,
    serviceAccountJson: JSON.stringify({
      type: 'service_account',
      project_id: 'kalei-test',
      private_key_id: randomBytes(20).toString('hex'),
      private_key: serviceAccount.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      client_email: serviceAccountEmail,
      client_id: '100000000000000000001',
      token_uri: GOOGLE_TOKEN_AUDIENCE,
    }),
    serviceAccountEmail,
    pushServiceAccount,
    setPurchase: (token, purchase) => purchases.set(token, purchase),
    purchase: (token) => {
      const purchase = purchases.get(token);
      return purchase === 'gone' ? undefined : purchase;
    },
    acknowledged,
    failNext(count, status) {
      failures = { count, status };
    },
    failAcknowledgements(count) {
      acknowledgementFailures = count;
    },
    stats,
    async pushToken(claims = {}) {
      const nowSeconds = Math.floor((claims.at ?? new Date()).getTime() / 1000);
      return new SignJWT({
        email: claims.email ?? pushServiceAccount,
        email_verified: claims.email_verified ?? true,
        azp: '110000000000000000002',
        sub: '110000000000000000002',
      })
        .setProtectedHeader({ alg: 'RS256', kid: pushKid, typ: 'JWT' })
        .setIssuer(claims.iss ?? 'https://accounts.google.com')
        .setAudience(claims.aud ?? options.pushAudience)
        .setIssuedAt(nowSeconds)
        .setExpirationTime(nowSeconds + (claims.expiresInSeconds ?? 3600))
        .setJti(randomUUID())
        .sign(claims.foreignKey ? foreignKeys.privateKey : pushKeys.privateKey);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
