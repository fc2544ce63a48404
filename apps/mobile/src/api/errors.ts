import { Problem, type ErrorCode } from '@kalei/contracts/problem';

/** An answer from the API that was not a success: its RFC 9457 problem, parsed. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ErrorCode | 'unknown';
  readonly problem: Problem | null;

  constructor(status: number, problem: Problem | null) {
    super(problem?.detail ?? problem?.title ?? `Request failed with status ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = problem?.code ?? 'unknown';
    this.problem = problem;
  }

  /** For quota_exceeded: the daily limit and when it resets. */
  get quota(): { limit: number | null; resetAt: Date | null } | null {
    if (this.code !== 'quota_exceeded' || !this.problem) return null;
    const limit = typeof this.problem.limit === 'number' ? this.problem.limit : null;
    const resetAt = typeof this.problem.resetAt === 'string' ? new Date(this.problem.resetAt) : null;
    return { limit, resetAt: resetAt && !Number.isNaN(resetAt.getTime()) ? resetAt : null };
  }
}

/** The request never got an answer: offline, DNS, refused connection, timeout. */
export class NetworkError extends Error {
  constructor(cause?: unknown) {
    super('Kalei could not reach the server. Check your connection and try again.');
    this.name = 'NetworkError';
    this.cause = cause;
  }
}

/** The API answered with something the contracts do not describe (an app/API version mismatch). */
export class UnexpectedResponseError extends Error {
  constructor(path: string, cause?: unknown) {
    super(`The server's answer to ${path} was not what this version of the app expects.`);
    this.name = 'UnexpectedResponseError';
    this.cause = cause;
  }
}

/** Reads a problem+json body; null when the body is not one. */
export async function readProblem(response: Response): Promise<Problem | null> {
  try {
    const body: unknown = await response.json();
    const parsed = Problem.safeParse(body);
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Is this the API saying the endpoint does not exist (yet)? Screens show "not available yet". */
export function isNotAvailable(error: unknown): boolean {
  return error instanceof ApiError && (error.code === 'route_not_found' || error.code === 'not_implemented' || (error.status === 404 && error.code === 'unknown'));
}

/** A sentence a person can act on, for any error a request can end with. */
export function describeError(error: unknown): string {
  if (error instanceof NetworkError) return error.message;
  if (error instanceof UnexpectedResponseError) return 'Something changed on the server. Update the app, or try again later.';
  if (!(error instanceof ApiError)) return 'Something went wrong. Please try again.';
  switch (error.code) {
    case 'quota_exceeded': {
      const quota = error.quota;
      const when = quota?.resetAt ? formatResetTime(quota.resetAt) : 'tomorrow';
      const limit = quota?.limit != null ? `all ${quota.limit} for today` : "today's allowance";
      return `You have used ${limit}. It resets ${when}.`;
    }
    case 'rate_limited':
      return 'That was a lot of tries in a short time. Wait a few minutes and try again.';
    case 'invalid_credentials':
      return 'That email and password do not match an account.';
    case 'email_taken':
      return 'An account with this email already exists. Try logging in instead.';
    case 'ai_unavailable':
    case 'unavailable':
      return 'Kalei is having trouble right now. Your words were not lost; please try again in a moment.';
    case 'route_not_found':
    case 'not_implemented':
      return 'This part of Kalei is not available on this server yet.';
    case 'session_revoked':
    case 'refresh_token_reused':
    case 'token_expired':
    case 'invalid_token':
    case 'unauthorized':
      return 'Your session ended. Please log in again.';
    case 'internal_error':
      return 'Something went wrong on our side. Please try again.';
    default:
      return error.problem?.detail ?? error.problem?.title ?? 'Something went wrong. Please try again.';
  }
}

/** "at 00:00" today, or "tomorrow at 00:00", in the device's time zone. */
export function formatResetTime(resetAt: Date, now: Date = new Date()): string {
  const time = resetAt.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  const sameDay = resetAt.toDateString() === now.toDateString();
  if (sameDay) return `at ${time}`;
  const tomorrow = new Date(now);
  tomorrow.setDate(now.getDate() + 1);
  if (resetAt.toDateString() === tomorrow.toDateString()) return `tomorrow at ${time}`;
  return `on ${resetAt.toLocaleDateString()} at ${time}`;
}
