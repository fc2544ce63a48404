/**
 * A stand-in for Apple's App Store signing: a P-256 CA chain shaped like Apple's (root;
 * intermediate with OID 1.2.840.113635.100.6.2.1; leaf with 1.2.840.113635.100.6.11.1), JWS
 * signing with all three certificates in `x5c`, builders for real-shaped notifications,
 * transactions and renewal infos, and a local App Store Server API (subscription statuses).
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { jwtVerify } from 'jose';

// ---------------------------------------------------------------- a tiny DER writer (enough for X.509 v3)

function der(tag: number, content: Buffer): Buffer {
  const length = content.length;
  let header: Buffer;
  if (length < 0x80) header = Buffer.from([tag, length]);
  else {
    const bytes: number[] = [];
    for (let n = length; n > 0; n >>= 8) bytes.unshift(n & 0xff);
    header = Buffer.from([tag, 0x80 | bytes.length, ...bytes]);
  }
  return Buffer.concat([header, content]);
}
const seq = (...items: Buffer[]) => der(0x30, Buffer.concat(items));
const set = (...items: Buffer[]) => der(0x31, Buffer.concat(items));
const utf8 = (text: string) => der(0x0c, Buffer.from(text, 'utf8'));
const bool = (value: boolean) => der(0x01, Buffer.from([value ? 0xff : 0x00]));
const octets = (content: Buffer) => der(0x04, content);
const bits = (content: Buffer) => der(0x03, Buffer.concat([Buffer.from([0]), content]));
const explicit = (n: number, content: Buffer) => der(0xa0 + n, content);
const NULL = Buffer.from([0x05, 0x00]);

function integer(value: number | Buffer): Buffer {
  let bytes = typeof value === 'number' ? Buffer.from(value.toString(16).padStart(2, '0').replace(/^(.(..)*)$/, '0$1'), 'hex') : value;
  while (bytes.length > 1 && bytes[0] === 0 && (bytes[1]! & 0x80) === 0) bytes = bytes.subarray(1);
  if ((bytes[0]! & 0x80) !== 0) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return der(0x02, bytes);
}

function oid(dotted: string): Buffer {
  const arcs = dotted.split('.').map(Number);
  const out = [40 * arcs[0]! + arcs[1]!];
  for (const arc of arcs.slice(2)) {
    const chunk: number[] = [];
    let n = arc;
    do {
      chunk.unshift(n & 0x7f);
      n = Math.floor(n / 128);
    } while (n > 0);
    for (let i = 0; i < chunk.length - 1; i++) chunk[i]! |= 0x80;
    out.push(...chunk);
  }
  return der(0x06, Buffer.from(out));
}

function utcTime(date: Date): Buffer {
  const iso = date.toISOString();
  const text = `${iso.slice(2, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  return der(0x17, Buffer.from(text, 'ascii'));
}

const name = (commonName: string) => seq(set(seq(oid('2.5.4.3'), utf8(commonName))), set(seq(oid('2.5.4.10'), utf8('Kalei Test Signing'))));
const ECDSA_SHA256 = seq(oid('1.2.840.10045.4.3.2'));

export const APPLE_INTERMEDIATE_OID = '1.2.840.113635.100.6.2.1';
export const APPLE_LEAF_OID = '1.2.840.113635.100.6.11.1';

interface CertificateSpec {
  subject: string;
  issuer: string;
  publicKey: KeyObject;
  signingKey: KeyObject;
  ca: boolean;
  extensionOids: string[];
  notBefore: Date;
  notAfter: Date;
}

let serial = 1000;

function certificate(spec: CertificateSpec): Buffer {
  const extensions = [seq(oid('2.5.29.19'), bool(true), octets(spec.ca ? seq(bool(true)) : seq()))];
  for (const extension of spec.extensionOids) extensions.push(seq(oid(extension), octets(NULL)));
  serial += 1;
  const tbs = seq(
    explicit(0, integer(2)),
    integer(serial),
    ECDSA_SHA256,
    name(spec.issuer),
    seq(utcTime(spec.notBefore), utcTime(spec.notAfter)),
    name(spec.subject),
    spec.publicKey.export({ type: 'spki', format: 'der' }),
    explicit(3, seq(...extensions)),
  );
  return seq(tbs, ECDSA_SHA256, bits(sign('sha256', tbs, spec.signingKey)));
}

export interface AppleChain {
  root: Buffer;
  intermediate: Buffer;
  leaf: Buffer;
  leafKey: KeyObject;
  /** Writes the root (DER, as Apple publishes it) to `dir` and returns the file path. */
  writeRoot(dir: string, fileName?: string): string;
}

