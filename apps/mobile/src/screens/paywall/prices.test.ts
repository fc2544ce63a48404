import { describePeriod, formatPrice, planPrices } from './prices';

describe('paywall prices', () => {
  test.each([
    ['P1M', 'a month'],
    ['P1Y', 'a year'],
    ['P3M', 'every 3 months'],
    ['P2W', 'every 2 weeks'],
    ['P1D', 'a day'],
  ])('%s is %s', (period, words) => {
    expect(describePeriod(period)).toBe(words);
  });

  test('formats the amount in the currency and locale', () => {
    expect(formatPrice({ price: { amount: '4.99', currency: 'USD' }, period: 'P1M' }, 'en-US')).toBe('$4.99 a month');
    expect(formatPrice({ price: { amount: '49.99', currency: 'EUR' }, period: 'P1Y' }, 'de-DE')).toMatch(/^49,99\s€ a year$/);
    expect(formatPrice({ price: null, period: 'P1M' }, 'en-US')).toBeNull();
  });

  test('lists one line per distinct price of a plan, leaving out products without one', () => {
    const product = (plan: 'prism' | 'prism_plus', amount: string | null, period = 'P1M') => ({
      store: 'play' as const,
      productId: 'x',
      basePlanId: null,
      plan,
      period,
      price: amount ? { amount, currency: 'USD' } : null,
    });
    const products = [product('prism', '4.99'), product('prism', '4.99'), product('prism', '39.99', 'P1Y'), product('prism', null), product('prism_plus', '9.99')];
    expect(planPrices(products, 'prism', 'en-US')).toEqual(['$4.99 a month', '$39.99 a year']);
    expect(planPrices(products, 'prism_plus', 'en-US')).toEqual(['$9.99 a month']);
  });
});
