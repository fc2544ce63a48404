import type { Infra } from './infra/infra.js';
import { createAuditService } from './modules/audit/service.js';
import { createAuthRepo } from './modules/auth/repo.js';
import { createEntitlementsRepo } from './modules/entitlements/repo.js';
import { createEntitlementsService } from './modules/entitlements/service.js';

/** Usage text of `npm run plans`. */
export const PLANS_USAGE = `Usage: npm run plans -- <command>

  grant EMAIL PLAN [--days N] [--reason TEXT]   gives PLAN (prism | prism_plus) to the account, for N days or until revoked
  revoke EMAIL [--reason TEXT]                  ends every plan grant of the account (store subscriptions are untouched)

Plans outside the stores: beta testers, support cases, comps, tests. Each change writes plan_grants,
an entitlement snapshot and the audit log (actor admin, granted_by the operator's OS user).`;

export class PlansUsageError extends Error {}

function option(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  if (index === -1) return undefined;
  const value = args[index + 1];
  if (value === undefined || value.startsWith('--')) throw new PlansUsageError(`${name} needs a value`);
  args.splice(index, 2);
  return value;
}

/** Runs one `npm run plans` command; returns what to print. `operator` names who ran it (audit). */
export async function runPlansCommand(infra: Pick<Infra, 'database' | 'cache' | 'config' | 'now'>, argv: readonly string[], operator: string): Promise<string> {
  const args = [...argv];
  const daysText = option(args, '--days');
  const reason = option(args, '--reason') ?? 'operator';
  const [command, email, plan, ...rest] = args;
  if (rest.length > 0) throw new PlansUsageError(`unexpected ${rest.join(' ')}`);
  if (!email) throw new PlansUsageError(command ? `${command} needs an EMAIL` : 'no command');
  const db = infra.database.db;
  const entitlements = createEntitlementsService({
    repo: createEntitlementsRepo(db),
    cache: infra.cache,
    now: () => infra.now(),
    audit: createAuditService({ db }),
    quotaScale: infra.config.QUOTA_SCALE,
  });
  const user = await createAuthRepo(db).findUserByEmail(email.trim().toLowerCase());
  if (!user) throw new Error(`no account with the email ${email}`);
  switch (command) {
    case 'grant': {
      if (plan !== 'prism' && plan !== 'prism_plus') throw new PlansUsageError(`PLAN must be prism or prism_plus, not ${plan ?? '(missing)'}`);
      let expiresAt: Date | null = null;
      if (daysText !== undefined) {
        const days = Number(daysText);
        if (!Number.isInteger(days) || days < 1 || days > 3650) throw new PlansUsageError('--days must be a whole number from 1 to 3650');
        expiresAt = new Date(infra.now().getTime() + days * 86_400_000);
      }
      const resolved = await db.transaction((tx) => entitlements.grantPlan(user.id, plan, { expiresAt, reason, grantedBy: operator }, tx));
      await infra.cache.del(`plan:${user.id}`);
      return `granted ${plan} to ${email}${expiresAt ? ` until ${expiresAt.toISOString()}` : ' until revoked'}; plan now ${resolved.plan}`;
    }
    case 'revoke': {
      if (plan !== undefined || daysText !== undefined) throw new PlansUsageError('revoke takes only an EMAIL (and --reason)');
      const resolved = await db.transaction((tx) => entitlements.revokeGrants(user.id, { reason, revokedBy: operator }, tx));
      if (!resolved) throw new Error(`${email} has no live plan grant`);
      await infra.cache.del(`plan:${user.id}`);
      return `revoked the plan grants of ${email}; plan now ${resolved.plan}`;
    }
    default:
      throw new PlansUsageError(`unknown command ${command}`);
  }
}
