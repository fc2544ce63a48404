import type { Reframe } from '@kalei/contracts/ai-tasks';
import { Problem } from '@kalei/contracts/problem';
import type { CrisisResponse } from '@kalei/contracts/safety';
import type { TrapId } from '@kalei/contracts/taxonomy';
import { CreateTurnResponse, Turn, TurnList, TurnStreamEvents, type CreateTurnRequest } from '@kalei/contracts/turns';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useRef, useState } from 'react';
import { ApiError, UnexpectedResponseError } from '../../api/errors';
import { useApi } from '../../auth/AuthProvider';
import { newId } from '../../lib/id';
import { galleryKeys } from './gallery';
import { spectrumKeys } from './spectrum-keys';
import { readSse } from '../../lib/sse';

export interface TurnFilters {
  saved?: boolean;
  trap?: TrapId;
}

/** Query keys of turns. */
export const turnKeys = {
  all: ['turns'] as const,
  lists: () => [...turnKeys.all, 'list'] as const,
  list: (filters: TurnFilters) => [...turnKeys.lists(), filters] as const,
  detail: (id: string) => [...turnKeys.all, 'detail', id] as const,
};

function listQuery(filters: TurnFilters, cursor: string | undefined): string {
  const params = new URLSearchParams();
  if (filters.saved !== undefined) params.set('saved', String(filters.saved));
  if (filters.trap) params.set('trap', filters.trap);
  if (cursor) params.set('cursor', cursor);
  const query = params.toString();
  return query ? `?${query}` : '';
}

