import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import { errors as joseErrors, importJWK, jwtVerify, SignJWT, type JWK } from 'jose';

/** RFC 9068 media type of our access tokens, so no other JWT (an ID token, say) passes for one. */
const ACCESS_TOKEN_TYPE = 'at+jwt';
/** Verified tokens remembered per process (about 0.5 kB each). */
const VERIFIED_CACHE_MAX = 10_000;
/** Our own clock signs and verifies; a little slack covers several API processes. */
const FUTURE_TOLERANCE_MS = 5_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface AccessTokenClaims {
  userId: string;
  sessionId: string;
}

/** Why an access token was refused; the plugin maps it to a 401 code. */
export class AccessTokenError extends Error {
  constructor(
    readonly code: 'invalid_token' | 'token_expired',
    message: string,
  ) {
    super(message);
    this.name = 'AccessTokenError';
  }
}

export interface AccessTokenOptions {
  /** Ed25519 private JWKs with `kid`: the first signs, every one verifies (key rotation). */
  signingKeys: (JWK & { kid: string })[];
  issuer: string;
  audience: string;
  ttlSeconds: number;
  now: () => Date;
}

/** The public half of an Ed25519 private JWK. */
function publicPart(jwk: JWK & { kid: string }): JWK {
  return { kty: jwk.kty, crv: jwk.crv, x: jwk.x, kid: jwk.kid, alg: 'EdDSA', use: 'sig' };
}

/**
 * EdDSA access tokens: `kid` in the header picks the verification key, the algorithm is pinned,
 * `iss`, `aud`, `typ` and `exp` are checked against the injected clock.
 */
export function createAccessTokens(options: AccessTokenOptions) {
  const [signer] = options.signingKeys;
  if (!signer) throw new Error('at least one signing key is required');
  // Imported once; a bad key surfaces on first use (and is never an unhandled rejection).
  const imported = <T>(promise: Promise<T>) => {
    promise.catch(() => {});
    return promise;
  };
  const signingKey = imported(importJWK(signer, 'EdDSA'));
  const verifyKeys = new Map(options.signingKeys.map((jwk) => [jwk.kid, imported(importJWK(publicPart(jwk), 'EdDSA'))]));

  // A client sends the same access token with every request for its whole lifetime, and an
  // Ed25519 verification costs more than the rest of a small authenticated request. Tokens that
  // verified are remembered (exact string, bounded, oldest dropped first) until they expire; only
  // the time checks are redone. Failed tokens are never remembered, so garbage cannot fill it.
  const verified = new Map<string, { claims: AccessTokenClaims; expiresAtMs: number }>();
  const remember = (token: string, claims: AccessTokenClaims, expiresAtMs: number) => {
    if (verified.size >= VERIFIED_CACHE_MAX) {
      const oldest = verified.keys().next();
      if (!oldest.done) verified.delete(oldest.value);
    }
    verified.set(token, { claims, expiresAtMs });
  };

  return {
    /** Signs a token for a session; `expiresAt` is when it stops verifying. */
    async sign(claims: AccessTokenClaims): Promise<{ token: string; expiresAt: Date }> {
      const issuedAt = Math.floor(options.now().getTime() / 1000);
      const expiresAt = new Date((issuedAt + options.ttlSeconds) * 1000);
      const token = await new SignJWT({ sid: claims.sessionId })
        .setProtectedHeader({ alg: 'EdDSA', kid: signer.kid, typ: ACCESS_TOKEN_TYPE })
        .setSubject(claims.userId)
        .setIssuer(options.issuer)
        .setAudience(options.audience)
        .setIssuedAt(issuedAt)
        .setExpirationTime(issuedAt + options.ttlSeconds)
        .setJti(randomUUID())
        .sign(await signingKey);
      return { token, expiresAt };
    },

    /** Verifies a token; throws AccessTokenError saying whether it is expired or otherwise invalid. */
    async verify(token: string): Promise<AccessTokenClaims> {
      const known = verified.get(token);
      if (known) {
        const now = options.now().getTime();
        if (now < known.expiresAtMs) return known.claims;
        verified.delete(token);
        // Past exp, or older than the TTL: jose would say the same.
        throw new AccessTokenError('token_expired', 'The access token has expired: refresh it.');
      }
      let payload;
      try {
        ({ payload } = await jwtVerify(
          token,
          async (header) => {
            const key = header.kid === undefined ? undefined : verifyKeys.get(header.kid);
            if (!key) throw new AccessTokenError('invalid_token', 'The token was signed with an unknown key.');
            return key;
          },
          {
            algorithms: ['EdDSA'],
            issuer: options.issuer,
            audience: options.audience,
            typ: ACCESS_TOKEN_TYPE,
            currentDate: options.now(),
            // However long a token claims to live, it is refused once older than the configured TTL.
            maxTokenAge: options.ttlSeconds,
            requiredClaims: ['sub', 'sid', 'iat', 'exp', 'jti'],
          },
        ));
      } catch (error) {
        if (error instanceof AccessTokenError) throw error;
        if (error instanceof joseErrors.JWTExpired) throw new AccessTokenError('token_expired', 'The access token has expired: refresh it.');
        throw new AccessTokenError('invalid_token', 'The access token is not valid.');
      }
      const { sub, sid, iat } = payload;
      const issuedInFuture = typeof iat === 'number' && iat * 1000 > options.now().getTime() + FUTURE_TOLERANCE_MS;
      if (issuedInFuture || typeof sub !== 'string' || !UUID.test(sub) || typeof sid !== 'string' || !UUID.test(sid)) {
        throw new AccessTokenError('invalid_token', 'The access token is not valid.');
      }
      const claims = { userId: sub, sessionId: sid };
      remember(token, claims, Math.min((payload.exp ?? 0) * 1000, ((iat ?? 0) + options.ttlSeconds) * 1000));
      return claims;
    },
  };
}

export type AccessTokens = ReturnType<typeof createAccessTokens>;

/** A new opaque refresh token: 256 random bits, base64url. */
export function newRefreshToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * The successor of a refresh token, derived from it with a server key: a replay inside the grace
 * window gets back the same successor the first exchange issued, never a second live chain, and
 * nobody without the key can compute it from a stolen old token.
 */
export function createRefreshSuccessor(key: string): (token: string) => string {
  return (token) => createHmac('sha256', key).update('kalei-refresh-successor\0').update(token).digest('base64url');
}

/** Refresh tokens are stored only as this SHA-256 (hex): a database leak yields no usable token. */
export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
