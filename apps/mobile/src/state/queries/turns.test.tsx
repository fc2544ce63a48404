import type { CrisisResponse } from '@kalei/contracts/safety';
import type { Turn } from '@kalei/contracts/turns';
import { act, renderHook, waitFor } from '@testing-library/react-native';
import type { FetchLike } from '../../api/client';
import { createWrapper } from '../../test-utils';
import { spectrumKeys } from './spectrum-keys';
import { useCreateTurn, useDeleteTurn } from './turns';

const reframes = [
  { text: 'One mistake at work is not every day at work.', technique: 'evidence_check' },
  { text: 'You would be kinder to a friend who said this.', technique: 'compassionate_reframe' },
  { text: 'In a month this may feel much smaller.', technique: 'impermanence' },
] as const;

const turn: Turn = {
  id: '0b9c3c57-8a3a-4b0a-9d51-1d2b8c6c1a11',
  thought: 'I always mess up.',
  context: null,
  reframes: reframes.map((r) => ({ ...r })),
  microAction: { text: 'Write down one thing that went fine today.', minutes: 2 },
  traps: ['overgeneralization'],
  moodBefore: null,
  engine: { engine: 'local', model: 'local', promptVersion: 'v1' },
  saved: false,
  savedAt: null,
  saveNote: null,
  feedback: [],
  excludedFromAnalytics: false,
  createdAt: '2026-03-14T12:00:00.000Z',
};

const crisis: CrisisResponse = {
  kind: 'crisis',
  categories: ['suicidal_ideation'],
  primaryCategory: 'suicidal_ideation',
  urgency: 'emergency',
  title: 'You deserve support right now',
  message: 'It sounds like you are in a lot of pain.',
  steps: ['Call or text 988.'],
  emergency: { numbers: [{ number: '911', label: 'Emergency services' }], guidance: 'If you are in immediate danger, call 911 now.' },
  resources: [{ name: '988 Suicide & Crisis Lifeline', phone: '988', text: { number: '988' } }],
  international: [],
  region: { country: 'US', source: 'profile' },
  locale: 'en',
  templateVersion: '1',
};

function sse(events: [string, unknown][]): string {
  return events.map(([event, data]) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`).join('');
}

function fetchAnswering(body: string, contentType: string, status = 200): { fetch: FetchLike; calls: { url: string; init?: RequestInit }[] } {
  const calls: { url: string; init?: RequestInit }[] = [];
  return {
    calls,
    fetch: async (url, init) => {
      calls.push({ url, init });
      return new Response(body, { status, headers: { 'content-type': contentType } });
    },
  };
}

describe('useCreateTurn', () => {
  it('collects streamed reframes and ends with the saved turn', async () => {
    const body = sse([...reframes.map((reframe, index) => ['reframe', { index, reframe }] as [string, unknown]), ['turn', turn]]);
    const { fetch, calls } = fetchAnswering(body, 'text/event-stream');
    const { Wrapper } = createWrapper(fetch);
    const { result } = await renderHook(() => useCreateTurn(), { wrapper: Wrapper });
    await act(() => result.current.start({ thought: 'I always mess up.' }));
    await waitFor(() => expect(result.current.run.status).toBe('done'));
    expect(result.current.run).toEqual({ status: 'done', turn });
    const headers = new Headers(calls[0]?.init?.headers);
    expect(headers.get('accept')).toContain('text/event-stream');
    expect(headers.get('idempotency-key')).toMatch(/^[0-9a-f-]{36}$/);
    expect(headers.get('authorization')).toBe('Bearer access-test');
  });

  it('shows a crisis response instead of reframes', async () => {
    const { fetch } = fetchAnswering(sse([['crisis', crisis]]), 'text/event-stream');
    const { Wrapper } = createWrapper(fetch);
    const { result } = await renderHook(() => useCreateTurn(), { wrapper: Wrapper });
    await act(() => result.current.start({ thought: 'crisis text' }));
    await waitFor(() => expect(result.current.run.status).toBe('crisis'));
    expect(result.current.run).toMatchObject({ status: 'crisis', crisis: { resources: [{ phone: '988' }] } });
  });

  it('accepts the JSON form of the answer (an idempotent replay)', async () => {
    const { fetch } = fetchAnswering(JSON.stringify({ kind: 'turn', turn }), 'application/json', 201);
    const { Wrapper } = createWrapper(fetch);
    const { result } = await renderHook(() => useCreateTurn(), { wrapper: Wrapper });
    await act(() => result.current.start({ thought: 'I always mess up.' }));
    await waitFor(() => expect(result.current.run.status).toBe('done'));
  });

  it('reports a used-up quota as an ApiError with its reset time', async () => {
    const problem = { type: 'about:blank', title: 'Quota exceeded', status: 429, code: 'quota_exceeded', limit: 5, resetAt: '2026-03-15T00:00:00.000Z' };
    const { fetch } = fetchAnswering(JSON.stringify(problem), 'application/problem+json', 429);
    const { Wrapper } = createWrapper(fetch);
    const { result } = await renderHook(() => useCreateTurn(), { wrapper: Wrapper });
    await act(() => result.current.start({ thought: 'again' }));
    await waitFor(() => expect(result.current.run.status).toBe('error'));
    expect(result.current.run).toMatchObject({ status: 'error', error: { code: 'quota_exceeded', quota: { limit: 5 } } });
  });

  it('turns an error event after the stream began into an error', async () => {
    const { fetch } = fetchAnswering(sse([['reframe', { index: 0, reframe: reframes[0] }], ['error', { status: 503, code: 'ai_unavailable', title: 'AI unavailable' }]]), 'text/event-stream');
    const { Wrapper } = createWrapper(fetch);
    const { result } = await renderHook(() => useCreateTurn(), { wrapper: Wrapper });
    await act(() => result.current.start({ thought: 'x' }));
    await waitFor(() => expect(result.current.run.status).toBe('error'));
    expect(result.current.run).toMatchObject({ status: 'error', error: { code: 'ai_unavailable' }, reframes: [reframes[0], null, null] });
  });
});

describe('useDeleteTurn', () => {
  it('marks the Spectrum reports stale: the turn no longer counts in its periods', async () => {
    const fetch: FetchLike = async () => new Response(null, { status: 204 });
    const { Wrapper, queryClient } = createWrapper(fetch);
    queryClient.setQueryData(spectrumKeys.report('weekly', '2026-03-09'), { kind: 'weekly' });
    const { result } = await renderHook(() => useDeleteTurn(), { wrapper: Wrapper });
    await act(async () => {
      await result.current.mutateAsync(turn.id);
    });
    expect(queryClient.getQueryState(spectrumKeys.report('weekly', '2026-03-09'))?.isInvalidated).toBe(true);
  });
});
