import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Column-level encryption for reflective text (AES-256-GCM, node:crypto). A stored value is
 * `enc1.<kid>.<iv>.<ciphertext+tag>` (base64url parts), so keys can rotate: the first key of the
 * ring encrypts, every key decrypts, and a re-encryption pass moves old values to the active key.
 * The associated data binds a value to its column and owner, so a ciphertext copied into another
 * row or another user's record fails to decrypt instead of leaking.
 */
export interface DataKey {
  kid: string;
  key: Buffer;
}

export interface ColumnCipher {
  readonly activeKid: string;
  encrypt(plaintext: string, context: string): string;
  decrypt(stored: string, context: string): string;
  /** The key id a stored value was encrypted with. */
  kidOf(stored: string): string;
}

export class DecryptionError extends Error {
  override name = 'DecryptionError';
}

const PREFIX = 'enc1';
const KID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;

/** Parses `kid:base64key[,kid:base64key…]`; each key must be 32 bytes. */
export function parseDataKeys(value: string): DataKey[] {
  const keys = value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const separator = part.indexOf(':');
      const kid = part.slice(0, separator);
      const key = Buffer.from(part.slice(separator + 1), 'base64');
      if (separator < 1 || !KID_PATTERN.test(kid)) throw new Error('each data key needs a kid of letters, digits, _ or - before a colon');
      if (key.length !== 32) throw new Error(`data key ${kid} must be 32 bytes of base64`);
      return { kid, key };
    });
  if (keys.length === 0) throw new Error('at least one data key is required');
  if (new Set(keys.map((k) => k.kid)).size !== keys.length) throw new Error('data key ids must be unique');
  return keys;
}

/** A new random data key in the `kid:base64` form KALEI_DATA_KEYS takes. */
export function generateDataKey(kid = `d${randomBytes(4).toString('hex')}`): string {
  return `${kid}:${randomBytes(32).toString('base64')}`;
}

const IV_BYTES = 12;
const IVS_PER_DRAW = 512;
let ivPool = Buffer.alloc(0);
let ivOffset = 0;

/**
 * A fresh random GCM nonce. Drawn from the CSPRNG 512 at a time (as randomUUID pools its bytes): one
 * getrandom call per value was a measurable share of a turn. Each is used once; a refill allocates a
 * new pool, so handed-out nonces are never overwritten.
 */
function nextIv(): Buffer {
  if (ivOffset + IV_BYTES > ivPool.length) {
    ivPool = randomBytes(IV_BYTES * IVS_PER_DRAW);
    ivOffset = 0;
  }
  const iv = ivPool.subarray(ivOffset, ivOffset + IV_BYTES);
  ivOffset += IV_BYTES;
  return iv;
}

/** Builds the cipher from a key ring; the first key encrypts. */
export function createColumnCipher(ring: DataKey[]): ColumnCipher {
  const active = ring[0];
  if (!active) throw new Error('empty data key ring');
  const byKid = new Map(ring.map((k) => [k.kid, k.key]));

  const parse = (stored: string) => {
    const parts = stored.split('.');
    if (parts.length !== 4 || parts[0] !== PREFIX) throw new DecryptionError('not an encrypted value');
    return { kid: parts[1]!, iv: Buffer.from(parts[2]!, 'base64url'), body: Buffer.from(parts[3]!, 'base64url') };
  };

  return {
    activeKid: active.kid,
    encrypt(plaintext, context) {
      const iv = nextIv();
      const cipher = createCipheriv('aes-256-gcm', active.key, iv);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
      return `${PREFIX}.${active.kid}.${iv.toString('base64url')}.${body.toString('base64url')}`;
    },
    decrypt(stored, context) {
      const { kid, iv, body } = parse(stored);
      const key = byKid.get(kid);
      if (!key) throw new DecryptionError(`unknown data key ${kid}`);
      if (body.length < 16) throw new DecryptionError('truncated value');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, iv);
        decipher.setAAD(Buffer.from(context, 'utf8'));
        decipher.setAuthTag(body.subarray(body.length - 16));
        return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]).toString('utf8');
      } catch {
        throw new DecryptionError('value does not authenticate');
      }
    },
    kidOf(stored) {
      return parse(stored).kid;
    },
  };
}
