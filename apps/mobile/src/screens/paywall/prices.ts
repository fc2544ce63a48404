import type { CatalogueProduct } from '@kalei/contracts/billing';

const periodWords: Record<string, string> = { P1W: 'a week', P1M: 'a month', P3M: 'every 3 months', P6M: 'every 6 months', P1Y: 'a year' };

/** "a month" for P1M; other periods spelt out from their number and unit. */
export function describePeriod(period: string): string {
  const known = periodWords[period];
  if (known) return known;
  const match = /^P(\d+)([DWMY])$/.exec(period);
  if (!match) return period;
  const unit = { D: 'day', W: 'week', M: 'month', Y: 'year' }[match[2] as 'D' | 'W' | 'M' | 'Y'];
  return match[1] === '1' ? `a ${unit}` : `every ${match[1]} ${unit}s`;
}

/** "$4.99 a month" in the person's locale, or null when the catalogue has no price for the product. */
export function formatPrice(product: Pick<CatalogueProduct, 'price' | 'period'>, locale?: string): string | null {
  if (!product.price) return null;
  const amount = Number(product.price.amount);
  let money: string;
  try {
    money = new Intl.NumberFormat(locale, { style: 'currency', currency: product.price.currency }).format(amount);
  } catch {
    money = `${product.price.amount} ${product.price.currency}`;
  }
  return `${money} ${describePeriod(product.period)}`;
}

/** The distinct prices of a plan across stores, cheapest period first as configured: one line each. */
export function planPrices(products: CatalogueProduct[], plan: CatalogueProduct['plan'], locale?: string): string[] {
  const lines = products.filter((p) => p.plan === plan).map((p) => formatPrice(p, locale)).filter((line): line is string => line !== null);
  return [...new Set(lines)];
}
