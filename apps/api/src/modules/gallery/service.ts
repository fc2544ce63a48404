import type { GalleryItem, GalleryPage, GalleryTrapCounts } from '@kalei/contracts/gallery';
import { trapIds, type TrapId } from '@kalei/contracts/taxonomy';
import { encodeCursor } from '../../lib/cursor.js';
import type { MirrorService } from '../mirror/service.js';
import type { TurnService } from '../turn/service.js';

export interface GalleryQueryInput {
  cursor?: string | undefined;
  limit: number;
  kind?: 'turn' | 'saved' | 'session' | undefined;
  trap?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

const byNewest = (a: GalleryItem, b: GalleryItem) =>
  a.createdAt === b.createdAt ? (itemId(a) < itemId(b) ? 1 : -1) : a.createdAt < b.createdAt ? 1 : -1;
const itemId = (item: GalleryItem) => (item.kind === 'turn' ? item.turn.id : item.session.id);

/**
 * The Gallery is a view over turn and mirror history: each list is read up to the page size
 * after the shared cursor and the two are merged, so a page is exact across both.
 */
export function createGalleryService(deps: { turns: Pick<TurnService, 'list' | 'trapCounts'>; mirror: Pick<MirrorService, 'list' | 'trapCounts'> }) {
  return {
    async list(userId: string, query: GalleryQueryInput): Promise<GalleryPage> {
      const range = {
        from: query.from ? new Date(`${query.from}T00:00:00Z`) : undefined,
        to: query.to ? new Date(`${query.to}T00:00:00Z`) : undefined,
      };
      const common = { cursor: query.cursor, limit: query.limit, trap: query.trap, ...range };
      const [turns, sessions] = await Promise.all([
        query.kind === 'session' ? null : deps.turns.list(userId, { ...common, saved: query.kind === 'saved' ? true : undefined }),
        // Sessions opened and left (or holding only a crisis message, which is never stored) are not history.
        query.kind === 'turn' || query.kind === 'saved' ? null : deps.mirror.list(userId, { ...common, nonEmpty: true }),
      ]);
      const merged: GalleryItem[] = [
        ...(turns?.items ?? []).map((turn) => ({ kind: 'turn' as const, createdAt: turn.createdAt, turn })),
        ...(sessions?.items ?? []).map((session) => ({ kind: 'session' as const, createdAt: session.createdAt, session })),
      ].sort(byNewest);
      const items = merged.slice(0, query.limit);
      const more = merged.length > query.limit || turns?.nextCursor != null || sessions?.nextCursor != null;
      const last = items.at(-1);
      return { items, nextCursor: more && last ? encodeCursor(new Date(last.createdAt), itemId(last)) : null };
    },

    /** Items per thinking trap for the filter chips: a turn or session counts once for each trap it shows. */
    async trapCounts(userId: string, query: { kind?: 'turn' | 'saved' | 'session' | undefined }): Promise<GalleryTrapCounts> {
      const [turns, sessions] = await Promise.all([
        query.kind === 'session' ? [] : deps.turns.trapCounts(userId, { saved: query.kind === 'saved' }),
        query.kind === 'turn' || query.kind === 'saved' ? [] : deps.mirror.trapCounts(userId),
      ]);
      return { traps: sumTrapCounts([...turns, ...sessions]) };
    },
  };
}
export type GalleryService = ReturnType<typeof createGalleryService>;

const knownTraps = new Set<string>(trapIds);
const taxonomyOrder = new Map<string, number>(trapIds.map((id, i) => [id, i]));

/** Adds counts per trap, most frequent first (ties in taxonomy order); ids outside the taxonomy are dropped. */
export function sumTrapCounts(rows: { trap: string; count: number }[]): { trap: TrapId; count: number }[] {
  const totals = new Map<string, number>();
  for (const row of rows) if (knownTraps.has(row.trap) && row.count > 0) totals.set(row.trap, (totals.get(row.trap) ?? 0) + row.count);
  return [...totals]
    .map(([trap, count]) => ({ trap: trap as TrapId, count }))
    .sort((a, b) => b.count - a.count || taxonomyOrder.get(a.trap)! - taxonomyOrder.get(b.trap)!);
}
