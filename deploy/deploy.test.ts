import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, inject, test } from 'vitest';
import { configSchema, loadConfig } from '../apps/api/src/config.js';
import { freshSecretsEnv } from '../apps/api/src/infra/secrets.js';

// The production configuration in deploy/ checked against the code it runs and, where the run has
// them, against the real tools: PostgreSQL's pg_dump for the backup script, Caddy for the Caddyfile.
const deployDir = fileURLToPath(new URL('./', import.meta.url));
const repoRoot = path.resolve(deployDir, '..');
const read = (file: string) => readFileSync(path.join(deployDir, file), 'utf8');
const scratch = mkdtempSync(path.join(tmpdir(), 'kalei-deploy-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** `KEY=value` lines of the environment example; commented-out ones with `commented: true`. */
function exampleEnv() {
  return read('kalei.env.example')
    .split('\n')
    .map((line) => /^(#\s*)?([A-Z][A-Z0-9_]*)=(.*)$/.exec(line.trim()))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => ({ name: match[2]!, value: match[3]!, commented: match[1] !== undefined }));
}

/** One systemd unit's `Key=value` settings (a key may repeat). */
function unitSettings(file: string): Map<string, string[]> {
  const settings = new Map<string, string[]>();
  for (const line of read(path.join('systemd', file)).split('\n')) {
    const match = /^([A-Za-z]+)=(.*)$/.exec(line.trim());
    if (match) settings.set(match[1]!, [...(settings.get(match[1]!) ?? []), match[2]!]);
  }
  return settings;
}

describe('kalei.env.example', () => {
  test('names only real settings, and with fresh secrets filled in the config accepts it', async () => {
    const known = new Set(Object.keys(configSchema.shape));
    const entries = exampleEnv();
    expect(entries.filter((entry) => !known.has(entry.name)).map((entry) => entry.name)).toEqual([]);

    const env = Object.fromEntries(entries.filter((entry) => !entry.commented).map((entry) => [entry.name, entry.value]));
    expect(Object.keys(env)).toEqual(expect.arrayContaining(['DATABASE_URL', 'REDIS_URL', 'TRUST_PROXY', 'KALEI_DATA_KEYS', 'LOG_HASH_KEY', 'AUTH_SIGNING_KEYS', 'METRICS_TOKEN']));
    const config = loadConfig({ ...env, ...(await freshSecretsEnv()) });
    expect(config.TRUST_PROXY).toBe(true);
    expect(config.DATABASE_URL).toBeDefined();
    expect(config.REDIS_URL).toBeDefined();
  });
});

describe('systemd units', () => {
  const services = readdirSync(path.join(deployDir, 'systemd')).filter((file) => file.endsWith('.service'));
  const defaults = loadConfig({});
  const dataDir = exampleEnv().find((entry) => entry.name === 'KALEI_DATA_DIR')!.value;

  test('every service reads the environment file and starts a program that exists', () => {
    expect(services.sort()).toEqual(['kalei-api@.service', 'kalei-backup.service', 'kalei-migrate.service', 'kalei-worker.service']);
    for (const service of services) {
      const settings = unitSettings(service);
      expect(settings.get('EnvironmentFile'), service).toEqual(['/etc/kalei/kalei.env']);
      const [program, ...args] = settings.get('ExecStart')![0]!.split(' ');
      if (program === '/usr/bin/node') {
        // /opt/kalei/apps/api/dist/<name>.js is built from apps/api/src/<name>.ts.
        expect(settings.get('WorkingDirectory'), service).toEqual(['/opt/kalei']);
        const built = /^apps\/api\/dist\/([a-z-]+)\.js$/.exec(args[0]!);
        expect(built, service).not.toBeNull();
        expect(existsSync(path.join(repoRoot, 'apps/api/src', `${built![1]}.ts`)), service).toBe(true);
      } else {
        expect(program!.startsWith('/opt/kalei/'), service).toBe(true);
        const script = path.join(repoRoot, program!.slice('/opt/kalei/'.length));
        expect(statSync(script).mode & 0o111, service).not.toBe(0);
      }
    }
  });

  test('the API and the worker get longer to stop than their graceful drain, and may write their data directory', () => {
    const drainSeconds = defaults.SHUTDOWN_TIMEOUT_MS / 1000;
    const seconds = (service: string) => Number(unitSettings(service).get('TimeoutStopSec')![0]);
    expect(seconds('kalei-api@.service')).toBeGreaterThan(drainSeconds);
    // The worker drains for SHUTDOWN_TIMEOUT_MS + 5 s (worker.ts).
    expect(seconds('kalei-worker.service')).toBeGreaterThan(drainSeconds + 5);
    for (const service of ['kalei-api@.service', 'kalei-worker.service', 'kalei-migrate.service']) {
      expect(unitSettings(service).get('ReadWritePaths'), service).toEqual([dataDir]);
      expect(unitSettings(service).get('Requires') ?? ['kalei-migrate.service'], service).toEqual(['kalei-migrate.service']);
    }
    expect(unitSettings('kalei-api@.service').get('Environment')![0]).toContain('PORT=%i');
  });
});

const adminUrl = process.env.KALEI_TEST_DATABASE_URL;
describe.skipIf(!adminUrl)('backup.sh against PostgreSQL', () => {
  const script = path.join(deployDir, 'backup.sh');

  test('writes a verified custom-format dump readable only by its owner, and prunes old ones', async () => {
    const template = inject('databaseTemplate');
    if (template.kind !== 'postgres') throw new Error('the PostgreSQL pass has a PostgreSQL template');
    const name = `kalei_backup_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      await admin.query(`create database ${name} template ${template.name}`);
      const databaseUrl = new URL(adminUrl!);
      databaseUrl.pathname = `/${name}`;
      const dir = path.join(scratch, 'backups');
      const old = path.join(dir, 'kalei-20200101T000000Z.dump');
      const recent = path.join(dir, 'kalei-20991231T000000Z.dump');
      execFileSync('mkdir', ['-p', dir]);
      writeFileSync(old, 'old');
      writeFileSync(recent, 'recent');
      const monthAgo = new Date(Date.now() - 30 * 24 * 60 * 60 * 1000);
      utimesSync(old, monthAgo, monthAgo);

      const written = execFileSync(script, {
        env: { ...process.env, DATABASE_URL: databaseUrl.toString(), KALEI_BACKUP_DIR: dir, KALEI_BACKUP_KEEP_DAYS: '14', KALEI_BACKUP_ALLOW_PLAINTEXT: '1' },
        encoding: 'utf8',
      }).trim();
      expect(path.dirname(written)).toBe(dir);
      expect(statSync(written).mode & 0o777).toBe(0o600);
      const listing = execFileSync('pg_restore', ['--list', written], { encoding: 'utf8' });
      for (const table of ['users', 'turns', 'mirror_messages', 'ai_usage_events']) expect(listing).toMatch(new RegExp(`TABLE public ${table} `));
      expect(existsSync(old)).toBe(false);
      expect(existsSync(recent)).toBe(true);
      expect(readdirSync(dir).filter((file) => file.includes('partial'))).toEqual([]);

      // A database that cannot be reached fails the run and leaves nothing behind.
      const before = readdirSync(dir).sort();
      const unreachable = new URL(databaseUrl);
      unreachable.pathname = `/${name}_missing`;
      const failed = spawnSync(script, { env: { ...process.env, DATABASE_URL: unreachable.toString(), KALEI_BACKUP_DIR: dir, KALEI_BACKUP_ALLOW_PLAINTEXT: '1' }, encoding: 'utf8' });
      expect(failed.status).not.toBe(0);
      expect(readdirSync(dir).sort()).toEqual(before);
    } finally {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  });
});

const hasAge = spawnSync('age', ['--version']).status === 0;
describe.skipIf(!adminUrl || !hasAge)('encrypted backups and the restore drill, against PostgreSQL and age', () => {
  const backup = path.join(deployDir, 'backup.sh');
  const drill = path.join(deployDir, 'restore-drill.sh');

  test('the dump is sealed with age and shipped; the drill restores it into a throwaway database and compares every count', async () => {
    const template = inject('databaseTemplate');
    if (template.kind !== 'postgres') throw new Error('the PostgreSQL pass has a PostgreSQL template');
    const name = `kalei_sealed_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    const databaseUrl = new URL(adminUrl!);
    databaseUrl.pathname = `/${name}`;
    const source = new pg.Client({ connectionString: databaseUrl.toString() });
    try {
      await admin.query(`create database ${name} template ${template.name}`);
      await source.connect();
      const usage = `insert into ai_usage_events (feature, task, prompt_version, lane, provider, deployment, model, input_tokens, output_tokens, cost_micros, latency_ms, outcome, attempt)
                     values ('turn', 'turn.reframe', 'v', 'quality', 'local', 'd', 'm', 1, 1, 1, 1, 'ok', 1)`;
      for (let i = 0; i < 3; i++) await source.query(usage);
      const keys = mkdtempSync(path.join(scratch, 'keys-'));
      const identity = path.join(keys, 'identity.txt');
      const recipients = path.join(keys, 'recipients.txt');
      execFileSync('age-keygen', ['-o', identity], { stdio: 'ignore' });
      writeFileSync(recipients, execFileSync('age-keygen', ['-y', identity], { encoding: 'utf8' }));
      const dir = mkdtempSync(path.join(scratch, 'sealed-'));
      const shipped = mkdtempSync(path.join(scratch, 'shipped-'));
      const env = { ...process.env, DATABASE_URL: databaseUrl.toString(), KALEI_BACKUP_DIR: dir };

      // No recipients and no explicit consent to plaintext: refused, nothing written.
      const refused = spawnSync(backup, { env, encoding: 'utf8' });
      expect(refused.status).toBe(2);
      expect(refused.stderr).toContain('KALEI_BACKUP_AGE_RECIPIENTS');
      expect(readdirSync(dir)).toEqual([]);

      const written = execFileSync(backup, { env: { ...env, KALEI_BACKUP_AGE_RECIPIENTS: recipients, KALEI_BACKUP_SHIP_COMMAND: `cp -t ${shipped}` }, encoding: 'utf8' }).trim();
      expect(written).toMatch(/kalei-\d{8}T\d{6}Z\.dump\.age$/);
      expect(statSync(written).mode & 0o777).toBe(0o600);
      expect(readdirSync(dir)).toEqual([path.basename(written)]);
      expect(readFileSync(written).subarray(0, 5).toString()).not.toBe('PGDMP');
      expect(spawnSync('pg_restore', ['--list', written]).status).not.toBe(0);
      expect(readFileSync(path.join(shipped, path.basename(written)))).toEqual(readFileSync(written));

      const drillEnv = { ...process.env, KALEI_BACKUP_DIR: dir, KALEI_BACKUP_AGE_IDENTITY: identity, KALEI_DRILL_ADMIN_URL: adminUrl!, DATABASE_URL: databaseUrl.toString() };
      const ok = spawnSync(drill, { env: drillEnv, encoding: 'utf8' });
      expect(ok.status, ok.stderr).toBe(0);
      expect(ok.stdout).toMatch(/^ai_usage_events\s+3\s+3$/m);
      expect(ok.stdout).toMatch(/^users\s+0\s+0$/m);
      expect(ok.stdout).toContain('counts match');
      const { rows } = await admin.query(`select count(*)::int as n from pg_database where datname like 'kalei_drill_%'`);
      expect(rows).toEqual([{ n: 0 }]);

      // A live database that no longer matches, and a missing key, both fail the drill.
      await source.query(usage);
      const differs = spawnSync(drill, { env: drillEnv, encoding: 'utf8' });
      expect(differs.status).toBe(1);
      expect(differs.stdout).toMatch(/^ai_usage_events\s+3\s+4\s+MISMATCH$/m);
      expect(spawnSync(drill, { env: { ...drillEnv, KALEI_DRILL_ALLOW_GROWTH: '1' }, encoding: 'utf8' }).status).toBe(0);
      const noKey = spawnSync(drill, { env: { ...drillEnv, KALEI_BACKUP_AGE_IDENTITY: '' }, encoding: 'utf8' });
      expect(noKey.status).not.toBe(0);
    } finally {
      await source.end().catch(() => undefined);
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  });
});

const hasCaddy = spawnSync('caddy', ['version']).status === 0;
describe.skipIf(!hasCaddy)('Caddyfile, adapted by Caddy', () => {
  test('proxies to the API instances with health checks, flushes streams and closes /metrics', () => {
    const adapted = execFileSync('caddy', ['adapt', '--config', path.join(deployDir, 'Caddyfile'), '--adapter', 'caddyfile'], {
      env: { ...process.env, KALEI_DOMAIN: 'kalei.example.test', KALEI_ACME_EMAIL: 'ops@example.test' },
      encoding: 'utf8',
    });
    const json = JSON.stringify(JSON.parse(adapted));
    expect(json).toContain('"host":["kalei.example.test"]');
    expect(json).toContain('"upstreams":[{"dial":"127.0.0.1:8081"},{"dial":"127.0.0.1:8082"}]');
    expect(json).toContain('"active":{"interval":5000000000,"uri":"/ready"}');
    expect(json).toContain('"flush_interval":-1');
    expect(json).toContain('{"handle":[{"handler":"static_response","status_code":404}],"match":[{"path":["/metrics"]}]}');
    expect(json).toContain('"max_size":1000000');
  });
});
