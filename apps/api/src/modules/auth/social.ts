import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import type { IdentityProvider } from '@kalei/contracts/auth';
import type { Config } from '../../config.js';
import { NotImplementedError, UnauthorizedError, UnavailableError } from '../../errors.js';
import { claimIsTrue, safeEqual, sha256Hex } from './fns.js';

/** What a verified Apple or Google ID token says about the person. */
export interface SocialIdentity {
  provider: IdentityProvider;
  subject: string;
  email: string | null;
  emailVerified: boolean;
}

type SocialConfig = Pick<
  Config,
  'APPLE_CLIENT_IDS' | 'APPLE_JWKS_URL' | 'APPLE_ISSUER' | 'GOOGLE_CLIENT_IDS' | 'GOOGLE_JWKS_URL' | 'GOOGLE_ISSUERS'
>;

/** Device and provider clocks drift a little. */
const CLOCK_TOLERANCE_SECONDS = 30;

const providerNames: Record<IdentityProvider, string> = { apple: 'Apple', google: 'Google' };

/**
 * Verifies Sign in with Apple / Google ID tokens against the provider's JWKS (fetched and cached by
 * jose; the URLs are configurable so tests serve their own keys): RS256 signature, `iss`, `aud`
 * among the configured client ids, `exp`, and the nonce.
 */
export function createSocialVerifier(deps: { config: SocialConfig; now: () => Date }) {
  const { config } = deps;
  const settings = {
    apple: { clientIds: config.APPLE_CLIENT_IDS, issuers: [config.APPLE_ISSUER], jwksUrl: config.APPLE_JWKS_URL, variable: 'APPLE_CLIENT_IDS' },
    google: { clientIds: config.GOOGLE_CLIENT_IDS, issuers: config.GOOGLE_ISSUERS, jwksUrl: config.GOOGLE_JWKS_URL, variable: 'GOOGLE_CLIENT_IDS' },
  } as const;
  const keySets = new Map<IdentityProvider, ReturnType<typeof createRemoteJWKSet>>();
  const keySet = (provider: IdentityProvider) => {
    let set = keySets.get(provider);
    if (!set) {
      set = createRemoteJWKSet(new URL(settings[provider].jwksUrl), { timeoutDuration: 5_000, cooldownDuration: 30_000 });
      keySets.set(provider, set);
    }
    return set;
  };

  return {
    /**
     * Verifies an ID token. For Apple `nonce` is the raw nonce the app generated and the token
     * carries its SHA-256 hex; for Google the token carries the nonce as given.
     */
    async verify(provider: IdentityProvider, idToken: string, nonce: string | undefined): Promise<SocialIdentity> {
      const name = providerNames[provider];
      const { clientIds, issuers, variable } = settings[provider];
      if (clientIds.length === 0) {
        throw new NotImplementedError(`Sign in with ${name} is not configured on this server (set ${variable}).`);
      }
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(idToken, keySet(provider), {
          algorithms: ['RS256'],
          issuer: [...issuers],
          audience: [...clientIds],
          currentDate: deps.now(),
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
          requiredClaims: ['sub', 'iss', 'aud', 'exp', 'iat'],
        }));
      } catch (error) {
        throw mapVerificationError(error, name);
      }

      const expectedNonce = provider === 'apple' && nonce !== undefined ? sha256Hex(nonce) : nonce;
      if (expectedNonce !== undefined) {
        const claim = payload.nonce;
        if (typeof claim !== 'string' || !safeEqual(claim, expectedNonce)) {
          throw new UnauthorizedError('invalid_token', `The ${name} identity token was not issued for this sign-in (nonce mismatch).`);
        }
      }
      const subject = payload.sub;
      if (typeof subject !== 'string' || subject.length === 0 || subject.length > 255) {
        throw new UnauthorizedError('invalid_token', `The ${name} identity token has no usable subject.`);
      }
      const email = typeof payload.email === 'string' && payload.email.length <= 254 ? payload.email.trim().toLowerCase() : null;
      return { provider, subject, email, emailVerified: email !== null && claimIsTrue(payload.email_verified) };
    },
  };
}

export type SocialVerifier = ReturnType<typeof createSocialVerifier>;

function mapVerificationError(error: unknown, name: string): Error {
  if (error instanceof joseErrors.JWTExpired) {
    return new UnauthorizedError('token_expired', `The ${name} identity token has expired: sign in with ${name} again.`);
  }
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    return new UnauthorizedError('invalid_token', `The ${name} identity token is not valid here (${error.claim} claim).`);
  }
  if (
    error instanceof joseErrors.JWSSignatureVerificationFailed ||
    error instanceof joseErrors.JWSInvalid ||
    error instanceof joseErrors.JWTInvalid ||
    error instanceof joseErrors.JOSEAlgNotAllowed ||
    error instanceof joseErrors.JOSENotSupported ||
    error instanceof joseErrors.JWKSNoMatchingKey ||
    error instanceof joseErrors.JWKSMultipleMatchingKeys
  ) {
    return new UnauthorizedError('invalid_token', `The ${name} identity token could not be verified.`);
  }
  // The provider's key set could not be fetched or read: our problem or theirs, not the client's.
  return new UnavailableError(`${name} sign-in is temporarily unavailable; try again shortly.`, 30);
}
