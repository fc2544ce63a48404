import { z } from 'zod';

/** Stable machine-readable error codes carried in every problem+json answer. */
export const errorCodes = [
  'bad_request',
  'malformed_json',
  'malformed_url',
  'uri_too_long',
  'headers_too_large',
  'request_timeout',
  'validation_failed',
  'unauthorized',
  'invalid_token',
  'token_expired',
  'invalid_credentials',
  'refresh_token_reused',
  'session_revoked',
  'forbidden',
  'not_found',
  'route_not_found',
  'method_not_allowed',
  'conflict',
  'email_taken',
  'idempotency_key_in_use',
  'idempotency_key_reused',
  'payload_too_large',
  'unsupported_media_type',
  'weak_password',
  'rate_limited',
  'quota_exceeded',
  'plan_required',
  'session_closed',
  'not_implemented',
  'internal_error',
  'unavailable',
  'ai_unavailable',
] as const;
export const ErrorCode = z.enum(errorCodes);
export type ErrorCode = z.infer<typeof ErrorCode>;

/** RFC 9457 problem details, as every 4xx and 5xx answer carries them. */
export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    code: ErrorCode,
    requestId: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .catchall(z.unknown())
  .meta({ id: 'Problem' });
export type Problem = z.infer<typeof Problem>;
