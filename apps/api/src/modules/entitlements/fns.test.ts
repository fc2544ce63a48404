import { describe, expect, test } from 'vitest';
import { resolvePlan, type GrantRow, type SubscriptionRow } from './fns.js';

const now = new Date('2026-11-25T12:00:00Z');
const later = new Date('2026-12-25T12:00:00Z');
const earlier = new Date('2026-11-01T12:00:00Z');
const sub = (over: Partial<SubscriptionRow>): SubscriptionRow => ({
  id: 's1',
  store: 'app_store',
  plan: 'prism',
  status: 'active',
  expiresAt: later,
  graceExpiresAt: null,
  ...over,
});
const grant = (over: Partial<GrantRow>): GrantRow => ({ plan: 'prism', expiresAt: null, revokedAt: null, ...over });

describe('resolvePlan', () => {
  test.each<[string, GrantRow[], SubscriptionRow[], string, string]>([
    ['nothing is free', [], [], 'free', 'default'],
    ['an open-ended grant', [grant({})], [], 'prism', 'admin'],
    ['an expired grant does not count', [grant({ expiresAt: earlier })], [], 'free', 'default'],
    ['a revoked grant does not count', [grant({ revokedAt: earlier })], [], 'free', 'default'],
    ['an active subscription', [], [sub({})], 'prism', 'app_store'],
    ['an expired subscription does not count', [], [sub({ expiresAt: earlier })], 'free', 'default'],
    ['grace keeps access until the grace end', [], [sub({ status: 'grace', expiresAt: earlier, graceExpiresAt: later })], 'prism', 'app_store'],
    ['grace that ended does not count', [], [sub({ status: 'grace', expiresAt: earlier, graceExpiresAt: earlier })], 'free', 'default'],
    ['canceled keeps access until expiry', [], [sub({ status: 'canceled' })], 'prism', 'app_store'],
    ['on hold does not count', [], [sub({ status: 'on_hold' })], 'free', 'default'],
    ['refunded does not count', [], [sub({ status: 'refunded' })], 'free', 'default'],
    ['the higher plan wins', [grant({ plan: 'prism' })], [sub({ plan: 'prism_plus' })], 'prism_plus', 'app_store'],
    ['the higher plan wins either way', [grant({ plan: 'prism_plus' })], [sub({ plan: 'prism' })], 'prism_plus', 'admin'],
  ])('%s', (_name, grants, subscriptions, plan, source) => {
    const resolved = resolvePlan(grants, subscriptions, now);
    expect(resolved.plan).toBe(plan);
    expect(resolved.source).toBe(source);
  });
});
