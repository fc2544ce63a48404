/** A subscription the store offers, as shown on the paywall. */
export interface StoreProduct {
  id: string;
  title: string;
  price: string;
}

/** What the paywall can do with the platform's store. */
export interface StorePurchases {
  /** False on web: purchases happen in the mobile apps. */
  supported: boolean;
  connected: boolean;
  products: StoreProduct[];
  busy: boolean;
  error: string | null;
  buy: (productId: string) => void;
  restore: () => void;
}
