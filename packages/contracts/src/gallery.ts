import { z } from 'zod';
import { CalendarDate } from './dates.js';
import { MirrorSessionSummary } from './mirror.js';
import { TrapId } from './taxonomy.js';
import { Turn } from './turns.js';

/** The Gallery: one timeline over turns, saved patterns and Mirror sessions. */
export const GalleryQuery = z
  .strictObject({
    cursor: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(50).default(20),
    /** `turn`: every turn; `saved`: saved patterns only; `session`: Mirror sessions only; absent: turns and sessions. */
    kind: z.enum(['turn', 'saved', 'session']).optional(),
    trap: TrapId.optional(),
    /** Calendar dates (YYYY-MM-DD, UTC): from is inclusive, to is exclusive. */
    from: CalendarDate.optional(),
    to: CalendarDate.optional(),
  })
  .refine((q) => !q.from || !q.to || q.from < q.to, { message: 'from must be before to', path: ['to'] });

export const GalleryItem = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('turn'), createdAt: z.iso.datetime(), turn: Turn }),
  z.object({ kind: z.literal('session'), createdAt: z.iso.datetime(), session: MirrorSessionSummary }),
]);
export type GalleryItem = z.infer<typeof GalleryItem>;

export const GalleryPage = z.object({ items: z.array(GalleryItem), nextCursor: z.string().nullable() });
export type GalleryPage = z.infer<typeof GalleryPage>;

/** Which part of the Gallery the trap counts are for (the same kinds as the list). */
export const GalleryTrapsQuery = z.strictObject({ kind: z.enum(['turn', 'saved', 'session']).optional() });

/** How many Gallery items show each thinking trap, most frequent first; traps that never appeared are left out. */
export const GalleryTrapCounts = z.object({
  traps: z.array(z.object({ trap: TrapId, count: z.number().int().min(1) })),
});
export type GalleryTrapCounts = z.infer<typeof GalleryTrapCounts>;
