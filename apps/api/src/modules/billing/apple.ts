import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  APIException,
  AppStoreServerAPIClient,
  Environment,
  SignedDataVerifier,
  VerificationException,
  VerificationStatus,
  type JWSRenewalInfoDecodedPayload,
  type JWSTransactionDecodedPayload,
  type ResponseBodyV2DecodedPayload,
} from '@apple/app-store-server-library';
import type { AppleRenewalInfo, AppleTransaction } from './fns.js';

/** The App Store environments Kalei can accept; Xcode and local testing skip signatures and never are. */
export type AppleEnvironment = 'Production' | 'Sandbox';

/**
 * Why signed App Store data was refused. `malformed` is a 400; `untrusted`, `wrong_app` and
 * `wrong_environment` are 403; `retryable` (an OCSP check could not be made) is a 503.
 */
export type AppleRefusal = 'malformed' | 'untrusted' | 'wrong_app' | 'wrong_environment' | 'retryable';

export class AppleSignedDataError extends Error {
  override name = 'AppleSignedDataError';
  constructor(
    readonly refusal: AppleRefusal,
    message: string,
  ) {
    super(message);
  }
}

const refusalMessages: Record<AppleRefusal, string> = {
  malformed: 'The signed data is not a well-formed App Store JWS.',
  untrusted: "The signature does not verify against Apple's root certificates.",
  wrong_app: 'The signed data is for another app (bundle id or app Apple id).',
  wrong_environment: 'The signed data is from an App Store environment this server does not accept.',
  retryable: "Apple's certificate status could not be checked; try again later.",
};

function refusalOf(error: unknown): AppleSignedDataError {
  if (error instanceof AppleSignedDataError) return error;
  if (error instanceof VerificationException) {
    const refusal: AppleRefusal =
      error.status === VerificationStatus.INVALID_APP_IDENTIFIER
        ? 'wrong_app'
        : error.status === VerificationStatus.INVALID_ENVIRONMENT
          ? 'wrong_environment'
          : error.status === VerificationStatus.RETRYABLE_VERIFICATION_FAILURE
            ? 'retryable'
            : error.status === VerificationStatus.FAILURE
              ? 'malformed'
              : 'untrusted';
    return new AppleSignedDataError(refusal, refusalMessages[refusal]);
  }
  return new AppleSignedDataError('untrusted', refusalMessages.untrusted);
}

/** The payload of a compact JWS, unverified: used only to choose which verifier checks it. */
function peekPayload(jws: string): Record<string, unknown> {
  const parts = jws.split('.');
  if (parts.length !== 3 || !parts[1]) throw new AppleSignedDataError('malformed', refusalMessages.malformed);
  try {
    const payload: unknown = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    if (!payload || typeof payload !== 'object' || Array.isArray(payload)) throw new Error('not an object');
    return payload as Record<string, unknown>;
  } catch {
    throw new AppleSignedDataError('malformed', refusalMessages.malformed);
  }
}

function environmentOfNotification(payload: Record<string, unknown>): unknown {
  for (const part of ['data', 'summary', 'appData'] as const) {
    const section = payload[part] as { environment?: unknown } | undefined;
    if (section && typeof section === 'object' && section.environment !== undefined) return section.environment;
  }
  return undefined;
}

/** Reads Apple root certificates (DER `.cer` as Apple publishes them, or PEM) as DER buffers. */
export function loadAppleRootCertificates(paths: readonly string[]): Buffer[] {
  return paths.map((file) => {
    const content = readFileSync(file);
    // X509Certificate reads both encodings; `.raw` is the DER the verifier wants.
    return new X509Certificate(content).raw;
  });
}

export interface VerifiedAppleNotification {
  notification: Omit<ResponseBodyV2DecodedPayload, 'data'> & { data?: Record<string, unknown> };
  notificationType: string;
  subtype: string | null;
  notificationUUID: string;
  environment: AppleEnvironment;
  transaction: AppleTransaction | null;
  renewal: AppleRenewalInfo | null;
}

