import { createHash, randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { migrationsFolder, openPglite, openPostgres, type DatabaseHandle } from '../infra/db.js';
import { createBoss } from '../infra/queue.js';
import { repoRoot, testDatabaseUrl } from './env.js';

const pgBossVersion = JSON.parse(readFileSync(path.join(repoRoot, 'node_modules/pg-boss/package.json'), 'utf8')).version;

declare module 'vitest' {
  export interface ProvidedContext {
    /** PostgreSQL: the template database each test file clones. PGlite: the template data directory. */
    databaseTemplate: { kind: 'postgres'; name: string } | { kind: 'pglite'; dir: string };
  }
}

/** Migrations plus pg-boss's own schema, so test files do not each install it. */
async function prepareTemplate(handle: DatabaseHandle) {
  await handle.migrate();
  const boss = createBoss(handle, { supervise: false });
  await boss.start();
  await boss.stop({ graceful: false, wait: true, close: true });
}

function migrationsHash(): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify(pgBossVersion));
  for (const file of readdirSync(migrationsFolder, { recursive: true }).map(String).sort()) {
    const full = path.join(migrationsFolder, file);
    if (file.endsWith('.sql') || file.endsWith('.json')) hash.update(file).update(readFileSync(full));
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * Builds one migrated template per run (PostgreSQL) or per migration set (PGlite, kept in
 * .tmp/ because creating a PGlite directory takes seconds); each test file clones it.
 */
export default async function setup(project: TestProject) {
  const url = testDatabaseUrl();
  if (url) {
    const name = `kalei_tpl_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create database ${name}`);
    const templateUrl = new URL(url);
    templateUrl.pathname = `/${name}`;
    const handle = openPostgres(templateUrl.toString(), 2);
    await prepareTemplate(handle);
    await handle.close();
    project.provide('databaseTemplate', { kind: 'postgres', name });
    return async () => {
      // Test files drop their own clones; the template goes last.
      await admin.query(`drop database if exists ${name} with (force)`).catch(() => {});
      await admin.end();
    };
  }

  const root = path.join(repoRoot, '.tmp', 'pglite-templates');
  const dir = path.join(root, migrationsHash());
  if (!existsSync(dir)) {
    mkdirSync(root, { recursive: true });
    const building = `${dir}.building-${process.pid}`;
    rmSync(building, { recursive: true, force: true });
    const handle = await openPglite(building);
    await prepareTemplate(handle);
    await handle.close();
    renameSync(building, dir);
    rmSync(`${building}.lock`, { recursive: true, force: true });
  }
  project.provide('databaseTemplate', { kind: 'pglite', dir });
  return () => {};
}

/** Copies a PGlite template directory; exported for the test app. */
export function copyTemplate(from: string, to: string) {
  cpSync(from, to, { recursive: true });
}
