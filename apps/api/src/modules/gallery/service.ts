import type { GalleryItem, GalleryPage } from '@kalei/contracts/gallery';
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
export function createGalleryService(deps: { turns: Pick<TurnService, 'list'>; mirror: Pick<MirrorService, 'list'> }) {
  return {
    async list(userId: string, query: GalleryQueryInput): Promise<GalleryPage> {
      const range = {
        from: query.from ? new Date(`${query.from}T00:00:00Z`) : undefined,
        to: query.to ? new Date(`${query.to}T00:00:00Z`) : undefined,
      };
      const common = { cursor: query.cursor, limit: query.limit, trap: query.trap, ...range };
      const [turns, sessions] = await Promise.all([
        query.kind === 'session' ? null : deps.turns.list(userId, { ...common, saved: query.kind === 'saved' ? true : undefined }),
        query.kind === 'turn' || query.kind === 'saved' ? null : deps.mirror.list(userId, common),
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
  };
}
export type GalleryService = ReturnType<typeof createGalleryService>;
