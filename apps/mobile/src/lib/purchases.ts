import { useIAP, type Purchase } from 'expo-iap';
import { useCallback, useEffect, useState } from 'react';
import { Platform } from 'react-native';
import { describeError } from '../api/errors';
import { useSubmitPurchase } from '../state/queries/billing';
import type { StorePurchases } from './purchases.types';

/** Store product ids, configured per build (the server maps them to plans). */
const skus = (process.env.EXPO_PUBLIC_IAP_SKUS ?? '')
  .split(',')
  .map((sku) => sku.trim())
  .filter(Boolean);

/**
 * App Store / Play purchases through expo-iap. The purchase carries the user's id
 * (`appAccountToken` / `obfuscatedAccountId`), and the store's proof goes to the API, which
 * verifies it and decides the plan; the transaction is finished only after the API accepted it.
 */
export function useStorePurchases(userId: string | undefined): StorePurchases {
  const submit = useSubmitPurchase();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const { connected, subscriptions, fetchProducts, requestPurchase, finishTransaction, restorePurchases, availablePurchases } = useIAP({
    onPurchaseSuccess: (purchase) => void verify(purchase),
    onPurchaseError: (failure) => {
      setBusy(false);
      if (failure.code !== 'user-cancelled') setError(failure.message);
    },
  });

  const verify = useCallback(
    async (purchase: Purchase) => {
      try {
        const token = purchase.purchaseToken;
        if (!token) throw new Error('The store returned no purchase token.');
        await submit.mutateAsync(Platform.OS === 'ios' ? { store: 'app_store', body: { signedTransaction: token } } : { store: 'play', body: { purchaseToken: token } });
        await finishTransaction({ purchase, isConsumable: false });
        setError(null);
      } catch (failure) {
        setError(describeError(failure));
      } finally {
        setBusy(false);
      }
    },
    [submit, finishTransaction],
  );

  useEffect(() => {
    if (connected && skus.length > 0) void fetchProducts({ skus, type: 'subs' });
  }, [connected, fetchProducts]);

  useEffect(() => {
    // Restored purchases are verified like new ones: the API decides what they still unlock.
    for (const purchase of availablePurchases) void verify(purchase);
  }, [availablePurchases, verify]);

  return {
    supported: true,
    connected,
    products: subscriptions.map((product) => ({ id: product.id, title: product.title, price: product.displayPrice })),
    busy,
    error: skus.length === 0 ? 'No store products are configured in this build (EXPO_PUBLIC_IAP_SKUS).' : error,
    buy: (productId) => {
      if (!userId) return;
      setBusy(true);
      setError(null);
      void requestPurchase({
        type: 'subs',
        request: { apple: { sku: productId, appAccountToken: userId }, google: { skus: [productId], obfuscatedAccountId: userId } },
      }).catch((failure: unknown) => {
        setBusy(false);
        setError(describeError(failure));
      });
    },
    restore: () => {
      setBusy(true);
      void restorePurchases().finally(() => setBusy(false));
    },
  };
}
