import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../../config.js';
import { createTestApp, type TestContext } from '../../test/app.js';

const products = [
  { store: 'app_store', productId: 'app.kalei.prism.monthly', plan: 'prism', period: 'P1M', price: '4.99', currency: 'USD' },
  { store: 'play', productId: 'prism_plus', basePlanId: 'yearly', plan: 'prism_plus', period: 'P1Y', price: '79.99', currency: 'EUR' },
  { store: 'play', productId: 'prism', plan: 'prism', period: 'P1M' },
];

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestApp({ BILLING_PRODUCTS: JSON.stringify(products) });
});
afterAll(async () => ctx?.close());

describe('GET /v1/billing/catalogue', () => {
  test('lists every configured product with its reference price, signed in or not', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/v1/billing/catalogue' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      products: [
        { store: 'app_store', productId: 'app.kalei.prism.monthly', basePlanId: null, plan: 'prism', period: 'P1M', price: { amount: '4.99', currency: 'USD' } },
        { store: 'play', productId: 'prism_plus', basePlanId: 'yearly', plan: 'prism_plus', period: 'P1Y', price: { amount: '79.99', currency: 'EUR' } },
        { store: 'play', productId: 'prism', basePlanId: null, plan: 'prism', period: 'P1M', price: null },
      ],
      // Neither store's billing is configured in this test.
      purchasableIn: [],
    });
  });
});

describe('BILLING_PRODUCTS prices', () => {
  test.each([
    ['a price without a currency', [{ store: 'play', productId: 'p', plan: 'prism', period: 'P1M', price: '4.99' }]],
    ['a currency without a price', [{ store: 'play', productId: 'p', plan: 'prism', period: 'P1M', currency: 'USD' }]],
    ['a price that is not an amount', [{ store: 'play', productId: 'p', plan: 'prism', period: 'P1M', price: '4,99', currency: 'USD' }]],
    ['a currency that is not ISO 4217', [{ store: 'play', productId: 'p', plan: 'prism', period: 'P1M', price: '4.99', currency: 'usd' }]],
  ])('refuses %s', (_name, entries) => {
    expect(() => loadConfig({ KALEI_DATA_DIR: '/tmp/unused', BILLING_PRODUCTS: JSON.stringify(entries) })).toThrow(/BILLING_PRODUCTS/);
  });
});