/** GET /v1/turns, page by page. */
export function useTurns(filters: TurnFilters = {}) {
  const api = useApi();
  return useInfiniteQuery({
    queryKey: turnKeys.list(filters),
    queryFn: ({ pageParam, signal }) => api.request(`/v1/turns${listQuery(filters, pageParam)}`, { schema: TurnList, signal }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

/** GET /v1/turns/:id. */
export function useTurn(id: string) {
  const api = useApi();
  return useQuery({ queryKey: turnKeys.detail(id), queryFn: ({ signal }) => api.request(`/v1/turns/${encodeURIComponent(id)}`, { schema: Turn, signal }) });
}

function useTurnCacheUpdate() {
  const queryClient = useQueryClient();
  return useCallback(
    (turn: Turn) => {
      queryClient.setQueryData(turnKeys.detail(turn.id), turn);
      void queryClient.invalidateQueries({ queryKey: turnKeys.lists() });
      void queryClient.invalidateQueries({ queryKey: galleryKeys.all });
      // A new turn, feedback and a save change Spectrum's figures.
      void queryClient.invalidateQueries({ queryKey: spectrumKeys.all });
    },
    [queryClient],
  );
}

/** POST /v1/turns/:id/save. */
export function useSaveTurn() {
  const api = useApi();
  const update = useTurnCacheUpdate();
  return useMutation({
    mutationFn: ({ id, note }: { id: string; note?: string }) =>
      api.request(`/v1/turns/${encodeURIComponent(id)}/save`, { method: 'POST', body: note ? { note } : {}, schema: Turn, idempotencyKey: newId() }),
    onSuccess: update,
  });
}

/** POST /v1/turns/:id/feedback: rate one reframe. */
export function useTurnFeedback() {
  const api = useApi();
  const update = useTurnCacheUpdate();
  return useMutation({
    mutationFn: ({ id, reframeIndex, helpful }: { id: string; reframeIndex: number; helpful: boolean }) =>
      api.request(`/v1/turns/${encodeURIComponent(id)}/feedback`, { method: 'POST', body: { reframeIndex, helpful }, schema: Turn }),
    onSuccess: update,
  });
}

/** DELETE /v1/turns/:id. */
export function useDeleteTurn() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.request(`/v1/turns/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: (_void, id) => {
      queryClient.removeQueries({ queryKey: turnKeys.detail(id) });
      void queryClient.invalidateQueries({ queryKey: turnKeys.lists() });
      void queryClient.invalidateQueries({ queryKey: galleryKeys.all });
      // A deleted item leaves the periods it counted in.
      void queryClient.invalidateQueries({ queryKey: spectrumKeys.all });
    },
  });
}

export type TurnRun =
  | { status: 'idle' }
  | { status: 'streaming'; reframes: (Reframe | null)[] }
  | { status: 'done'; turn: Turn }
  | { status: 'crisis'; crisis: CrisisResponse }
  | { status: 'error'; error: unknown; reframes: (Reframe | null)[] };

/**
 * POST /v1/turns as a server-sent event stream: reframes appear one by one as the API completes
 * them, then the saved turn (or a crisis response, which replaces any reframes). Falls back to the
 * JSON answer when the server replies with one (an idempotent replay).
 */
export function useCreateTurn() {
  const api = useApi();
  const update = useTurnCacheUpdate();
  const [run, setRun] = useState<TurnRun>({ status: 'idle' });
  const controller = useRef<AbortController | null>(null);

  const start = useCallback(
    async (request: CreateTurnRequest) => {
      controller.current?.abort();
      const abort = new AbortController();
      controller.current = abort;
      const reframes: (Reframe | null)[] = [null, null, null];
      setRun({ status: 'streaming', reframes: [...reframes] });
      let finished = false;
      try {
        const response = await api.stream('/v1/turns', { body: request, idempotencyKey: newId(), signal: abort.signal });
        const contentType = response.headers.get('content-type') ?? '';
        if (!contentType.includes('text/event-stream')) {
          const parsed = CreateTurnResponse.safeParse(await response.json());
          if (!parsed.success) throw new UnexpectedResponseError('/v1/turns', parsed.error);
          finished = true;
          if (parsed.data.kind === 'crisis') return setRun({ status: 'crisis', crisis: parsed.data });
          update(parsed.data.turn);
          return setRun({ status: 'done', turn: parsed.data.turn });
        }
        await readSse(response, (event) => {
          if (abort.signal.aborted || finished) return;
          const data: unknown = JSON.parse(event.data);
          if (event.event === 'reframe') {
            const parsed = TurnStreamEvents.reframe.safeParse(data);
            if (!parsed.success) return;
            reframes[parsed.data.index] = parsed.data.reframe;
            setRun({ status: 'streaming', reframes: [...reframes] });
          } else if (event.event === 'turn') {
            const parsed = TurnStreamEvents.turn.safeParse(data);
            if (!parsed.success) throw new UnexpectedResponseError('/v1/turns', parsed.error);
            finished = true;
            update(parsed.data);
            setRun({ status: 'done', turn: parsed.data });
          } else if (event.event === 'crisis') {
            const parsed = TurnStreamEvents.crisis.safeParse(data);
            if (!parsed.success) throw new UnexpectedResponseError('/v1/turns', parsed.error);
            finished = true;
            setRun({ status: 'crisis', crisis: parsed.data });
          } else if (event.event === 'error') {
            const problem = Problem.safeParse({ type: 'about:blank', ...(typeof data === 'object' ? data : {}) });
            finished = true;
            const error = new ApiError(problem.success ? problem.data.status : 500, problem.success ? problem.data : null);
            setRun({ status: 'error', error, reframes: [...reframes] });
          }
        });
        if (!finished && !abort.signal.aborted) throw new UnexpectedResponseError('/v1/turns');
      } catch (error) {
        if (abort.signal.aborted) return;
        setRun({ status: 'error', error, reframes: [...reframes] });
      }
    },
    [api, update],
  );

  const reset = useCallback(() => {
    controller.current?.abort();
    setRun({ status: 'idle' });
  }, []);

  /** Replaces the turn on screen after a save or a rating. */
  const replace = useCallback((turn: Turn) => setRun({ status: 'done', turn }), []);

  return { run, start, reset, replace };
}
