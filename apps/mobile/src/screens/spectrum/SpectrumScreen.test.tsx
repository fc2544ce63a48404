import type { SpectrumReport } from '@kalei/contracts/spectrum';
import { fireEvent, render, waitFor } from '@testing-library/react-native';
import type { FetchLike } from '../../api/client';
import { createWrapper } from '../../test-utils';
import { SpectrumScreen } from './SpectrumScreen';

const mockPush = jest.fn();
jest.mock('expo-router', () => ({ useRouter: () => ({ push: mockPush, back: jest.fn(), replace: jest.fn(), canGoBack: () => true }) }));

const zeros = (n: number) => Array.from({ length: n }, () => 0);
const compared = (current: number, previous: number) => ({ current, previous });

function report(overrides: Partial<SpectrumReport> = {}): SpectrumReport {
  return {
    kind: 'weekly',
    period: { start: '2026-03-02', end: '2026-03-08', timezone: 'UTC', complete: true },
    previousPeriod: { start: '2026-02-23', end: '2026-03-01' },
    figures: {
      turns: compared(3, 1),
      mirrorSessions: compared(1, 1),
      mirrorMessages: compared(2, 0),
      traps: [
        { trap: 'mind_reading', current: 2, previous: 0 },
        { trap: 'labeling', current: 0, previous: 1 },
      ],
      trapTotal: compared(2, 1),
      topTraps: ['mind_reading'],
      mood: { averageBefore: { current: 4.5, previous: null }, rated: compared(2, 0), trend: [{ date: '2026-03-02', average: 3 }, { date: '2026-03-04', average: 6 }] },
      helpfulTechniques: [{ technique: 'evidence_check', current: 1, previous: 0 }],
      lens: { actionsCompleted: compared(2, 0), activeDays: compared(2, 0), longestStreak: compared(2, 0), checkins: compared(1, 0), checkinMoodAverage: { current: 6, previous: null } },
      timing: { byWeekday: [2, 0, 1, 0, 0, 0, 0], byHour: zeros(24) },
    },
    narrative: { status: 'ready', headline: 'A week of noticing', insights: ['Mind reading came up twice.'], gentle: false, helpPath: null, engine: 'local' },
    computedAt: '2026-03-09T01:00:00.000Z',
    history: [{ start: '2026-02-23', end: '2026-03-01', turns: 1, mirrorSessions: 1, trapTotal: 1, topTrap: 'labeling' }],
    ...overrides,
  } as SpectrumReport;
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json' } });

function serve(answer: (url: URL) => Response): { fetch: FetchLike; urls: string[] } {
  const urls: string[] = [];
  return {
    urls,
    fetch: async (url) => {
      const parsed = new URL(url);
      urls.push(`${parsed.pathname}${parsed.search}`);
      return answer(parsed);
    },
  };
}

async function renderScreen(fetch: FetchLike) {
  const { Wrapper } = createWrapper(fetch);
  return render(
    <Wrapper>
      <SpectrumScreen />
    </Wrapper>,
  );
}

beforeEach(() => mockPush.mockClear());

test('shows the period against the one before, the narrative, the charts with their words, and opens a trap in the Gallery', async () => {
  const api = serve(() => json(200, report()));
  const screen = await renderScreen(api.fetch);
  expect(await screen.findByTestId('spectrum-period')).toHaveTextContent(/^Week of (2 Mar|Mar 2)$/);
  expect(screen.getByText('A week of noticing')).toBeTruthy();
  expect(screen.getByTestId('spectrum-figure-turns')).toHaveTextContent(/Turns: 3.*up from 1 last week/);
  expect(screen.getByTestId('spectrum-figure-sessions')).toHaveTextContent(/same as last week/);
  expect(screen.getByTestId('spectrum-chart-traps-summary')).toHaveTextContent('Thinking traps, this week and last week: Mind reading 2 and 0; Labeling 0 and 1.');
  expect(screen.getByTestId('spectrum-chart-weekdays-summary')).toHaveTextContent('Turns and Mirror sessions by weekday: Mon 2, Wed 1.');
  expect(screen.getByTestId('spectrum-chart-mood-summary')).toHaveTextContent(/from 3 to 6 out of 10/);
  expect(screen.getByText('Checking the evidence: 1')).toBeTruthy();
  // Only traps seen this period link to the Gallery.
  expect(screen.queryByTestId('spectrum-trap-labeling')).toBeNull();
  fireEvent.press(screen.getByTestId('spectrum-trap-mind_reading'));
  expect(mockPush).toHaveBeenCalledWith({ pathname: '/gallery', params: { trap: 'mind_reading' } });
});

test('moves between periods and kinds by asking for the named period', async () => {
  const api = serve((url) => json(200, url.pathname.endsWith('monthly') ? report({ kind: 'monthly', period: { start: '2026-03-01', end: '2026-03-31', timezone: 'UTC', complete: false } }) : report()));
  const screen = await renderScreen(api.fetch);
  expect(await screen.findByTestId('spectrum-period')).toHaveTextContent(/^Week of (2 Mar|Mar 2)$/);
  fireEvent.press(screen.getByTestId('spectrum-earlier'));
  await waitFor(() => expect(api.urls).toContain('/v1/spectrum/weekly?period=2026-02-23'));
  fireEvent.press(screen.getByTestId('spectrum-monthly'));
  await screen.findByText('This month so far');
  expect(api.urls).toContain('/v1/spectrum/monthly');
  // A running period has nothing after it to show.
  expect(screen.queryByTestId('spectrum-later')).toBeNull();
});

test('a running period says when its insight arrives', async () => {
  const running = serve(() =>
    json(200, report({ period: { start: '2026-03-02', end: '2026-03-08', timezone: 'UTC', complete: false }, narrative: { status: 'not_available', headline: null, insights: [], gentle: false, helpPath: null, engine: null } })),
  );
  const first = await renderScreen(running.fetch);
  await first.findByText('This week so far');
  expect(first.getByText('Your written insight arrives when this week ends.')).toBeTruthy();
});

test('a week that held a crisis gets the gentle insight with the way to help', async () => {
  const gentle = serve(() => json(200, report({ narrative: { status: 'ready', headline: 'This was a hard one', insights: ['Help is here.'], gentle: true, helpPath: '/help', engine: 'local' } })));
  const second = await renderScreen(gentle.fetch);
  fireEvent.press(await second.findByTestId('spectrum-get-help'));
  expect(mockPush).toHaveBeenCalledWith('/help');
});

test('a free plan sees what Spectrum would give and the way to the plans, with no figures', async () => {
  const api = serve(() =>
    json(403, { type: 'about:blank', title: 'Upgrade required', status: 403, code: 'plan_required', detail: 'Spectrum is part of the Prism and Prism+ plans.', plan: 'free', requiredPlans: ['prism', 'prism_plus'] }),
  );
  const screen = await renderScreen(api.fetch);
  await screen.findByTestId('spectrum-preview');
  expect(screen.queryByTestId('spectrum-figures')).toBeNull();
  fireEvent.press(screen.getByTestId('spectrum-see-plans'));
  expect(mockPush).toHaveBeenCalledWith('/paywall');
});
