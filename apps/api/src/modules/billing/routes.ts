import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  AppleNotificationRequest,
  AppleTransactionRequest,
  Catalogue,
  Entitlements,
  GooglePurchaseRequest,
  GooglePushRequest,
  PurchaseResult,
  WebhookAck,
} from '@kalei/contracts/billing';
import { Problem } from '@kalei/contracts/problem';
import { authOf } from '../../plugins/auth.js';
import type { BillingService } from './service.js';

/** The same problem schema under each status a route can answer with. */
function problems<const S extends number>(...statuses: S[]): Record<S, typeof Problem> {
  return Object.fromEntries(statuses.map((status) => [status, Problem])) as Record<S, typeof Problem>;
}

const bearer = [{ bearer: [] }];

/** §10.6 billing and entitlement routes; mounted under /v1 by index.ts. */
export const billingRoutes: FastifyPluginAsyncZod<{ service: BillingService }> = async (app, { service }) => {
  // Before body validation, so an unconfigured store answers 501 whatever is sent.
  const configured = (part: 'apple' | 'google' | 'google_push') => async () => service.assertConfigured(part);

  app.get(
    '/billing/entitlements',
    {
      preHandler: app.requireAuth,
      schema: {
        tags: ['billing'],
        summary: "The caller's plan, what it unlocks and today's usage",
        description:
          'The server is the entitlement authority: the plan comes from verified store subscriptions and operator grants. Includes expiry, grace, will-renew and store of the subscription that grants the plan. Works whether or not store billing is configured.',
        security: bearer,
        response: { 200: Entitlements, ...problems(401, 500) },
      },
    },
    async (request) => service.entitlementsFor(authOf(request).userId),
  );

  app.get(
    '/billing/catalogue',
    {
      schema: {
        tags: ['billing'],
        summary: 'The subscriptions the stores sell, with their plans, periods and reference prices',
        description:
          'Public, so the paywall can show plans and prices on every platform, signed in or not. `price` is the operator-configured reference price (null when none is set): the store charges its own price in the buyer’s currency. `purchasableIn` lists the stores whose billing this server has configured.',
        response: { 200: Catalogue, ...problems(500) },
      },
    },
    async () => service.catalogue(),
  );

  app.post(
    '/billing/apple/transactions',
    {
      preValidation: [app.requireAuth, configured('apple')],
      preHandler: app.idempotent,
      schema: {
        tags: ['billing'],
        summary: 'Apply a StoreKit 2 transaction the app just received (purchase or restore)',
        description:
          "Verified exactly like App Store notifications and applied at once, so the plan unlocks within this request. 400 malformed JWS or unknown product; 403 bad signature, another app's data or a refused environment; 404 when the transaction's appAccountToken names another account or the subscription is linked to another account; 501 when App Store billing is not configured; 503 when Apple's certificate status cannot be checked.",
        security: bearer,
        body: AppleTransactionRequest,
        response: { 200: PurchaseResult, ...problems(400, 401, 403, 404, 409, 413, 415, 422, 500, 501, 503) },
      },
    },
    async (request) =>
      service.submitAppleTransaction(authOf(request).userId, request.body.signedTransaction, request.body.signedRenewalInfo),
  );

  app.post(
    '/billing/google/purchases',
    {
      preValidation: [app.requireAuth, configured('google')],
      preHandler: app.idempotent,
      schema: {
        tags: ['billing'],
        summary: 'Apply a Google Play subscription purchase token the app just received',
        description:
          "The token's state is read from Google Play (`purchases.subscriptionsv2.get`), applied at once and acknowledged. 400 unknown product; 403 a test purchase where they are refused; 404 a token Google Play does not know, or whose obfuscatedExternalAccountId names another account, or that is linked to another account; 501 when Google Play billing is not configured; 503 when Google Play cannot be reached.",
        security: bearer,
        body: GooglePurchaseRequest,
        response: { 200: PurchaseResult, ...problems(400, 401, 403, 404, 409, 413, 415, 422, 500, 501, 503) },
      },
    },
    async (request) => service.submitGooglePurchase(authOf(request).userId, request.body.purchaseToken),
  );

  app.post(
    '/billing/webhooks/apple',
    {
      preValidation: configured('apple'),
      schema: {
        tags: ['billing'],
        summary: 'App Store Server Notifications V2',
        description:
          "Verifies `signedPayload` against Apple's root certificates (bundle id and environment checked), stores the event (deduplicated by notificationUUID) and queues its processing. 200 `accepted`, `duplicate`, or `ignored` (authentic but changes nothing: test, informational types, unknown product; recorded). 400 malformed; 403 bad signature, another app or a refused environment; 503 certificate status unavailable (Apple retries).",
        body: AppleNotificationRequest,
        response: { 200: WebhookAck, ...problems(400, 403, 413, 415, 500, 501, 503) },
      },
    },
    async (request) => service.receiveAppleNotification(request.body.signedPayload),
  );

  app.post(
    '/billing/webhooks/google',
    {
      preValidation: configured('google_push'),
      schema: {
        tags: ['billing'],
        summary: 'Google Play real-time developer notifications (Pub/Sub push)',
        description:
          "Verifies the push's OIDC token (Google-signed, audience and service account checked), stores the message (deduplicated by messageId) and queues processing, which reads the authoritative state from Google Play. 200 `accepted`, `duplicate`, or `ignored` (authentic but unusable: malformed data, another package, test notifications; recorded, so Pub/Sub stops retrying). 400 malformed envelope; 401 missing or invalid token; 403 another service account.",
        body: GooglePushRequest,
        response: { 200: WebhookAck, ...problems(400, 401, 403, 413, 415, 500, 501) },
      },
    },
    async (request) => service.receiveGooglePush(request.headers.authorization, request.body),
  );
};
