import { GalleryPage, GalleryTrapCounts } from '@kalei/contracts/gallery';
import type { TrapId } from '@kalei/contracts/taxonomy';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useApi } from '../../auth/AuthProvider';

export interface GalleryFilters {
  kind?: 'turn' | 'saved' | 'session';
  trap?: TrapId;
}

/** Query keys of the Gallery timeline. */
export const galleryKeys = {
  all: ['gallery'] as const,
  list: (filters: GalleryFilters) => [...galleryKeys.all, filters] as const,
  traps: (kind: GalleryFilters['kind']) => [...galleryKeys.all, 'traps', kind ?? 'all'] as const,
};

/** GET /v1/gallery/traps: how many items show each trap, most frequent first (the filter chips' counts). */
export function useGalleryTrapCounts(kind: GalleryFilters['kind']) {
  const api = useApi();
  return useQuery({
    queryKey: galleryKeys.traps(kind),
    queryFn: ({ signal }) => api.request(`/v1/gallery/traps${kind ? `?kind=${kind}` : ''}`, { schema: GalleryTrapCounts, signal }),
  });
}

/** GET /v1/gallery: turns, saved patterns and Mirror sessions on one timeline, page by page. */
export function useGallery(filters: GalleryFilters) {
  const api = useApi();
  return useInfiniteQuery({
    queryKey: galleryKeys.list(filters),
    queryFn: ({ pageParam, signal }) => {
      const params = new URLSearchParams();
      if (filters.kind) params.set('kind', filters.kind);
      if (filters.trap) params.set('trap', filters.trap);
      if (pageParam) params.set('cursor', pageParam);
      const query = params.toString();
      return api.request(`/v1/gallery${query ? `?${query}` : ''}`, { schema: GalleryPage, signal });
    },
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}
