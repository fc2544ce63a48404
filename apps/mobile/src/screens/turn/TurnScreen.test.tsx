import { fireEvent, render, waitFor } from '@testing-library/react-native';
import type { FetchLike } from '../../api/client';
import { PersistedProvider } from '../../state/persisted/PersistedProvider';
import { CrisisProvider } from '../../state/crisis';
import { createWrapper } from '../../test-utils';
import { TurnScreen } from './TurnScreen';

const mockPush = jest.fn();
jest.mock('expo-router', () => ({ useRouter: () => ({ push: mockPush, back: jest.fn(), replace: jest.fn(), canGoBack: () => true }) }));

const turn = {
  id: '0b9c3c57-8a3a-4b0a-9d51-1d2b8c6c1a11',
  thought: 'I always mess up.',
  context: null,
  reframes: [
    { text: 'One mistake is not every time.', technique: 'evidence_check' },
    { text: 'A friend would not say this about you.', technique: 'compassionate_reframe' },
    { text: 'This feeling will pass.', technique: 'impermanence' },
  ],
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

function api(routes: Record<string, (init?: RequestInit) => Response>): FetchLike {
  return async (url, init) => {
    const key = `${init?.method ?? 'GET'} ${new URL(url).pathname}`;
    const handler = routes[key];
    if (!handler) return new Response(JSON.stringify({ type: 'about:blank', title: 'Not found', status: 404, code: 'route_not_found' }), { status: 404 });
    return handler(init);
  };
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

async function renderTurnScreen(fetch: FetchLike) {
  const { Wrapper } = createWrapper(fetch);
  return render(
    <Wrapper>
      <PersistedProvider>
        <CrisisProvider>
          <TurnScreen />
        </CrisisProvider>
      </PersistedProvider>
    </Wrapper>,
  );
}

describe('TurnScreen', () => {
  beforeEach(() => mockPush.mockClear());

  it('turns a thought into three reframes, a micro-action and a save button', async () => {
    let saved = false;
    const view = await renderTurnScreen(
      api({
        'POST /v1/turns': () => json(201, { kind: 'turn', turn }),
        'POST /v1/turns/0b9c3c57-8a3a-4b0a-9d51-1d2b8c6c1a11/save': () => {
          saved = true;
          return json(200, { ...turn, saved: true, savedAt: turn.createdAt });
        },
      }),
    );
    await fireEvent.press(await view.findByLabelText('Turn it'));
    expect(await view.findByText('Write the thought first, in your own words.')).toBeTruthy();
    await fireEvent.changeText(view.getByLabelText('Your thought'), 'I always mess up.');
    await fireEvent.press(view.getByLabelText('Turn it'));
    expect(await view.findByText('One mistake is not every time.')).toBeTruthy();
    expect(view.getByText('This feeling will pass.')).toBeTruthy();
    expect(view.getByText('Write down one thing that went fine today.')).toBeTruthy();
    expect(view.getByLabelText('Thinking trap: Overgeneralizing')).toBeTruthy();
    await fireEvent.press(view.getByLabelText('Save to Gallery'));
    expect(await view.findByText('Saved to your Gallery')).toBeTruthy();
    expect(saved).toBe(true);
  });

  it('opens the crisis view instead of showing reframes', async () => {
    const crisis = {
      kind: 'crisis',
      categories: ['suicidal_ideation'],
      primaryCategory: 'suicidal_ideation',
      urgency: 'emergency',
      title: 'You do not have to carry this alone',
      message: 'Please reach out now.',
      steps: ['Call or text 988.'],
      emergency: { numbers: [{ number: '911', label: 'Emergency services' }], guidance: 'Call 911 if you are in danger.' },
      resources: [{ name: '988 Suicide & Crisis Lifeline', phone: '988' }],
      international: [],
      region: { country: 'US', source: 'profile' },
      locale: 'en',
      templateVersion: '1',
    };
    const view = await renderTurnScreen(api({ 'POST /v1/turns': () => json(200, crisis) }));
    await fireEvent.changeText(await view.findByLabelText('Your thought'), 'crisis words');
    await fireEvent.press(view.getByLabelText('Turn it'));
    await waitFor(() => expect(mockPush).toHaveBeenCalledWith('/crisis'));
    expect(view.queryByText('One mistake is not every time.')).toBeNull();
    expect(await view.findByText('We paused here to check in with you.')).toBeTruthy();
    // The person is not returned to the same words, and is told why the box is empty.
    expect(view.getByLabelText('Your thought').props.value).toBe('');
    expect(view.getByText(/we cleared it from the box/)).toBeTruthy();
  });

  it('says when a used-up quota resets and offers the plans', async () => {
    const problem = { type: 'about:blank', title: 'Quota exceeded', status: 429, code: 'quota_exceeded', limit: 5, resetAt: new Date(Date.now() + 3_600_000).toISOString() };
    const view = await renderTurnScreen(api({ 'POST /v1/turns': () => new Response(JSON.stringify(problem), { status: 429, headers: { 'content-type': 'application/problem+json' } }) }));
    await fireEvent.changeText(await view.findByLabelText('Your thought'), 'again');
    await fireEvent.press(view.getByLabelText('Turn it'));
    expect(await view.findByText('Daily limit reached')).toBeTruthy();
    expect(view.getByText(/You have used all 5 for today\. It resets/)).toBeTruthy();
    await fireEvent.press(view.getByLabelText('See plans'));
    expect(mockPush).toHaveBeenCalledWith('/paywall');
  });
});
