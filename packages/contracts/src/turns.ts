import { z } from 'zod';
import { EngineInfo, Reframe } from './ai-tasks.js';
import { CrisisResponse } from './safety.js';
import { TrapId } from './taxonomy.js';

/** Longest thought or context accepted (characters): a few paragraphs, well past what a Turn needs. */
export const MAX_THOUGHT_LENGTH = 2000;
export const MAX_NOTE_LENGTH = 500;

const UserText = (max: number) =>
  z
    .string()
    .max(max, `at most ${max} characters`)
    .transform((text) => text.trim())
    .pipe(z.string().min(1, 'must contain some text'));

export const CreateTurnRequest = z.strictObject({
  thought: UserText(MAX_THOUGHT_LENGTH),
  context: UserText(MAX_THOUGHT_LENGTH).optional(),
  moodBefore: z.number().int().min(1).max(10).optional(),
});
export type CreateTurnRequest = z.input<typeof CreateTurnRequest>;

export const MicroAction = z.object({ text: z.string(), minutes: z.number().int() });

export const TurnFeedback = z.object({ reframeIndex: z.number().int().min(0).max(2), helpful: z.boolean() });
export type TurnFeedback = z.infer<typeof TurnFeedback>;

export const Turn = z
  .object({
    id: z.uuid(),
    thought: z.string(),
    context: z.string().nullable(),
    reframes: z.array(Reframe),
    microAction: MicroAction,
    traps: z.array(TrapId),
    moodBefore: z.number().int().nullable(),
    engine: EngineInfo,
    saved: z.boolean(),
    savedAt: z.iso.datetime().nullable(),
    saveNote: z.string().nullable(),
    feedback: z.array(TurnFeedback),
    /** Left out of Spectrum by the user (POST /v1/spectrum/exclusions). */
    excludedFromAnalytics: z.boolean(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'Turn' });
export type Turn = z.infer<typeof Turn>;

/** A new turn, or the crisis response when the safety precheck escalated (no reframes, no quota used). */
export const CreateTurnResponse = z.discriminatedUnion('kind', [z.object({ kind: z.literal('turn'), turn: Turn }), CrisisResponse]);
export type CreateTurnResponse = z.infer<typeof CreateTurnResponse>;

/** Server-sent events of `POST /v1/turns` with `Accept: text/event-stream`, by event name. */
export const TurnStreamEvents = {
  /** One reframe, as soon as it is complete. */
  reframe: z.object({ index: z.number().int().min(0).max(2), reframe: Reframe }),
  /** The saved turn: the last event. */
  turn: Turn,
  /** Instead of reframes: the crisis response. */
  crisis: CrisisResponse,
  /** A problem after the stream began (RFC 9457 body). */
  error: z.object({ status: z.number().int(), code: z.string(), title: z.string(), detail: z.string().optional() }).loose(),
} as const;

const booleanQuery = z.enum(['true', 'false']).transform((value) => value === 'true');

export const ListTurnsQuery = z.strictObject({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
  saved: booleanQuery.optional(),
  trap: TrapId.optional(),
});

export const TurnList = z.object({ items: z.array(Turn), nextCursor: z.string().nullable() });
export type TurnList = z.infer<typeof TurnList>;

export const TurnIdParams = z.strictObject({ id: z.uuid() });

export const SaveTurnRequest = z.strictObject({
  note: z.string().max(MAX_NOTE_LENGTH).transform((t) => t.trim()).optional(),
});

export const TurnFeedbackRequest = z.strictObject({ reframeIndex: z.number().int().min(0).max(2), helpful: z.boolean() });
