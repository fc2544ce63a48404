import { safetyCategories, type SafetyCategory } from '@kalei/contracts/ai-tasks';
import { CrisisResponse } from '@kalei/contracts/safety';
import { describe, expect, test } from 'vitest';
import { resolveCrisisResources } from './resources.js';
import { buildCrisisResponse, primaryCategory, TEMPLATE_VERSION } from './templates.js';

const us = resolveCrisisResources({ country: 'US' });
const unknown = resolveCrisisResources({ country: null, locale: null });

describe('buildCrisisResponse', () => {
  test.each(safetyCategories.map((c) => [c]))('%s: a valid response with its own wording and the resources', (category) => {
    const response = buildCrisisResponse({ categories: [category], resources: us, locale: 'en-US' });
    expect(CrisisResponse.parse(response)).toEqual(response);
    expect(response).toMatchObject({ kind: 'crisis', primaryCategory: category, categories: [category], locale: 'en', templateVersion: TEMPLATE_VERSION });
    expect(response.resources.length).toBe(us.resources.length);
    expect(response.international.length).toBeGreaterThan(0);
    expect(JSON.stringify(response)).not.toContain('{emergency}');
    expect(response.steps.join(' ')).toContain('911');
  });

  test('every category has different wording', () => {
    const messages = safetyCategories.map((c) => buildCrisisResponse({ categories: [c], resources: us, locale: 'en' }).message);
    expect(new Set(messages).size).toBe(safetyCategories.length);
  });

  test('a medical emergency asks for emergency services first', () => {
    const response = buildCrisisResponse({ categories: ['medical_emergency'], resources: us, locale: 'en' });
    expect(response.urgency).toBe('emergency');
    expect(response.steps[0]).toMatch(/^Call 911 now/);
  });

  test.each([
    [['self_harm', 'suicidal_ideation'], 'suicidal_ideation'],
    [['suicidal_ideation', 'medical_emergency'], 'medical_emergency'],
    [['harm_to_others', 'danger_abuse'], 'danger_abuse'],
    [[], 'suicidal_ideation'],
  ] as const)('the most urgent of %j leads: %s', (categories, primary) => {
    expect(primaryCategory(categories as readonly SafetyCategory[])).toBe(primary);
  });

  test('a danger or abuse response lists the domestic-violence line first', () => {
    const response = buildCrisisResponse({ categories: ['danger_abuse'], resources: us, locale: 'en' });
    expect(response.resources[0]?.name).toBe('National Domestic Violence Hotline');
    const ideation = buildCrisisResponse({ categories: ['suicidal_ideation'], resources: us, locale: 'en' });
    expect(ideation.resources[0]?.name).toBe('988 Suicide & Crisis Lifeline');
  });

  test('without a region it still tells people to call their local emergency number', () => {
    const response = buildCrisisResponse({ categories: ['suicidal_ideation'], resources: unknown, locale: 'ja-JP' });
    expect(response.resources).toEqual([]);
    expect(response.steps.join(' ')).toContain('your local emergency number');
    expect(response.locale).toBe('en');
    expect(response.region).toEqual({ country: null, source: 'international' });
  });

  test('internal fields (verification, topics) never reach the app', () => {
    const response = buildCrisisResponse({ categories: ['danger_abuse'], resources: us, locale: 'en' });
    const json = JSON.stringify(response);
    expect(json).not.toContain('verified');
    expect(json).not.toContain('topics');
    expect(json).not.toContain('needs-confirmation');
  });
});