/**
 * A P-256 chain shaped like Apple's. `appleOids: false` leaves Apple's marker extensions out
 * (a chain any CA could issue); `validUntil` dates the certificates.
 */
export function createAppleChain(options: { appleOids?: boolean; label?: string; notBefore?: Date; notAfter?: Date } = {}): AppleChain {
  const label = options.label ?? 'Test';
  const notBefore = options.notBefore ?? new Date('2020-01-01T00:00:00Z');
  const notAfter = options.notAfter ?? new Date('2045-01-01T00:00:00Z');
  const appleOids = options.appleOids ?? true;
  const keys = () => generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const rootKeys = keys();
  const intermediateKeys = keys();
  const leafKeys = keys();
  const rootName = `${label} Apple Root CA - G3`;
  const intermediateName = `${label} Apple Worldwide Developer Relations CA - G6`;
  const root = certificate({ subject: rootName, issuer: rootName, publicKey: rootKeys.publicKey, signingKey: rootKeys.privateKey, ca: true, extensionOids: [], notBefore, notAfter });
  const intermediate = certificate({
    subject: intermediateName,
    issuer: rootName,
    publicKey: intermediateKeys.publicKey,
    signingKey: rootKeys.privateKey,
    ca: true,
    extensionOids: appleOids ? [APPLE_INTERMEDIATE_OID] : [],
    notBefore,
    notAfter,
  });
  const leaf = certificate({
    subject: `${label} Prod ECC Mac App Store and iTunes Store Receipt Signing`,
    issuer: intermediateName,
    publicKey: leafKeys.publicKey,
    signingKey: intermediateKeys.privateKey,
    ca: false,
    extensionOids: appleOids ? [APPLE_LEAF_OID] : [],
    notBefore,
    notAfter,
  });
  return {
    root,
    intermediate,
    leaf,
    leafKey: leafKeys.privateKey,
    writeRoot(dir, fileName = `${label.toLowerCase()}-root.cer`) {
      const file = path.join(dir, fileName);
      writeFileSync(file, root);
      return file;
    },
  };
}

const b64url = (value: Buffer | string) => Buffer.from(value).toString('base64url');

/** Signs `payload` as Apple does: ES256, all three certificates in `x5c`. */
export function signAppleJws(chain: AppleChain, payload: object, header: Record<string, unknown> = {}): string {
  const protectedHeader = { alg: 'ES256', x5c: [chain.leaf, chain.intermediate, chain.root].map((cert) => cert.toString('base64')), ...header };
  const input = `${b64url(JSON.stringify(protectedHeader))}.${b64url(JSON.stringify(payload))}`;
  const signature = sign('sha256', Buffer.from(input), { key: chain.leafKey, dsaEncoding: 'ieee-p1363' });
  return `${input}.${b64url(signature)}`;
}

/** The same payload with no signature at all (`alg: none`), still carrying the chain. */
export function unsignedAppleJws(chain: AppleChain, payload: object): string {
  const header = { alg: 'none', x5c: [chain.leaf, chain.intermediate, chain.root].map((cert) => cert.toString('base64')) };
  return `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}.`;
}

/** Replaces the payload of a signed JWS and keeps the old signature (tampering). */
export function tamperJws(jws: string, change: (payload: Record<string, unknown>) => Record<string, unknown>): string {
  const [header, payload, signature] = jws.split('.') as [string, string, string];
  const decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  return `${header}.${b64url(JSON.stringify(change(decoded)))}.${signature}`;
}

