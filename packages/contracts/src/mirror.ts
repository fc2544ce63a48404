import { z } from 'zod';
import { EngineInfo, TechniqueId } from './ai-tasks.js';
import { CrisisResponse } from './safety.js';
import { TrapId } from './taxonomy.js';

/** Longest Mirror message (characters): a long journal entry. */
export const MAX_MESSAGE_LENGTH = 4000;
/** Fragments below this confidence are not stored or shown. */
export const FRAGMENT_CONFIDENCE_THRESHOLD = 0.5;
/** Messages one session may hold. */
export const MAX_MESSAGES_PER_SESSION = 100;

export const Fragment = z
  .object({
    id: z.uuid(),
    messageId: z.uuid(),
    /** UTF-16 offsets into the message text, end exclusive. */
    start: z.number().int().min(0),
    end: z.number().int().min(1),
    trap: TrapId,
    confidence: z.number().min(0).max(1),
    explanation: z.string(),
    reframe: z.object({ text: z.string(), technique: TechniqueId }).nullable(),
  })
  .meta({ id: 'MirrorFragment' });
export type Fragment = z.infer<typeof Fragment>;

export const MirrorMessage = z
  .object({
    id: z.uuid(),
    seq: z.number().int().min(1),
    text: z.string(),
    fragments: z.array(Fragment),
    engine: EngineInfo,
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'MirrorMessage' });
export type MirrorMessage = z.infer<typeof MirrorMessage>;

export const MirrorSessionSummary = z
  .object({
    id: z.uuid(),
    status: z.enum(['open', 'closed']),
    messageCount: z.number().int().min(0),
    traps: z.array(TrapId),
    reflection: z.string().nullable(),
    /** Left out of Spectrum by the user (POST /v1/spectrum/exclusions). */
    excludedFromAnalytics: z.boolean(),
    createdAt: z.iso.datetime(),
    closedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'MirrorSessionSummary' });
export type MirrorSessionSummary = z.infer<typeof MirrorSessionSummary>;

export const MirrorSession = MirrorSessionSummary.extend({ messages: z.array(MirrorMessage) }).meta({ id: 'MirrorSession' });
export type MirrorSession = z.infer<typeof MirrorSession>;

export const CreateMirrorSessionRequest = z.strictObject({});

const MessageText = z
  .string()
  .max(MAX_MESSAGE_LENGTH, `at most ${MAX_MESSAGE_LENGTH} characters`)
  .refine((text) => text.trim().length > 0, 'must contain some text');

export const CreateMirrorMessageRequest = z.strictObject({ sessionId: z.uuid(), text: MessageText });

/** The message with its highlighted fragments, or the crisis response (nothing stored, no quota used). */
export const CreateMirrorMessageResponse = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('message'), message: MirrorMessage }),
  CrisisResponse,
]);
export type CreateMirrorMessageResponse = z.infer<typeof CreateMirrorMessageResponse>;

export const FragmentReframeResponse = z.object({ kind: z.literal('reframe'), fragment: Fragment });

export const CloseMirrorSessionResponse = z.object({ kind: z.literal('session'), session: MirrorSessionSummary });

export const MirrorIdParams = z.strictObject({ id: z.uuid() });

export const ListMirrorSessionsQuery = z.strictObject({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
  trap: TrapId.optional(),
  status: z.enum(['open', 'closed']).optional(),
});

export const MirrorSessionList = z.object({ items: z.array(MirrorSessionSummary), nextCursor: z.string().nullable() });
export type MirrorSessionList = z.infer<typeof MirrorSessionList>;
