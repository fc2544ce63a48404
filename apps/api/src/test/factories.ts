import { randomBytes } from 'node:crypto';
import type { RegisterRequest } from '@kalei/contracts/auth';
import type { KaleiApp } from '../app.js';

let sequence = 0;

/** A unique address per call, in a domain that never delivers. */
export function uniqueEmail(label = 'user'): string {
  sequence += 1;
  return `${label}-${sequence}-${randomBytes(4).toString('hex')}@example.test`;
}

/** A unique client address, so factories never trip the per-IP rate limits meant for real clients. */
export function uniqueIp(): string {
  const bytes = randomBytes(3);
  return `10.${bytes[0]}.${bytes[1]}.${bytes[2]}`;
}

export interface RegisteredUser {
  userId: string;
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
  sessionId: string;
  /** Spread into `headers` of `app.inject`. */
  auth: { authorization: string };
}

/**
 * Registers a user through POST /v1/auth/register (the real path: hashing, profile, session,
 * audit) and returns its credentials. Every call uses a new email and client address.
 */
export async function registerUser(app: Pick<KaleiApp, 'inject'>, overrides: Partial<RegisterRequest> = {}): Promise<RegisteredUser> {
  const payload: RegisterRequest = {
    email: uniqueEmail(),
    password: `Correct horse ${randomBytes(6).toString('hex')}`,
    ...overrides,
  };
  const res = await app.inject({ method: 'POST', url: '/v1/auth/register', payload, remoteAddress: uniqueIp() });
  if (res.statusCode !== 201) throw new Error(`registerUser: expected 201, got ${res.statusCode}: ${res.body}`);
  const body = res.json() as { user: { id: string; email: string }; tokens: { accessToken: string; refreshToken: string; sessionId: string } };
  return {
    userId: body.user.id,
    email: body.user.email,
    password: payload.password,
    accessToken: body.tokens.accessToken,
    refreshToken: body.tokens.refreshToken,
    sessionId: body.tokens.sessionId,
    auth: { authorization: `Bearer ${body.tokens.accessToken}` },
  };
}