// ---------------------------------------------------------------- real-shaped payloads

export interface AppleTestApp {
  bundleId: string;
  appAppleId: number;
}

export interface TransactionSpec {
  originalTransactionId: string;
  transactionId?: string;
  productId: string;
  purchaseDate: Date;
  expiresDate: Date;
  signedDate: Date;
  appAccountToken?: string;
  environment?: 'Production' | 'Sandbox' | 'Xcode';
  revocationDate?: Date;
  revocationReason?: 0 | 1;
  inAppOwnershipType?: 'PURCHASED' | 'FAMILY_SHARED';
  bundleId?: string;
  transactionReason?: 'PURCHASE' | 'RENEWAL';
}

/** A JWSTransactionDecodedPayload as the App Store signs it for an auto-renewable subscription. */
export function transactionPayload(app: AppleTestApp, spec: TransactionSpec): Record<string, unknown> {
  return {
    transactionId: spec.transactionId ?? String(Math.floor(Math.random() * 1e15)),
    originalTransactionId: spec.originalTransactionId,
    webOrderLineItemId: String(Math.floor(Math.random() * 1e15)),
    bundleId: spec.bundleId ?? app.bundleId,
    productId: spec.productId,
    subscriptionGroupIdentifier: '21000001',
    purchaseDate: spec.purchaseDate.getTime(),
    originalPurchaseDate: spec.purchaseDate.getTime(),
    expiresDate: spec.expiresDate.getTime(),
    quantity: 1,
    type: 'Auto-Renewable Subscription',
    inAppOwnershipType: spec.inAppOwnershipType ?? 'PURCHASED',
    signedDate: spec.signedDate.getTime(),
    environment: spec.environment ?? 'Sandbox',
    transactionReason: spec.transactionReason ?? 'PURCHASE',
    storefront: 'USA',
    storefrontId: '143441',
    price: 4990,
    currency: 'USD',
    appTransactionId: '704289572311990000',
    ...(spec.appAccountToken ? { appAccountToken: spec.appAccountToken } : {}),
    ...(spec.revocationDate ? { revocationDate: spec.revocationDate.getTime(), revocationReason: spec.revocationReason ?? 0 } : {}),
  };
}

export interface RenewalSpec {
  originalTransactionId: string;
  productId: string;
  autoRenewProductId?: string;
  autoRenewStatus?: 0 | 1;
  isInBillingRetryPeriod?: boolean;
  gracePeriodExpiresDate?: Date;
  expirationIntent?: number;
  signedDate: Date;
  renewalDate?: Date;
  environment?: 'Production' | 'Sandbox';
}

/** A JWSRenewalInfoDecodedPayload as the App Store signs it. */
export function renewalPayload(spec: RenewalSpec): Record<string, unknown> {
  return {
    originalTransactionId: spec.originalTransactionId,
    productId: spec.productId,
    autoRenewProductId: spec.autoRenewProductId ?? spec.productId,
    autoRenewStatus: spec.autoRenewStatus ?? 1,
    signedDate: spec.signedDate.getTime(),
    environment: spec.environment ?? 'Sandbox',
    recentSubscriptionStartDate: spec.signedDate.getTime() - 86_400_000,
    ...(spec.renewalDate ? { renewalDate: spec.renewalDate.getTime() } : {}),
    ...(spec.isInBillingRetryPeriod !== undefined ? { isInBillingRetryPeriod: spec.isInBillingRetryPeriod } : {}),
    ...(spec.gracePeriodExpiresDate ? { gracePeriodExpiresDate: spec.gracePeriodExpiresDate.getTime() } : {}),
    ...(spec.expirationIntent !== undefined ? { expirationIntent: spec.expirationIntent } : {}),
  };
}