/** Copies the decision-relevant fields of a verified transaction (never the signed string). */
function transactionOf(decoded: JWSTransactionDecodedPayload): AppleTransaction {
  return {
    ...(decoded.originalTransactionId !== undefined && { originalTransactionId: decoded.originalTransactionId }),
    ...(decoded.transactionId !== undefined && { transactionId: decoded.transactionId }),
    ...(decoded.productId !== undefined && { productId: decoded.productId }),
    ...(decoded.expiresDate !== undefined && { expiresDate: decoded.expiresDate }),
    ...(decoded.purchaseDate !== undefined && { purchaseDate: decoded.purchaseDate }),
    ...(decoded.revocationDate !== undefined && { revocationDate: decoded.revocationDate }),
    ...(decoded.revocationReason !== undefined && { revocationReason: Number(decoded.revocationReason) }),
    ...(decoded.appAccountToken !== undefined && { appAccountToken: decoded.appAccountToken }),
    ...(decoded.inAppOwnershipType !== undefined && { inAppOwnershipType: String(decoded.inAppOwnershipType) }),
    ...(decoded.environment !== undefined && { environment: String(decoded.environment) }),
    ...(decoded.signedDate !== undefined && { signedDate: decoded.signedDate }),
    ...(decoded.type !== undefined && { type: String(decoded.type) }),
  };
}

function renewalOf(decoded: JWSRenewalInfoDecodedPayload): AppleRenewalInfo & { originalTransactionId?: string } {
  return {
    ...(decoded.originalTransactionId !== undefined && { originalTransactionId: decoded.originalTransactionId }),
    ...(decoded.autoRenewStatus !== undefined && { autoRenewStatus: Number(decoded.autoRenewStatus) }),
    ...(decoded.autoRenewProductId !== undefined && { autoRenewProductId: decoded.autoRenewProductId }),
    ...(decoded.isInBillingRetryPeriod !== undefined && { isInBillingRetryPeriod: decoded.isInBillingRetryPeriod }),
    ...(decoded.gracePeriodExpiresDate !== undefined && { gracePeriodExpiresDate: decoded.gracePeriodExpiresDate }),
    ...(decoded.expirationIntent !== undefined && { expirationIntent: Number(decoded.expirationIntent) }),
    ...(decoded.signedDate !== undefined && { signedDate: decoded.signedDate }),
  };
}

export interface AppleVerifierOptions {
  bundleId: string;
  appAppleId: number | undefined;
  /** DER root certificates. */
  rootCertificates: Buffer[];
  environments: readonly AppleEnvironment[];
  /** OCSP revocation checks and "now" as the certificate-validity date; off only in tests. */
  onlineChecks: boolean;
}

/**
 * Verifies App Store signed data with one SignedDataVerifier per accepted environment, so a
 * sandbox signature can never pass as production. The environment claimed by the (unverified)
 * payload only picks the verifier; the verifier then checks the claim under the signature.
 */
export function createAppleVerifier(options: AppleVerifierOptions) {
  const verifiers = new Map<AppleEnvironment, SignedDataVerifier>(
    options.environments.map((environment) => [
      environment,
      new SignedDataVerifier(
        options.rootCertificates,
        options.onlineChecks,
        environment === 'Production' ? Environment.PRODUCTION : Environment.SANDBOX,
        options.bundleId,
        options.appAppleId,
      ),
    ]),
  );

  function verifierFor(environment: unknown): [AppleEnvironment, SignedDataVerifier] {
    if (environment === undefined) throw new AppleSignedDataError('malformed', 'The signed data names no App Store environment.');
    const verifier = verifiers.get(environment as AppleEnvironment);
    if (!verifier) throw new AppleSignedDataError('wrong_environment', `App Store environment ${String(environment).slice(0, 32)} is not accepted here.`);
    return [environment as AppleEnvironment, verifier];
  }

  async function transactionAndRenewal(verifier: SignedDataVerifier, signedTransaction: string | undefined, signedRenewal: string | undefined) {
    const transaction = signedTransaction ? transactionOf(await verifier.verifyAndDecodeTransaction(signedTransaction)) : null;
    const renewal = signedRenewal ? renewalOf(await verifier.verifyAndDecodeRenewalInfo(signedRenewal)) : null;
    if (transaction && renewal?.originalTransactionId && renewal.originalTransactionId !== transaction.originalTransactionId) {
      throw new AppleSignedDataError('malformed', 'The renewal info belongs to another subscription than the transaction.');
    }
    return { transaction, renewal };
  }

  return {
    /** Verifies an App Store Server Notification V2 `signedPayload` and the transaction and renewal info inside it. */
    async verifyNotification(signedPayload: string): Promise<VerifiedAppleNotification> {
      try {
        const [environment, verifier] = verifierFor(environmentOfNotification(peekPayload(signedPayload)));
        const decoded = await verifier.verifyAndDecodeNotification(signedPayload);
        if (!decoded.notificationUUID || !decoded.notificationType) {
          throw new AppleSignedDataError('malformed', 'The notification has no notificationUUID or notificationType.');
        }
        const { transaction, renewal } = await transactionAndRenewal(
          verifier,
          decoded.data?.signedTransactionInfo,
          decoded.data?.signedRenewalInfo,
        );
        // Keep the decoded notification without its signed strings: those are stored decoded.
        const { data: rawData, ...rest } = decoded;
        const { signedTransactionInfo: _t, signedRenewalInfo: _r, ...data } = rawData ?? {};
        return {
          notification: { ...rest, ...(rawData ? { data: data as Record<string, unknown> } : {}) },
          notificationType: String(decoded.notificationType),
          subtype: decoded.subtype ? String(decoded.subtype) : null,
          notificationUUID: decoded.notificationUUID,
          environment,
          transaction,
          renewal,
        };
      } catch (error) {
        throw refusalOf(error);
      }
    },

    /** Verifies a StoreKit 2 signed transaction (and optional renewal info) sent by the app. */
    async verifyTransaction(signedTransaction: string, signedRenewalInfo?: string) {
      try {
        const [environment, verifier] = verifierFor(peekPayload(signedTransaction).environment);
        const { transaction, renewal } = await transactionAndRenewal(verifier, signedTransaction, signedRenewalInfo);
        return { environment, transaction: transaction!, renewal };
      } catch (error) {
        throw refusalOf(error);
      }
    },

    /** Verifies the signed pair the App Store Server API returned for one subscription. */
    async verifyStatus(environment: AppleEnvironment, signedTransaction: string, signedRenewalInfo: string | undefined) {
      try {
        const [, verifier] = verifierFor(environment);
        const { transaction, renewal } = await transactionAndRenewal(verifier, signedTransaction, signedRenewalInfo);
        return { transaction: transaction!, renewal };
      } catch (error) {
        throw refusalOf(error);
      }
    },
  };
}
export type AppleVerifier = ReturnType<typeof createAppleVerifier>;

