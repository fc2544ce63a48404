import { Catalogue, Entitlements, PurchaseResult, type AppleTransactionRequest, type GooglePurchaseRequest } from '@kalei/contracts/billing';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../../auth/AuthProvider';
import { newId } from '../../lib/id';

/** Query keys of the plan and its quotas. */
export const billingKeys = {
  entitlements: ['billing', 'entitlements'] as const,
  catalogue: ['billing', 'catalogue'] as const,
};

/** GET /v1/billing/catalogue: the subscriptions on sale and their reference prices (public). */
export function useCatalogue() {
  const api = useApi();
  return useQuery({
    queryKey: billingKeys.catalogue,
    queryFn: ({ signal }) => api.request('/v1/billing/catalogue', { schema: Catalogue, signal, auth: false }),
    staleTime: 10 * 60_000,
  });
}

/** GET /v1/billing/entitlements: plan, what it unlocks, today's usage. */
export function useEntitlements() {
  const api = useApi();
  return useQuery({
    queryKey: billingKeys.entitlements,
    queryFn: ({ signal }) => api.request('/v1/billing/entitlements', { schema: Entitlements, signal }),
  });
}

/** Sends a store purchase to the API, which verifies it with the store and answers the new entitlements. */
export function useSubmitPurchase() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (submission: { store: 'app_store'; body: AppleTransactionRequest } | { store: 'play'; body: GooglePurchaseRequest }) =>
      api.request(submission.store === 'app_store' ? '/v1/billing/apple/transactions' : '/v1/billing/google/purchases', {
        method: 'POST',
        body: submission.body,
        schema: PurchaseResult,
        idempotencyKey: newId(),
      }),
    onSuccess: (result) => queryClient.setQueryData(billingKeys.entitlements, result.entitlements),
  });
}
