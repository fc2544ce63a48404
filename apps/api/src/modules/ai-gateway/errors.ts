import { UnavailableError } from '../../errors.js';

/**
 * No deployment, not even the local engine, could answer; or a stream broke after the caller had
 * already received part of it. The error handler turns it into a 503 with Retry-After.
 */
export class AiUnavailableError extends UnavailableError {
  /** Seconds the client should wait before trying again (at least 1). */
  readonly retryAfterSeconds: number;

  constructor(detail: string, retryAfterSeconds: number) {
    super(detail, retryAfterSeconds, 'ai_unavailable');
    this.name = 'AiUnavailableError';
    this.retryAfterSeconds = Math.max(1, Math.ceil(retryAfterSeconds));
  }
}
