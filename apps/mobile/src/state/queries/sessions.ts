import { RevokeOthersResponse, SessionList } from '@kalei/contracts/auth';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../../auth/AuthProvider';

/** Query keys of the account's device sessions. */
export const sessionKeys = {
  all: ['sessions'] as const,
};

/** GET /v1/auth/sessions. */
export function useSessions() {
  const api = useApi();
  return useQuery({
    queryKey: sessionKeys.all,
    queryFn: ({ signal }) => api.request('/v1/auth/sessions', { schema: SessionList, signal }),
  });
}

/** DELETE /v1/auth/sessions/:id. */
export function useRevokeSession() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.request(`/v1/auth/sessions/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: sessionKeys.all }),
  });
}

/** POST /v1/auth/sessions/revoke-others. */
export function useRevokeOtherSessions() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.request('/v1/auth/sessions/revoke-others', { method: 'POST', schema: RevokeOthersResponse }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: sessionKeys.all }),
  });
}
