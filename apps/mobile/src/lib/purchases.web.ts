import type { StorePurchases } from './purchases.types';

/** Web: no store. The paywall explains that plans are bought in the mobile apps. */
export function useStorePurchases(_userId: string | undefined): StorePurchases {
  return { supported: false, connected: false, products: [], busy: false, error: null, buy: () => undefined, restore: () => undefined };
}
