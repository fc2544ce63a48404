import { RegionResources } from '@kalei/contracts/safety';
import { useQuery } from '@tanstack/react-query';
import { useApi, useAuth } from '../../auth/AuthProvider';

export { RegionResources };

/** Query keys of crisis resources. */
export const safetyKeys = {
  resources: (country: string | null) => ['safety', 'resources', country] as const,
};

/** GET /v1/safety/resources: helplines for the profile's (or a given) country, for "Get help now". */
export function useCrisisResources(country: string | null) {
  const api = useApi();
  const { status } = useAuth();
  const query = country ? `?country=${encodeURIComponent(country)}` : '';
  return useQuery({
    queryKey: safetyKeys.resources(country),
    queryFn: ({ signal }) => api.request(`/v1/safety/resources${query}`, { schema: RegionResources, signal, auth: status === 'signedIn' }),
    staleTime: 60 * 60_000,
    enabled: status !== 'loading',
  });
}
