import { describe, expect, test } from 'vitest';
import { mapTrapLabel, trapIds, trapInfo, trapMappings } from '@kalei/contracts/taxonomy';

test('trap ids are unique', () => {
  expect(new Set(trapIds).size).toBe(trapIds.length);
});

test('every trap has a name, a one-line definition and an example', () => {
  for (const id of trapIds) {
    const info = trapInfo[id];
    expect(info.name.length).toBeGreaterThan(3);
    expect(info.definition).not.toContain('\n');
    expect(info.definition.length).toBeLessThan(140);
    expect(info.example.length).toBeGreaterThan(10);
  }
  expect(new Set(trapIds.map((id) => trapInfo[id].name)).size).toBe(trapIds.length);
});

describe('mapTrapLabel', () => {
  test.each([
    ['Black-and-white or polarized thinking / All or nothing thinking', 'all_or_nothing'],
    ['Catastrophizing', 'catastrophizing'],
    ['Discounting the positive', 'disqualifying_positive'],
    ['Jumping to conclusions: Fortune-telling', 'fortune_telling'],
    ['Jumping to conclusions: mind reading', 'mind_reading'],
    ['Labeling and mislabeling', 'labeling'],
    ['Mental filtering', 'mental_filter'],
    ['Overgeneralization', 'overgeneralization'],
    ['Personalization', 'personalization'],
    ['Should statements', 'should_statements'],
  ] as const)('PatternReframe %s', (label, id) => {
    expect(mapTrapLabel(label)).toBe(id);
  });

  test.each([
    ['All-or-Nothing Thinking', 'all_or_nothing'],
    ['Overgeneralizing', 'overgeneralization'],
    ['Labeling', 'labeling'],
    ['Fortune Telling', 'fortune_telling'],
    ['Mind Reading', 'mind_reading'],
    ['Emotional Reasoning', 'emotional_reasoning'],
    ['Should Statements', 'should_statements'],
    ['Personalizing', 'personalization'],
    ['Disqualifying the Positive', 'disqualifying_positive'],
    ['Catastrophizing', 'catastrophizing'],
    ['Comparing and Despairing', 'comparing'],
    ['Blaming', 'blaming'],
  ] as const)('Sharma et al. %s', (label, id) => {
    expect(mapTrapLabel(label)).toBe(id);
  });

  test.each([
    ['all-or-nothing thinking', 'all_or_nothing'],
    ['overgeneralization', 'overgeneralization'],
    ['mental filter', 'mental_filter'],
    ['disqualifying the positive', 'disqualifying_positive'],
    ['mind reading', 'mind_reading'],
    ['fortune teller error', 'fortune_telling'],
    ['magnification (catastrophizing) or minimization', 'catastrophizing'],
    ['emotional reasoning', 'emotional_reasoning'],
    ['should statements', 'should_statements'],
    ['labeling and mislabeling', 'labeling'],
    ['personalization and blame', 'personalization'],
  ] as const)('Burns %s', (label, id) => {
    expect(mapTrapLabel(label)).toBe(id);
  });

  test('ignores case, punctuation and spacing', () => {
    expect(mapTrapLabel('  ALL-OR-NOTHING   thinking ')).toBe('all_or_nothing');
    expect(mapTrapLabel('jumping to conclusions — MIND READING')).toBe('mind_reading');
    expect(mapTrapLabel('should_statements')).toBe('should_statements');
    expect(mapTrapLabel('Catastrophising')).toBe('catastrophizing');
  });

  test('accepts every Kalei id and plain-language name', () => {
    for (const id of trapIds) {
      expect(mapTrapLabel(id)).toBe(id);
      expect(mapTrapLabel(trapInfo[id].name)).toBe(id);
    }
  });

  test('returns null when there is no single Kalei equivalent', () => {
    expect(mapTrapLabel('Negative Feeling or Emotion')).toBeNull();
    expect(mapTrapLabel('Jumping to conclusions')).toBeNull();
    expect(mapTrapLabel('')).toBeNull();
    expect(mapTrapLabel('Happy thoughts')).toBeNull();
  });

  test('every published label in the mapping tables round-trips', () => {
    for (const table of Object.values(trapMappings)) {
      for (const [label, id] of Object.entries(table)) expect(mapTrapLabel(label)).toBe(id);
    }
  });
});
