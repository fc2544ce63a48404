/**
 * `npm run reencrypt`: after putting a new key first in KALEI_DATA_KEYS, moves every encrypted
 * value to it. Safe to stop and run again, and to run while the API serves. Remove an old key
 * from the ring only after a run that moved nothing.
 */
import { ConfigError, loadConfig, readEnvironment } from './config.js';
import { createColumnCipher } from './infra/crypto.js';
import { closeInfra, openInfra } from './infra/infra.js';
import { reencryptAll } from './modules/privacy/reencrypt.js';

try {
  const config = loadConfig();
  const infra = await openInfra(config, readEnvironment());
  try {
    const cipher = createColumnCipher(infra.secrets.dataKeys);
    const moved = await reencryptAll(infra.database.db, cipher);
    const total = Object.values(moved).reduce((a, b) => a + b, 0);
    process.stdout.write(`re-encrypted ${total} value(s) to key ${cipher.activeKid}${total ? `: ${JSON.stringify(moved)}` : ''}\n`);
  } finally {
    await closeInfra(infra);
  }
} catch (error) {
  process.stderr.write(`${error instanceof ConfigError ? error.message : `re-encryption failed: ${(error as Error).message}`}\n`);
  process.exit(1);
}