/** AppStoreServerAPIClient on a configurable base URL (tests run a local stand-in). */
class AppStoreApiClient extends AppStoreServerAPIClient {
  constructor(
    signingKey: string,
    keyId: string,
    issuerId: string,
    bundleId: string,
    environment: Environment,
    private readonly baseUrl: string | undefined,
  ) {
    super(signingKey, keyId, issuerId, bundleId, environment);
  }

  protected override async makeFetchRequest(
    path: string,
    query: URLSearchParams,
    method: string,
    body: string | Buffer | undefined,
    headers: { [key: string]: string },
  ) {
    if (!this.baseUrl) return super.makeFetchRequest(path, query, method, body, headers);
    const url = `${this.baseUrl.replace(/\/$/, '')}${path}?${query.toString()}`;
    const payload = body === undefined ? null : typeof body === 'string' ? body : new Uint8Array(body);
    const response = await fetch(url, { method, body: payload, headers, signal: AbortSignal.timeout(15_000) });
    return response as unknown as Awaited<ReturnType<AppStoreServerAPIClient['makeFetchRequest']>>;
  }
}

export interface AppStoreApiOptions {
  keyId: string;
  issuerId: string;
  /** The In-App Purchase key (.p8, PKCS#8 PEM). */
  privateKey: string;
  bundleId: string;
  baseUrl: string | undefined;
}

/** The App Store Server API, for reconciliation: the latest signed state of one subscription. */
export function createAppStoreApi(options: AppStoreApiOptions) {
  const clients = new Map<AppleEnvironment, AppStoreApiClient>();
  const clientFor = (environment: AppleEnvironment) => {
    let client = clients.get(environment);
    if (!client) {
      client = new AppStoreApiClient(
        options.privateKey,
        options.keyId,
        options.issuerId,
        options.bundleId,
        environment === 'Production' ? Environment.PRODUCTION : Environment.SANDBOX,
        options.baseUrl,
      );
      clients.set(environment, client);
    }
    return client;
  };

  return {
    /** The latest signed transaction and renewal info of a subscription; null when Apple does not know it. */
    async subscriptionStatus(environment: AppleEnvironment, originalTransactionId: string) {
      let response;
      try {
        response = await clientFor(environment).getAllSubscriptionStatuses(originalTransactionId);
      } catch (error) {
        if (error instanceof APIException && (error.httpStatusCode === 404 || error.httpStatusCode === 400)) return null;
        throw error;
      }
      for (const group of response.data ?? []) {
        for (const item of group.lastTransactions ?? []) {
          if (item.originalTransactionId === originalTransactionId && item.signedTransactionInfo) {
            return { signedTransactionInfo: item.signedTransactionInfo, signedRenewalInfo: item.signedRenewalInfo };
          }
        }
      }
      return null;
    },
  };
}
export type AppStoreApi = ReturnType<typeof createAppStoreApi>;
