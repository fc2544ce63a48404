import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ConfigError, loadConfig } from '../../config.js';
import { createTestApp, type TestContext } from '../../test/app.js';
import { entitlementsOf, silentLog } from '../../test/billing-helpers.js';
import { registerUser } from '../../test/factories.js';
import { createAuditService } from '../audit/service.js';
import { createEntitlementsRepo } from '../entitlements/repo.js';
import { createEntitlementsService } from '../entitlements/service.js';
import { createBilling } from './index.js';

// No store is configured here: the default for a fresh install.
let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(async () => ctx?.close());

describe('GET /v1/billing/entitlements', () => {
  test('a new user is on the free plan, with what it unlocks and today’s usage', async () => {
    const user = await registerUser(ctx.app);
    const view = await entitlementsOf(ctx, user);
    expect(view).toMatchObject({
      plan: 'free',
      planName: 'Free',
      source: 'default',
      unlocks: { daily: { turns: 5, mirror_messages: 20, fragment_reframes: 10, lens_affirmations: 1 }, maxActiveGoals: 3, spectrum: false },
      expiresAt: null,
      inGrace: false,
      graceExpiresAt: null,
      willRenew: false,
      store: null,
      productId: null,
      status: null,
    });
    expect(view.quotas).toHaveLength(4);
    expect(view.quotas.find((q) => q.feature === 'turns')).toMatchObject({ used: 0, limit: 5 });
  });

  test('an operator grant shows with its end and no store', async () => {
    const user = await registerUser(ctx.app);
    const entitlements = createEntitlementsService({
      repo: createEntitlementsRepo(ctx.infra.database.db),
      cache: ctx.infra.cache,
      now: () => ctx.clock.now,
      audit: createAuditService({ db: ctx.infra.database.db }),
    });
    const until = new Date(ctx.clock.now.getTime() + 7 * 86_400_000);
    await entitlements.grantPlan(user.userId, 'prism_plus', { expiresAt: until, reason: 'support', grantedBy: 'test' });
    await entitlements.reserve(user.userId, 'turns', 'UTC');
    const view = await entitlementsOf(ctx, user);
    expect(view).toMatchObject({ plan: 'prism_plus', source: 'admin', store: null, expiresAt: until.toISOString(), willRenew: false });
    expect(view.quotas.find((q) => q.feature === 'turns')).toMatchObject({ used: 1, limit: 100 });
  });

  test('needs a signed-in user', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/v1/billing/entitlements' });
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });
});

describe('store endpoints without store configuration', () => {
  test.each<[string, string, Record<string, unknown>, RegExp]>([
    ['App Store notifications', '/v1/billing/webhooks/apple', { signedPayload: 'x.y.z' }, /APPLE_BUNDLE_ID/],
    ['App Store notifications, whatever the body', '/v1/billing/webhooks/apple', {}, /APPLE_ROOT_CERTIFICATES/],
    ['Google Play notifications', '/v1/billing/webhooks/google', { message: { messageId: '1' } }, /GOOGLE_PLAY_PACKAGE_NAME/],
  ])('%s answer 501 naming the variables to set', async (_name, url, payload, mentions) => {
    const res = await ctx.app.inject({ method: 'POST', url, payload });
    expect(res.statusCode, res.body).toBe(501);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ status: 501, code: 'not_implemented' });
    expect(res.json().detail).toMatch(mentions);
  });

  test.each<[string, string, Record<string, unknown>, RegExp]>([
    ['App Store purchases', '/v1/billing/apple/transactions', { signedTransaction: 'a.b.c' }, /APPLE_BUNDLE_ID/],
    ['Google Play purchases', '/v1/billing/google/purchases', { purchaseToken: 'abcdefghijkl' }, /GOOGLE_PLAY_SERVICE_ACCOUNT_FILE/],
  ])('%s answer 501 to a signed-in user, 401 to anyone else', async (_name, url, payload, mentions) => {
    const user = await registerUser(ctx.app);
    const res = await ctx.app.inject({ method: 'POST', url, payload, headers: user.auth });
    expect(res.statusCode, res.body).toBe(501);
    expect(res.json().detail).toMatch(mentions);
    expect((await ctx.app.inject({ method: 'POST', url, payload })).statusCode).toBe(401);
  });

  test('the OpenAPI document lists the billing routes with their answers', async () => {
    const doc = (await ctx.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    for (const path of ['/v1/billing/entitlements', '/v1/billing/apple/transactions', '/v1/billing/google/purchases', '/v1/billing/webhooks/apple', '/v1/billing/webhooks/google']) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    expect(Object.keys(doc.paths['/v1/billing/apple/transactions'].post.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '403', '404', '501', '503']));
    expect(Object.keys(doc.paths['/v1/billing/webhooks/google'].post.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '403', '501']));
  });
});

describe('billing configuration', () => {
  test.each<[string, Record<string, string>, RegExp]>([
    ['a bundle id without root certificates', { APPLE_BUNDLE_ID: 'app.kalei', APPLE_ENVIRONMENTS: 'Sandbox' }, /APPLE_ROOT_CERTIFICATES/],
    ['Production without the app Apple id', { APPLE_BUNDLE_ID: 'app.kalei', APPLE_ROOT_CERTIFICATES: '/nonexistent.cer' }, /APPLE_APP_APPLE_ID/],
    ['an unreadable root certificate', { APPLE_BUNDLE_ID: 'app.kalei', APPLE_ENVIRONMENTS: 'Sandbox', APPLE_ROOT_CERTIFICATES: '/nonexistent.cer' }, /cannot read/],
    ['part of an App Store Server API key', { APPLE_BUNDLE_ID: 'app.kalei', APPLE_ENVIRONMENTS: 'Sandbox', APPLE_ROOT_CERTIFICATES: '/x.cer', APPLE_API_KEY_ID: 'K' }, /APPLE_API_ISSUER_ID/],
    ['a package name without a service account', { GOOGLE_PLAY_PACKAGE_NAME: 'app.kalei' }, /GOOGLE_PLAY_SERVICE_ACCOUNT_FILE/],
    ['a service account that is not one', { GOOGLE_PLAY_PACKAGE_NAME: 'app.kalei', GOOGLE_PLAY_SERVICE_ACCOUNT_JSON: '{"type":"user"}' }, /GOOGLE_PLAY_SERVICE_ACCOUNT_JSON/],
  ])('stops the process on %s', (_name, env, message) => {
    const build = () => createBilling({ ...ctx.infra, config: loadConfig(env) }, silentLog);
    expect(build).toThrow(ConfigError);
    expect(build).toThrow(message);
  });

  test.each<[string, Record<string, string>, RegExp]>([
    ['a catalogue that is not JSON', { BILLING_PRODUCTS: '{nope' }, /BILLING_PRODUCTS/],
    ['a catalogue entry for another plan', { BILLING_PRODUCTS: '[{"store":"play","productId":"p","plan":"free","period":"P1M"}]' }, /BILLING_PRODUCTS/],
    ['the same product twice', { BILLING_PRODUCTS: '[{"store":"play","productId":"p","plan":"prism","period":"P1M"},{"store":"play","productId":"p","plan":"prism_plus","period":"P1M"}]' }, /same store product twice/],
    ['a base plan on an App Store product', { BILLING_PRODUCTS: '[{"store":"app_store","productId":"p","basePlanId":"m","plan":"prism","period":"P1M"}]' }, /Google Play products only/],
    ['an environment that skips signatures', { APPLE_ENVIRONMENTS: 'Production,Xcode' }, /APPLE_ENVIRONMENTS/],
  ])('refuses %s', (_name, env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
