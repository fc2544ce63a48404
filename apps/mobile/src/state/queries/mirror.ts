import {
  CloseMirrorSessionResponse,
  CreateMirrorMessageResponse,
  FragmentReframeResponse,
  MirrorSession,
  MirrorSessionList,
  MirrorSessionSummary,
  type Fragment,
} from '@kalei/contracts/mirror';
import { CrisisResponse } from '@kalei/contracts/safety';
import type { TrapId } from '@kalei/contracts/taxonomy';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { useApi } from '../../auth/AuthProvider';
import { newId } from '../../lib/id';
import { galleryKeys } from './gallery';
import { spectrumKeys } from './spectrum-keys';

export interface MirrorFilters {
  trap?: TrapId;
  status?: 'open' | 'closed';
}

/** Query keys of Mirror sessions. */
export const mirrorKeys = {
  all: ['mirror'] as const,
  lists: () => [...mirrorKeys.all, 'list'] as const,
  list: (filters: MirrorFilters) => [...mirrorKeys.lists(), filters] as const,
  detail: (id: string) => [...mirrorKeys.all, 'detail', id] as const,
};

/** GET /v1/mirror/sessions, page by page. */
export function useMirrorSessions(filters: MirrorFilters = {}) {
  const api = useApi();
  return useInfiniteQuery({
    queryKey: mirrorKeys.list(filters),
    queryFn: ({ pageParam, signal }) => {
      const params = new URLSearchParams();
      if (filters.trap) params.set('trap', filters.trap);
      if (filters.status) params.set('status', filters.status);
      if (pageParam) params.set('cursor', pageParam);
      const query = params.toString();
      return api.request(`/v1/mirror/sessions${query ? `?${query}` : ''}`, { schema: MirrorSessionList, signal });
    },
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** GET /v1/mirror/sessions/:id with its messages and fragments. */
export function useMirrorSession(id: string) {
  const api = useApi();
  return useQuery({
    queryKey: mirrorKeys.detail(id),
    queryFn: ({ signal }) => api.request(`/v1/mirror/sessions/${encodeURIComponent(id)}`, { schema: MirrorSession, signal }),
  });
}

/** POST /v1/mirror/sessions. */
export function useOpenMirrorSession() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.request('/v1/mirror/sessions', { method: 'POST', body: {}, schema: MirrorSessionSummary, idempotencyKey: newId() }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: mirrorKeys.lists() }),
  });
}

/** POST /v1/mirror/messages: the message with its fragments, or a crisis response. */
export function useSendMirrorMessage(sessionId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (text: string) =>
      api.request('/v1/mirror/messages', { method: 'POST', body: { sessionId, text }, schema: CreateMirrorMessageResponse, idempotencyKey: newId() }),
    onSuccess: (result) => {
      if (result.kind !== 'message') return;
      queryClient.setQueryData<MirrorSession>(mirrorKeys.detail(sessionId), (session) =>
        session ? { ...session, messages: [...session.messages, result.message], messageCount: session.messageCount + 1 } : session,
      );
      void queryClient.invalidateQueries({ queryKey: mirrorKeys.lists() });
    },
  });
}

const ReframeOrCrisis = z.discriminatedUnion('kind', [FragmentReframeResponse, CrisisResponse]);

/** POST /v1/mirror/fragments/:id/reframe: the inline reframe of one fragment. */
export function useReframeFragment(sessionId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (fragment: Pick<Fragment, 'id'>) =>
      api.request(`/v1/mirror/fragments/${encodeURIComponent(fragment.id)}/reframe`, { method: 'POST', schema: ReframeOrCrisis, idempotencyKey: newId() }),
    onSuccess: (result) => {
      if (result.kind !== 'reframe') return;
      const updated = result.fragment;
      queryClient.setQueryData<MirrorSession>(mirrorKeys.detail(sessionId), (session) =>
        session
          ? {
              ...session,
              messages: session.messages.map((message) =>
                message.id === updated.messageId ? { ...message, fragments: message.fragments.map((f) => (f.id === updated.id ? updated : f)) } : message,
              ),
            }
          : session,
      );
    },
  });
}

const CloseOrCrisis = z.discriminatedUnion('kind', [CloseMirrorSessionResponse, CrisisResponse]);

/** POST /v1/mirror/sessions/:id/close: the reflection. */
export function useCloseMirrorSession(sessionId: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.request(`/v1/mirror/sessions/${encodeURIComponent(sessionId)}/close`, { method: 'POST', schema: CloseOrCrisis, idempotencyKey: newId() }),
    onSuccess: (result) => {
      if (result.kind === 'session') {
        queryClient.setQueryData<MirrorSession>(mirrorKeys.detail(sessionId), (session) => (session ? { ...session, ...result.session } : session));
      }
      void queryClient.invalidateQueries({ queryKey: mirrorKeys.lists() });
      void queryClient.invalidateQueries({ queryKey: galleryKeys.all });
      // A closed session counts in Spectrum from now.
      void queryClient.invalidateQueries({ queryKey: spectrumKeys.all });
    },
  });
}

/** DELETE /v1/mirror/sessions/:id. */
export function useDeleteMirrorSession() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.request(`/v1/mirror/sessions/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: (_void, id) => {
      queryClient.removeQueries({ queryKey: mirrorKeys.detail(id) });
      void queryClient.invalidateQueries({ queryKey: mirrorKeys.lists() });
      void queryClient.invalidateQueries({ queryKey: galleryKeys.all });
      // A deleted item leaves the periods it counted in.
      void queryClient.invalidateQueries({ queryKey: spectrumKeys.all });
    },
  });
}
