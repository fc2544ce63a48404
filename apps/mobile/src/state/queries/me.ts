import { Me, Profile, type ProfilePatchRequest } from '@kalei/contracts/auth';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useApi, useAuth } from '../../auth/AuthProvider';

/** Query keys of the signed-in account. */
export const meKeys = {
  all: ['me'] as const,
};

/** GET /v1/me: the account and its profile. */
export function useMe() {
  const api = useApi();
  const { status } = useAuth();
  return useQuery({
    queryKey: meKeys.all,
    queryFn: ({ signal }) => api.request('/v1/me', { schema: Me, signal }),
    enabled: status === 'signedIn',
    staleTime: 60_000,
  });
}

/** PATCH /v1/me/profile; the cached account takes the new profile. */
export function useUpdateProfile() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (patch: ProfilePatchRequest) => api.request('/v1/me/profile', { method: 'PATCH', body: patch, schema: Profile }),
    onSuccess: (profile) => {
      queryClient.setQueryData<Me>(meKeys.all, (me) => (me ? { ...me, profile } : me));
      void queryClient.invalidateQueries({ queryKey: meKeys.all });
    },
  });
}
