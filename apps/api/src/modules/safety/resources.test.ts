import { CrisisResource } from '@kalei/contracts/safety';
import { describe, expect, test } from 'vitest';
import { CRISIS_DIRECTORY, INTERNATIONAL_RESOURCES, regionOfLocale, resolveCrisisResources } from './resources.js';

const REQUIRED = ['US', 'CA', 'GB', 'IE', 'AU', 'NZ', 'DE', 'FR', 'ES', 'NL', 'IN', 'JP', 'KR', 'BR', 'MX', 'ZA', 'SG'];

describe('the crisis directory', () => {
  test('covers every launch country', () => {
    for (const code of REQUIRED) expect(CRISIS_DIRECTORY[code], code).toBeDefined();
  });

  test.each(Object.entries(CRISIS_DIRECTORY))('%s has an emergency number and a resource you can call or text', (code, entry) => {
    expect(code).toMatch(/^[A-Z]{2}$/);
    expect(entry.emergency.length).toBeGreaterThan(0);
    for (const e of entry.emergency) expect(e.number).toMatch(/^\d{2,5}$/);
    expect(entry.resources.some((r) => r.phone !== undefined || r.text !== undefined)).toBe(true);
    for (const resource of entry.resources) {
      CrisisResource.parse(resource);
      if (resource.phone) expect(resource.phone).toMatch(/^[0-9][0-9 -]{1,16}[0-9]$/);
    }
  });

  test('every entry says where its numbers come from and whether a person has confirmed them', () => {
    const all = [
      ...Object.values(CRISIS_DIRECTORY).flatMap((e) => [e.emergencyVerified, ...e.resources.map((r) => r.verified)]),
      ...INTERNATIONAL_RESOURCES.map((r) => r.verified),
    ];
    for (const v of all) {
      expect(v.source).toMatch(/^https:\/\//);
      // A confirmed entry needs the date it was confirmed; an unconfirmed one must not pretend to have one.
      if (v.status === 'confirmed') expect(v.checkedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      else expect(v.checkedOn).toBeNull();
    }
  });

  test.each([
    ['US', '988', '911'],
    ['CA', '988', '911'],
    ['GB', '116 123', '999'],
    ['IE', '116 123', '112'],
    ['AU', '13 11 14', '000'],
    ['NZ', '1737', '111'],
    ['DE', '0800 111 0 111', '112'],
    ['FR', '3114', '112'],
    ['ES', '024', '112'],
    ['NL', '113', '112'],
    ['IN', '14416', '112'],
    ['JP', '0570-783-556', '119'],
    ['KR', '109', '119'],
    ['BR', '188', '192'],
    ['MX', '800 911 2000', '911'],
    ['ZA', '0800 567 567', '10111'],
    ['SG', '1767', '995'],
  ])('%s lists %s and emergency %s', (code, line, emergency) => {
    const entry = CRISIS_DIRECTORY[code];
    expect(entry?.resources.some((r) => r.phone === line)).toBe(true);
    expect(entry?.emergency[0]?.number).toBe(emergency);
  });

  test('the US lists the Crisis Text Line (HOME to 741741) and Ireland the 50808 text line', () => {
    expect(CRISIS_DIRECTORY.US?.resources.some((r) => r.text?.number === '741741' && r.text.keyword === 'HOME')).toBe(true);
    expect(CRISIS_DIRECTORY.IE?.resources.some((r) => r.text?.number === '50808')).toBe(true);
  });
});

describe('regionOfLocale', () => {
  test.each([
    ['en-GB', 'GB'],
    ['en_gb', 'GB'],
    ['pt-BR', 'BR'],
    ['zh-Hant-TW', 'TW'],
    ['es-419', null],
    ['en', null],
    ['', null],
    [null, null],
  ])('%j -> %j', (locale, region) => {
    expect(regionOfLocale(locale)).toBe(region);
  });
});

describe('resolveCrisisResources', () => {
  test.each([
    [{ country: 'ca', locale: 'en-GB' }, 'CA', 'profile'],
    [{ country: 'UK', locale: 'fr-FR' }, 'GB', 'profile'],
    [{ country: null, locale: 'en-GB' }, 'GB', 'locale'],
    [{ country: 'XX', locale: 'de-DE' }, 'DE', 'locale'],
    [{ country: 'TW', locale: 'en-AU' }, 'AU', 'locale'],
    [{ country: undefined, locale: 'en' }, null, 'international'],
    [{ country: 'TW', locale: 'zh-TW' }, null, 'international'],
    [{}, null, 'international'],
  ] as const)('%j resolves to %s from %s', (input, country, source) => {
    const resolved = resolveCrisisResources(input);
    expect(resolved.country).toBe(country);
    expect(resolved.source).toBe(source);
    expect(resolved.international.length).toBeGreaterThanOrEqual(2);
    expect(resolved.emergency.guidance.length).toBeGreaterThan(0);
  });

  test('always gives emergency guidance, naming the number when the country is known', () => {
    expect(resolveCrisisResources({ country: 'US' }).emergency).toEqual({
      numbers: [{ number: '911', label: 'Emergency services' }],
      guidance: 'If you are in immediate danger or need medical help now, call 911.',
    });
    expect(resolveCrisisResources({ country: null, locale: null }).emergency).toEqual({
      numbers: [],
      guidance: 'If you are in immediate danger or need medical help now, call your local emergency number.',
    });
  });

  test('returns copies, so a caller cannot change the table', () => {
    const resolved = resolveCrisisResources({ country: 'US' });
    resolved.resources.pop();
    expect(resolveCrisisResources({ country: 'US' }).resources.length).toBe(CRISIS_DIRECTORY.US?.resources.length);
  });
});
