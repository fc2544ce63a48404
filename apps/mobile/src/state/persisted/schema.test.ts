import { defaultPersistedState, parsePersisted } from './schema';

describe('parsePersisted', () => {
  it.each([
    ['nothing stored', null],
    ['not JSON', '{oops'],
    ['not an object', '42'],
  ])('falls back to the defaults for %s', (_name, raw) => {
    expect(parsePersisted(raw)).toEqual(defaultPersistedState);
  });

  it('keeps valid fields and repairs invalid ones one by one', () => {
    expect(parsePersisted(JSON.stringify({ onboardingDone: true, lastEmail: 7, pushPermissionAsked: 'yes' }))).toEqual({
      onboardingDone: true,
      lastEmail: null,
      pushPermissionAsked: false,
    });
  });

  it('fills fields added after the state was written', () => {
    expect(parsePersisted(JSON.stringify({ onboardingDone: true }))).toEqual({ ...defaultPersistedState, onboardingDone: true });
  });
});
