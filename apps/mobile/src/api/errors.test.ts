import { ApiError, NetworkError, describeError, formatResetTime, isNotAvailable } from './errors';

const problem = (code: string, extra: Record<string, unknown> = {}) => ({ type: 'about:blank', title: 'x', status: 400, code, ...extra }) as never;

describe('describeError', () => {
  it('says when a used-up quota resets', () => {
    const resetAt = new Date(Date.now() + 60 * 60_000);
    const error = new ApiError(429, problem('quota_exceeded', { limit: 5, resetAt: resetAt.toISOString() }));
    expect(error.quota).toEqual({ limit: 5, resetAt });
    expect(describeError(error)).toMatch(/^You have used all 5 for today\. It resets (at|tomorrow at) /);
  });

  it.each([
    ['invalid_credentials', /do not match/],
    ['email_taken', /already exists/],
    ['route_not_found', /not available on this server yet/],
    ['ai_unavailable', /not lost/],
  ])('explains %s', (code, message) => {
    expect(describeError(new ApiError(400, problem(code)))).toMatch(message);
  });

  it('explains network failures and unknown errors', () => {
    expect(describeError(new NetworkError())).toMatch(/could not reach/);
    expect(describeError(new Error('boom'))).toBe('Something went wrong. Please try again.');
  });

  it('recognises endpoints the server does not have yet', () => {
    expect(isNotAvailable(new ApiError(404, problem('route_not_found')))).toBe(true);
    expect(isNotAvailable(new ApiError(404, problem('not_found')))).toBe(false);
  });
});

describe('formatResetTime', () => {
  it('says tomorrow for a reset after midnight', () => {
    const now = new Date(2026, 2, 14, 22, 0);
    expect(formatResetTime(new Date(2026, 2, 15, 0, 0), now)).toMatch(/^tomorrow at /);
    expect(formatResetTime(new Date(2026, 2, 14, 23, 0), now)).toMatch(/^at /);
  });
});