export interface NotificationSpec {
  notificationType: string;
  subtype?: string;
  notificationUUID?: string;
  signedDate: Date;
  environment?: 'Production' | 'Sandbox' | 'Xcode';
  bundleId?: string;
  appAppleId?: number;
  signedTransactionInfo?: string;
  signedRenewalInfo?: string;
  status?: number;
}

/** A ResponseBodyV2DecodedPayload (App Store Server Notifications V2). */
export function notificationPayload(app: AppleTestApp, spec: NotificationSpec): Record<string, unknown> {
  const environment = spec.environment ?? 'Sandbox';
  return {
    notificationType: spec.notificationType,
    ...(spec.subtype ? { subtype: spec.subtype } : {}),
    notificationUUID: spec.notificationUUID ?? randomUUID(),
    version: '2.0',
    signedDate: spec.signedDate.getTime(),
    data: {
      appAppleId: spec.appAppleId ?? app.appAppleId,
      bundleId: spec.bundleId ?? app.bundleId,
      bundleVersion: '42',
      environment,
      ...(spec.signedTransactionInfo ? { signedTransactionInfo: spec.signedTransactionInfo } : {}),
      ...(spec.signedRenewalInfo ? { signedRenewalInfo: spec.signedRenewalInfo } : {}),
      ...(spec.status !== undefined ? { status: spec.status } : {}),
    },
  };
}

// ---------------------------------------------------------------- App Store Server API stand-in

export interface AppStoreApiStandin {
  url: string;
  /** The In-App Purchase key (.p8) file the server is configured with. */
  keyFile: string;
  keyId: string;
  issuerId: string;
  /** Sets what "Get All Subscription Statuses" answers for an original transaction id. */
  setStatus(originalTransactionId: string, item: { status: number; signedTransactionInfo: string; signedRenewalInfo: string }): void;
  requests: string[];
  close(): Promise<void>;
}

/**
 * The App Store Server API's `GET /inApps/v1/subscriptions/{transactionId}`: checks the ES256
 * bearer token (kid, iss, aud `appstoreconnect-v1`, bid) and answers a StatusResponse.
 */
export async function startAppStoreApiStandin(app: AppleTestApp, dir: string): Promise<AppStoreApiStandin> {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const keyFile = path.join(dir, 'SubscriptionKey_TEST.p8');
  writeFileSync(keyFile, createPrivateKey(privateKey.export({ type: 'pkcs8', format: 'pem' })).export({ type: 'pkcs8', format: 'pem' }));
  const keyId = 'TESTKEY123';
  const issuerId = randomUUID();
  const statuses = new Map<string, { status: number; signedTransactionInfo: string; signedRenewalInfo: string }>();
  const requests: string[] = [];
  const verifyKey = createPublicKey(publicKey.export({ type: 'spki', format: 'pem' }));

  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      requests.push(`${req.method} ${url.pathname}`);
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      try {
        if (!token) throw new Error('no token');
        const { payload, protectedHeader } = await jwtVerify(token, verifyKey, { issuer: issuerId, audience: 'appstoreconnect-v1', algorithms: ['ES256'] });
        if (protectedHeader.kid !== keyId || payload.bid !== app.bundleId) throw new Error('wrong key or bundle');
      } catch {
        res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ errorCode: 4010000, errorMessage: 'Unauthenticated' }));
        return;
      }
      const match = /^\/inApps\/v1\/subscriptions\/([^/]+)$/.exec(url.pathname);
      const item = match?.[1] ? statuses.get(decodeURIComponent(match[1])) : undefined;
      if (req.method !== 'GET' || !match || !item) {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ errorCode: 4040010, errorMessage: 'Transaction id not found.' }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          environment: 'Sandbox',
          bundleId: app.bundleId,
          appAppleId: app.appAppleId,
          data: [{ subscriptionGroupIdentifier: '21000001', lastTransactions: [{ originalTransactionId: decodeURIComponent(match[1]!), ...item }] }],
        }),
      );
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    keyFile,
    keyId,
    issuerId,
    setStatus: (id, item) => statuses.set(id, item),
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
