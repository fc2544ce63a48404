import { describeExport, subscriptionNote } from './AccountDataCard';

jest.mock('../../lib/save-file', () => ({ saveFile: jest.fn() }));

const entitlements = (plan: 'free' | 'prism', store: 'app_store' | 'play' | null) => ({ plan, store }) as never;

describe('account data', () => {
  test('says what an export holds, in counts', () => {
    const data = {
      turns: [{}, {}],
      mirrorSessions: [{ messages: [{}, {}, {}] }],
      lens: { goals: [{}], checkins: [] },
    } as never;
    expect(describeExport(data)).toBe('your account and profile, 2 turns, 1 Mirror session with 3 entries, 1 Lens goal and 0 check-ins');
  });

  test.each([
    [entitlements('prism', 'app_store'), /App Store.*does not cancel it/],
    [entitlements('prism', 'play'), /Google Play.*does not cancel it/],
    [entitlements('prism', null), /outside the stores.*nothing is billed/],
    [entitlements('free', null), /no paid subscription/],
    [undefined, /no paid subscription/],
  ])('tells what happens to the subscription (%#)', (plan, expected) => {
    expect(subscriptionNote(plan)).toMatch(expected);
  });
});
