/**
 * Schema v1: every data domain of the architecture plan (§8.1). Columns ending in `_enc` hold
 * column-encrypted reflective text (infra/crypto): never read them outside the owning module.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  real,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

const id = () => uuid('id').primaryKey().defaultRandom();
const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();
const userRef = () => uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' });
/** Operational records outlive the account but lose the link to it. */
const userRefSetNull = () => uuid('user_id').references(() => users.id, { onDelete: 'set null' });

// ---------------------------------------------------------------- identity

export const users = pgTable(
  'users',
  {
    id: id(),
    email: text('email'),
    passwordHash: text('password_hash'),
    status: text('status', { enum: ['active', 'disabled'] }).notNull().default('active'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('users_email_lower_key').on(sql`lower(${t.email})`)],
);

export const userIdentities = pgTable(
  'user_identities',
  {
    id: id(),
    userId: userRef(),
    provider: text('provider', { enum: ['apple', 'google'] }).notNull(),
    subject: text('subject').notNull(),
    email: text('email'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('user_identities_provider_subject_key').on(t.provider, t.subject), index().on(t.userId)],
);

export const profiles = pgTable('profiles', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  displayName: text('display_name'),
  locale: text('locale').notNull().default('en-US'),
  country: text('country'),
  timezone: text('timezone').notNull().default('UTC'),
  notificationPrefs: jsonb('notification_prefs').notNull().default({}),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const authSessions = pgTable(
  'auth_sessions',
  {
    id: id(),
    userId: userRef(),
    deviceName: text('device_name'),
    platform: text('platform'),
    userAgent: text('user_agent'),
    ipHash: text('ip_hash'),
    createdAt: createdAt(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    revokedReason: text('revoked_reason'),
  },
  (t) => [index().on(t.userId, t.createdAt)],
);

export const refreshTokens = pgTable(
  'refresh_tokens',
  {
    id: id(),
    sessionId: uuid('session_id')
      .notNull()
      .references(() => authSessions.id, { onDelete: 'cascade' }),
    userId: userRef(),
    tokenHash: text('token_hash').notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    rotatedAt: timestamp('rotated_at', { withTimezone: true }),
    replacedById: uuid('replaced_by_id'),
  },
  (t) => [uniqueIndex('refresh_tokens_token_hash_key').on(t.tokenHash), index().on(t.sessionId)],
);

// ---------------------------------------------------------------- product interactions

export const turns = pgTable(
  'turns',
  {
    id: id(),
    userId: userRef(),
    thoughtEnc: text('thought_enc').notNull(),
    contextEnc: text('context_enc'),
    reframesEnc: text('reframes_enc').notNull(),
    microActionEnc: text('micro_action_enc').notNull(),
    traps: text('traps').array().notNull().default(sql`'{}'::text[]`),
    moodBefore: smallint('mood_before'),
    moodAfter: smallint('mood_after'),
    engine: text('engine').notNull(),
    model: text('model').notNull(),
    promptVersion: text('prompt_version').notNull(),
    savedAt: timestamp('saved_at', { withTimezone: true }),
    saveNoteEnc: text('save_note_enc'),
    excludedFromAnalytics: boolean('excluded_from_analytics').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('turns_user_created_idx').on(t.userId, t.createdAt.desc(), t.id.desc()),
    index('turns_user_saved_idx').on(t.userId, t.savedAt.desc()).where(sql`${t.savedAt} is not null`),
    index('turns_traps_idx').using('gin', t.traps),
  ],
);

export const turnFeedback = pgTable(
  'turn_feedback',
  {
    id: id(),
    turnId: uuid('turn_id')
      .notNull()
      .references(() => turns.id, { onDelete: 'cascade' }),
    userId: userRef(),
    reframeIndex: smallint('reframe_index').notNull(),
    helpful: boolean('helpful').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('turn_feedback_turn_reframe_key').on(t.turnId, t.reframeIndex)],
);

export const mirrorSessions = pgTable(
  'mirror_sessions',
  {
    id: id(),
    userId: userRef(),
    status: text('status', { enum: ['open', 'closed'] }).notNull().default('open'),
    messageCount: integer('message_count').notNull().default(0),
    reflectionEnc: text('reflection_enc'),
    reflectionThemes: text('reflection_themes').array(),
    engine: text('engine'),
    model: text('model'),
    promptVersion: text('prompt_version'),
    excludedFromAnalytics: boolean('excluded_from_analytics').notNull().default(false),
    /** The conversation's accumulated safety risk (modules/safety/conversation.ts), 0..1; never text. */
    safetyRisk: real('safety_risk').notNull().default(0),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('mirror_sessions_user_created_idx').on(t.userId, t.createdAt.desc(), t.id.desc())],
);

export const mirrorMessages = pgTable(
  'mirror_messages',
  {
    id: id(),
    sessionId: uuid('session_id')
      .notNull()
      .references(() => mirrorSessions.id, { onDelete: 'cascade' }),
    userId: userRef(),
    seq: integer('seq').notNull(),
    contentEnc: text('content_enc').notNull(),
    engine: text('engine').notNull(),
    model: text('model').notNull(),
    promptVersion: text('prompt_version').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('mirror_messages_session_seq_key').on(t.sessionId, t.seq)],
);

export const mirrorFragments = pgTable(
  'mirror_fragments',
  {
    id: id(),
    messageId: uuid('message_id')
      .notNull()
      .references(() => mirrorMessages.id, { onDelete: 'cascade' }),
    sessionId: uuid('session_id')
      .notNull()
      .references(() => mirrorSessions.id, { onDelete: 'cascade' }),
    userId: userRef(),
    startOffset: integer('start_offset').notNull(),
    endOffset: integer('end_offset').notNull(),
    trap: text('trap').notNull(),
    confidence: real('confidence').notNull(),
    explanationEnc: text('explanation_enc').notNull(),
    reframeEnc: text('reframe_enc'),
    reframeTechnique: text('reframe_technique'),
    reframedAt: timestamp('reframed_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index().on(t.messageId), index('mirror_fragments_user_trap_idx').on(t.userId, t.trap)],
);

export const lensGoals = pgTable(
  'lens_goals',
  {
    id: id(),
    userId: userRef(),
    titleEnc: text('title_enc').notNull(),
    descriptionEnc: text('description_enc'),
    status: text('status', { enum: ['active', 'completed', 'archived'] }).notNull().default('active'),
    targetDate: date('target_date'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('lens_goals_user_created_idx').on(t.userId, t.createdAt.desc())],
);

export const lensActions = pgTable(
  'lens_actions',
  {
    id: id(),
    goalId: uuid('goal_id')
      .notNull()
      .references(() => lensGoals.id, { onDelete: 'cascade' }),
    userId: userRef(),
    titleEnc: text('title_enc').notNull(),
    cadence: text('cadence', { enum: ['once', 'daily', 'weekly'] }).notNull().default('daily'),
    archivedAt: timestamp('archived_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index().on(t.goalId), index().on(t.userId)],
);

export const lensActionCompletions = pgTable(
  'lens_action_completions',
  {
    id: id(),
    actionId: uuid('action_id')
      .notNull()
      .references(() => lensActions.id, { onDelete: 'cascade' }),
    userId: userRef(),
    localDate: date('local_date').notNull(),
    completedAt: timestamp('completed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('lens_action_completions_action_date_key').on(t.actionId, t.localDate), index().on(t.userId, t.localDate)],
);

export const lensCheckins = pgTable(
  'lens_checkins',
  {
    id: id(),
    userId: userRef(),
    localDate: date('local_date').notNull(),
    mood: smallint('mood').notNull(),
    noteEnc: text('note_enc'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('lens_checkins_user_date_key').on(t.userId, t.localDate)],
);

export const lensDailyContent = pgTable(
  'lens_daily_content',
  {
    userId: userRef(),
    localDate: date('local_date').notNull(),
    affirmationEnc: text('affirmation_enc').notNull(),
    focusEnc: text('focus_enc').notNull(),
    engine: text('engine').notNull(),
    model: text('model').notNull(),
    promptVersion: text('prompt_version').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.localDate] })],
);

// ---------------------------------------------------------------- analytics (Spectrum)

export const spectrumSessionAnalysis = pgTable(
  'spectrum_session_analysis',
  {
    id: id(),
    userId: userRef(),
    sessionId: uuid('session_id')
      .notNull()
      .references(() => mirrorSessions.id, { onDelete: 'cascade' }),
    trapCounts: jsonb('trap_counts').notNull().default({}),
    messageCount: integer('message_count').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('spectrum_session_analysis_session_key').on(t.sessionId), index().on(t.userId, t.occurredAt)],
);

export const spectrumTurnAnalysis = pgTable(
  'spectrum_turn_analysis',
  {
    id: id(),
    userId: userRef(),
    turnId: uuid('turn_id')
      .notNull()
      .references(() => turns.id, { onDelete: 'cascade' }),
    traps: text('traps').array().notNull(),
    /** The technique of each reframe, in order (plain ids); null on rows written before they were kept. */
    techniques: text('techniques').array(),
    moodBefore: smallint('mood_before'),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('spectrum_turn_analysis_turn_key').on(t.turnId), index().on(t.userId, t.occurredAt)],
);

const spectrumPeriodColumns = () => ({
  id: id(),
  userId: userRef(),
  trapCounts: jsonb('trap_counts').notNull().default({}),
  turns: integer('turns').notNull().default(0),
  mirrorSessions: integer('mirror_sessions').notNull().default(0),
  narrativeEnc: text('narrative_enc'),
  engine: text('engine'),
  model: text('model'),
  /** Every figure of the period (modules/spectrum/fns.ts PeriodMetrics): counts only, never text. */
  metrics: jsonb('metrics').notNull().default({}),
  /** The period held a crisis answer: its narrative is the gentle one that points to Get help. */
  crisis: boolean('crisis').notNull().default(false),
  /** Needs (re)computing: new period, late data, an exclusion or a delete. */
  dirty: boolean('dirty').notNull().default(true),
  computedAt: timestamp('computed_at', { withTimezone: true }),
  narrativeStatus: text('narrative_status', { enum: ['pending', 'ready', 'paused'] }).notNull().default('pending'),
  notifiedAt: timestamp('notified_at', { withTimezone: true }),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const spectrumWeekly = pgTable(
  'spectrum_weekly',
  { ...spectrumPeriodColumns(), weekStart: date('week_start').notNull() },
  (t) => [
    uniqueIndex('spectrum_weekly_user_week_key').on(t.userId, t.weekStart),
    index('spectrum_weekly_dirty_idx').on(t.weekStart).where(sql`${t.dirty}`),
  ],
);

export const spectrumMonthly = pgTable(
  'spectrum_monthly',
  { ...spectrumPeriodColumns(), monthStart: date('month_start').notNull() },
  (t) => [
    uniqueIndex('spectrum_monthly_user_month_key').on(t.userId, t.monthStart),
    index('spectrum_monthly_dirty_idx').on(t.monthStart).where(sql`${t.dirty}`),
  ],
);

/** Per-user Spectrum state: a reset starts afresh from activity after `resetAt`. */
export const spectrumUserState = pgTable('spectrum_user_state', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  resetAt: timestamp('reset_at', { withTimezone: true }),
  updatedAt: updatedAt(),
});

// ---------------------------------------------------------------- commerce

export const subscriptions = pgTable(
  'subscriptions',
  {
    id: id(),
    userId: userRefSetNull(),
    store: text('store', { enum: ['app_store', 'play'] }).notNull(),
    /** originalTransactionId for the App Store, purchaseToken for Google Play. */
    storeKey: text('store_key').notNull(),
    linkedStoreKey: text('linked_store_key'),
    productId: text('product_id').notNull(),
    plan: text('plan', { enum: ['free', 'prism', 'prism_plus'] }).notNull(),
    status: text('status').notNull(),
    environment: text('environment').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    graceExpiresAt: timestamp('grace_expires_at', { withTimezone: true }),
    willRenew: boolean('will_renew').notNull().default(false),
    autoRenewProductId: text('auto_renew_product_id'),
    /** Time of the store state this row reflects: older notifications never overwrite newer state. */
    stateAt: timestamp('state_at', { withTimezone: true }).notNull(),
    storeState: jsonb('store_state').notNull().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('subscriptions_store_key').on(t.store, t.storeKey),
    index().on(t.userId),
    index('subscriptions_expires_idx').on(t.expiresAt),
  ],
);

export const entitlementSnapshots = pgTable(
  'entitlement_snapshots',
  {
    id: id(),
    userId: userRef(),
    plan: text('plan', { enum: ['free', 'prism', 'prism_plus'] }).notNull(),
    source: text('source', { enum: ['default', 'app_store', 'play', 'admin'] }).notNull(),
    subscriptionId: uuid('subscription_id').references(() => subscriptions.id, { onDelete: 'set null' }),
    validUntil: timestamp('valid_until', { withTimezone: true }),
    reason: text('reason').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('entitlement_snapshots_user_created_idx').on(t.userId, t.createdAt.desc())],
);

export const planGrants = pgTable(
  'plan_grants',
  {
    id: id(),
    userId: userRef(),
    plan: text('plan', { enum: ['prism', 'prism_plus'] }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    reason: text('reason').notNull(),
    grantedBy: text('granted_by').notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index().on(t.userId)],
);

export const billingEvents = pgTable(
  'billing_events',
  {
    id: id(),
    store: text('store', { enum: ['app_store', 'play'] }).notNull(),
    /** notificationUUID (Apple) or Pub/Sub messageId (Google): a redelivery is the same event. */
    eventId: text('event_id').notNull(),
    notificationType: text('notification_type').notNull(),
    subtype: text('subtype'),
    userId: userRefSetNull(),
    storeKey: text('store_key'),
    environment: text('environment'),
    eventAt: timestamp('event_at', { withTimezone: true }),
    payload: jsonb('payload').notNull().default({}),
    status: text('status', { enum: ['received', 'processed', 'ignored', 'failed'] }).notNull().default('received'),
    error: text('error'),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    processedAt: timestamp('processed_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('billing_events_store_event_key').on(t.store, t.eventId), index().on(t.storeKey)],
);

// ---------------------------------------------------------------- safety and operations

export const safetyEvents = pgTable(
  'safety_events',
  {
    id: id(),
    userId: userRefSetNull(),
    feature: text('feature').notNull(),
    categories: text('categories').array().notNull(),
    stage: smallint('stage').notNull(),
    ruleIds: text('rule_ids').array().notNull().default(sql`'{}'::text[]`),
    country: text('country'),
    outcome: text('outcome').notNull(),
    stage1Score: real('stage1_score'),
    stage2Confidence: real('stage2_confidence'),
    classifierScore: real('classifier_score'),
    /** Which rules and which stage 2 decided (stage1@…+crisis-lr-… or +model@prompt). */
    version: text('version'),
    createdAt: createdAt(),
  },
  (t) => [index().on(t.createdAt), index().on(t.userId)],
);

export const aiUsageEvents = pgTable(
  'ai_usage_events',
  {
    id: id(),
    userId: userRefSetNull(),
    requestId: text('request_id'),
    feature: text('feature').notNull(),
    task: text('task').notNull(),
    promptVersion: text('prompt_version').notNull(),
    lane: text('lane').notNull(),
    provider: text('provider').notNull(),
    deployment: text('deployment').notNull(),
    model: text('model').notNull(),
    inputTokens: integer('input_tokens').notNull(),
    outputTokens: integer('output_tokens').notNull(),
    costMicros: bigint('cost_micros', { mode: 'number' }).notNull(),
    latencyMs: integer('latency_ms').notNull(),
    outcome: text('outcome').notNull(),
    attempt: smallint('attempt').notNull(),
    estimated: boolean('estimated').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [index().on(t.createdAt), index().on(t.userId, t.createdAt), index().on(t.feature, t.createdAt)],
);

/** Requests that ended in a server error, kept for incident review (never bodies). */
export const requestLogs = pgTable(
  'request_logs',
  {
    id: id(),
    requestId: text('request_id').notNull(),
    method: text('method').notNull(),
    route: text('route').notNull(),
    statusCode: smallint('status_code').notNull(),
    durationMs: integer('duration_ms'),
    userHash: text('user_hash'),
    errorCode: text('error_code'),
    createdAt: createdAt(),
  },
  (t) => [index().on(t.createdAt)],
);

export const auditEvents = pgTable(
  'audit_events',
  {
    id: id(),
    userId: userRefSetNull(),
    actor: text('actor', { enum: ['user', 'system', 'admin', 'store'] }).notNull(),
    action: text('action').notNull(),
    targetType: text('target_type'),
    targetId: text('target_id'),
    requestId: text('request_id'),
    ipHash: text('ip_hash'),
    metadata: jsonb('metadata').notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [index('audit_events_user_created_idx').on(t.userId, t.createdAt.desc()), index().on(t.action, t.createdAt)],
);

export const pushDevices = pgTable(
  'push_devices',
  {
    id: id(),
    userId: userRef(),
    sessionId: uuid('session_id').references(() => authSessions.id, { onDelete: 'set null' }),
    token: text('token').notNull(),
    provider: text('provider', { enum: ['expo', 'apns', 'fcm'] }).notNull(),
    platform: text('platform', { enum: ['ios', 'android', 'web'] }).notNull(),
    appVersion: text('app_version'),
    createdAt: createdAt(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('push_devices_token_key').on(t.token), index().on(t.userId)],
);

export const notificationLog = pgTable(
  'notification_log',
  {
    id: id(),
    userId: userRef(),
    kind: text('kind').notNull(),
    /** user, kind and local day: the same reason is never notified twice. */
    dedupeKey: text('dedupe_key').notNull(),
    status: text('status').notNull(),
    ticketIds: text('ticket_ids').array().notNull().default(sql`'{}'::text[]`),
    error: text('error'),
    receiptsCheckedAt: timestamp('receipts_checked_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('notification_log_dedupe_key').on(t.dedupeKey), index().on(t.userId, t.createdAt)],
);

// ---------------------------------------------------------------- idempotency

/**
 * Answers kept for Idempotency-Key replays (plugins/idempotency.ts), 24 h. A write that protects
 * itself inserts its row in the write's own transaction, so a crash can lose both or neither.
 * `key` is scope, method, route and the key's hash; the body is encrypted (it may quote the user).
 */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    key: text('key').primaryKey(),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'cascade' }),
    fingerprint: text('fingerprint').notNull(),
    status: smallint('status').notNull(),
    contentType: text('content_type'),
    bodyEnc: text('body_enc').notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index().on(t.expiresAt), index().on(t.userId)],
);
