import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { z } from 'zod';
import type { Config } from '../config.js';
import { generateDataKey, parseDataKeys, type DataKey } from './crypto.js';

const Ed25519PrivateJwk = z.looseObject({
  kty: z.literal('OKP'),
  crv: z.literal('Ed25519'),
  d: z.string().min(1),
  x: z.string().min(1),
  kid: z.string().min(1),
});

const GeneratedSecretsFile = z.object({
  logHashKey: z.string().min(32).optional(),
  signingKeys: z.array(Ed25519PrivateJwk).min(1).optional(),
  dataKeys: z.string().optional(),
});

export interface Secrets {
  logHashKey: string;
  /** Ed25519 private JWKs; the first signs new tokens, all verify. */
  signingKeys: (JWK & { kid: string })[];
  /** Column-encryption key ring; the first encrypts. */
  dataKeys: DataKey[];
  /** Which secrets were generated into the data directory rather than configured. */
  generated: string[];
}

async function newSigningKey(): Promise<JWK & { kid: string }> {
  const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, kid: `k-${randomBytes(6).toString('hex')}`, alg: 'EdDSA', use: 'sig' };
}

/**
 * A fresh set of production secrets as environment values (`npm run secrets` prints them for
 * /etc/kalei/kalei.env): the column-encryption key ring, the log hash key, one signing key and a
 * metrics scrape token.
 */
export async function freshSecretsEnv(): Promise<Record<'KALEI_DATA_KEYS' | 'LOG_HASH_KEY' | 'AUTH_SIGNING_KEYS' | 'METRICS_TOKEN', string>> {
  return {
    KALEI_DATA_KEYS: generateDataKey(),
    LOG_HASH_KEY: randomBytes(32).toString('base64url'),
    AUTH_SIGNING_KEYS: JSON.stringify([await newSigningKey()]),
    METRICS_TOKEN: randomBytes(24).toString('base64url'),
  };
}

/**
 * Secrets come from configuration; any that is missing is generated once and kept in
 * KALEI_DATA_DIR/secrets.json (mode 0600), which suits the embedded default and development.
 * Production configures them, and the server logs a warning for each generated one.
 */
export async function loadSecrets(config: Config): Promise<Secrets> {
  const file = path.resolve(config.KALEI_DATA_DIR, 'secrets.json');
  let stored: z.infer<typeof GeneratedSecretsFile> | undefined;
  if (existsSync(file)) stored = GeneratedSecretsFile.parse(JSON.parse(readFileSync(file, 'utf8')));

  const generated: string[] = [];
  let signingKeys: (JWK & { kid: string })[];
  if (config.AUTH_SIGNING_KEYS) {
    const parsed = z.array(Ed25519PrivateJwk).min(1).safeParse(JSON.parse(config.AUTH_SIGNING_KEYS));
    if (!parsed.success) throw new Error('AUTH_SIGNING_KEYS must be a JSON array of Ed25519 private JWKs with kid.');
    signingKeys = parsed.data as (JWK & { kid: string })[];
  } else {
    signingKeys = (stored?.signingKeys as (JWK & { kid: string })[] | undefined) ?? [await newSigningKey()];
    generated.push('AUTH_SIGNING_KEYS');
  }
  const logHashKey = config.LOG_HASH_KEY ?? stored?.logHashKey ?? randomBytes(32).toString('base64url');
  if (!config.LOG_HASH_KEY) generated.push('LOG_HASH_KEY');
  const dataKeysText = config.KALEI_DATA_KEYS ?? stored?.dataKeys ?? generateDataKey();
  if (!config.KALEI_DATA_KEYS) generated.push('KALEI_DATA_KEYS');
  let dataKeys: DataKey[];
  try {
    dataKeys = parseDataKeys(dataKeysText);
  } catch (error) {
    throw new Error(`KALEI_DATA_KEYS: ${(error as Error).message}`);
  }

  // Only generated secrets are written: configured ones never land on disk.
  const toStore = {
    ...(generated.includes('LOG_HASH_KEY') ? { logHashKey } : {}),
    ...(generated.includes('AUTH_SIGNING_KEYS') ? { signingKeys } : {}),
    ...(generated.includes('KALEI_DATA_KEYS') ? { dataKeys: dataKeysText } : {}),
  };
  if (generated.length > 0 && JSON.stringify(toStore) !== JSON.stringify(stored ?? {})) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(toStore, null, 2), { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return { logHashKey, signingKeys, dataKeys, generated };
}
