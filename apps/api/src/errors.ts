import type { ErrorCode } from '@kalei/contracts/problem';

export interface AppErrorOptions {
  detail?: string;
  /** Extra problem members, e.g. `limit` and `resetAt` for quota answers. */
  extra?: Record<string, unknown>;
  headers?: Record<string, string>;
  cause?: unknown;
}

/** An error with an HTTP status and a stable code; the error handler turns it into problem+json. */
export class AppError extends Error {
  readonly detail: string | undefined;
  readonly extra: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    readonly title: string,
    options: AppErrorOptions = {},
  ) {
    super(options.detail ?? title, { cause: options.cause });
    this.name = 'AppError';
    this.detail = options.detail;
    this.extra = options.extra ?? {};
    this.headers = options.headers ?? {};
  }
}

/** 404: also the answer for another user's rows, so their existence is never revealed. */
export class NotFoundError extends AppError {
  constructor(what = 'resource', options: AppErrorOptions = {}) {
    super(404, 'not_found', 'Not found', { detail: `No such ${what}.`, ...options });
  }
}

export class UnauthorizedError extends AppError {
  constructor(code: ErrorCode = 'unauthorized', detail = 'Authentication is required.', options: AppErrorOptions = {}) {
    super(401, code, 'Unauthorized', {
      detail,
      headers: { 'www-authenticate': 'Bearer realm="kalei"' },
      ...options,
    });
  }
}

export class ForbiddenError extends AppError {
  constructor(detail = 'This action is not allowed.', options: AppErrorOptions = {}) {
    super(403, 'forbidden', 'Forbidden', { detail, ...options });
  }
}

export class ConflictError extends AppError {
  constructor(code: ErrorCode = 'conflict', detail = 'The request conflicts with the current state.', options: AppErrorOptions = {}) {
    super(409, code, 'Conflict', { detail, ...options });
  }
}

export class ValidationError extends AppError {
  constructor(detail: string, errors: { path: string; message: string }[] = [], code: ErrorCode = 'validation_failed') {
    super(400, code, 'Invalid request', { detail, extra: errors.length > 0 ? { errors } : {} });
  }
}

/** 429 for request-rate limits (login, refresh); carries Retry-After. */
export class RateLimitedError extends AppError {
  constructor(retryAfterSeconds: number, detail = 'Too many requests. Try again later.') {
    const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
    super(429, 'rate_limited', 'Too many requests', {
      detail,
      headers: { 'retry-after': String(seconds) },
      extra: { retryAfterSeconds: seconds },
    });
  }
}

/** 429 for plan quotas: says the limit and when it resets. */
export class QuotaExceededError extends AppError {
  constructor(options: { feature: string; limit: number; resetAt: Date; plan: string; now?: Date }) {
    const seconds = Math.max(1, Math.ceil((options.resetAt.getTime() - (options.now ?? new Date()).getTime()) / 1000));
    super(429, 'quota_exceeded', 'Daily limit reached', {
      detail: `The ${options.plan} plan allows ${options.limit} ${options.feature} a day.`,
      headers: { 'retry-after': String(seconds) },
      extra: { feature: options.feature, limit: options.limit, plan: options.plan, resetAt: options.resetAt.toISOString() },
    });
  }
}

export class UnavailableError extends AppError {
  constructor(detail = 'The service is temporarily unavailable.', retryAfterSeconds = 5, code: ErrorCode = 'unavailable') {
    super(503, code, 'Service unavailable', {
      detail,
      headers: { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))) },
      extra: { retryAfterSeconds: Math.max(1, Math.ceil(retryAfterSeconds)) },
    });
  }
}

export class NotImplementedError extends AppError {
  constructor(detail: string) {
    super(501, 'not_implemented', 'Not implemented', { detail });
  }
}
