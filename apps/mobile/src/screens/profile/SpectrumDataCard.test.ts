import { windowProblem } from './SpectrumDataCard';

test('a window is sent only with two dates in order', () => {
  expect(windowProblem('2026-03-01', '2026-03-07')).toBeNull();
  expect(windowProblem('2026-03-07', '2026-03-07')).toBeNull();
  expect(windowProblem('2026-03-08', '2026-03-07')).toBe('The first date must not be after the last.');
  expect(windowProblem('yesterday', '2026-03-07')).toBe('Give both dates as YYYY-MM-DD.');
  expect(windowProblem('2026-03-01', '')).toBe('Give both dates as YYYY-MM-DD.');
});
