import type { GalleryItem } from '@kalei/contracts/gallery';
import { TrapId, trapIds, trapInfo } from '@kalei/contracts/taxonomy';
import { useLocalSearchParams, useRouter } from 'expo-router';
import { useEffect, useState } from 'react';
import { Pressable, View } from 'react-native';
import { describeError } from '../../api/errors';
import { Button } from '../../components/Button';
import { Card } from '../../components/Card';
import { Chip } from '../../components/Chip';
import { Screen } from '../../components/Screen';
import { EmptyState, LoadingState, QueryError } from '../../components/StateViews';
import { Text } from '../../components/Text';
import { formatWhen } from '../../lib/dates';
import { useEntitlements } from '../../state/queries/billing';
import { useGallery, useGalleryTrapCounts, type GalleryFilters } from '../../state/queries/gallery';
import { useDeleteMirrorSession } from '../../state/queries/mirror';
import { useSetExclusion } from '../../state/queries/spectrum';
import { useDeleteTurn } from '../../state/queries/turns';
import { useTheme } from '../../theme/tokens';

// Short labels so the four fit one row at phone width; the spoken label says it in full.
const kinds: { value: GalleryFilters['kind']; label: string; spoken: string }[] = [
  { value: undefined, label: 'All', spoken: 'All: show everything' },
  { value: 'saved', label: 'Saved', spoken: 'Saved: show saved patterns' },
  { value: 'turn', label: 'Turns', spoken: 'Turns: show every turn' },
  { value: 'session', label: 'Mirror', spoken: 'Mirror: show Mirror sessions' },
];

/** The trap chips: traps that appeared, most frequent first, with their counts; the selected one stays even at zero. */
export function trapChips(counts: { trap: TrapId; count: number }[] | undefined, selected: TrapId | undefined): { trap: TrapId; count: number | null }[] {
  if (!counts) return trapIds.map((trap) => ({ trap, count: null }));
  const chips: { trap: TrapId; count: number | null }[] = counts.map((c) => ({ trap: c.trap, count: c.count }));
  if (selected && !counts.some((c) => c.trap === selected)) chips.push({ trap: selected, count: 0 });
  return chips;
}

/** Gallery: the history of turns, saved patterns and Mirror sessions, filterable by thinking trap. */
export function GalleryScreen() {
  const router = useRouter();
  const { space } = useTheme();
  // Spectrum opens the Gallery on one trap (/gallery?trap=…); the tab stays mounted, so follow the parameter.
  const params = useLocalSearchParams<{ trap?: string }>();
  const linkedTrap = TrapId.safeParse(params.trap).data;
  const [kind, setKind] = useState<GalleryFilters['kind']>(undefined);
  const [trap, setTrap] = useState<TrapId | undefined>(linkedTrap);
  useEffect(() => {
    if (linkedTrap) setTrap(linkedTrap);
  }, [linkedTrap]);
  const [confirming, setConfirming] = useState<string | null>(null);
  const gallery = useGallery({ kind, trap });
  const trapCounts = useGalleryTrapCounts(kind);
  const chips = trapChips(trapCounts.data?.traps, trap);
  const deleteTurn = useDeleteTurn();
  const deleteSession = useDeleteMirrorSession();
  const exclusion = useSetExclusion();
  const hasSpectrum = useEntitlements().data?.unlocks.spectrum === true;
  const items = gallery.data?.pages.flatMap((page) => page.items) ?? [];
  const actionError = deleteTurn.error ?? deleteSession.error ?? exclusion.error;

  const idOf = (item: GalleryItem) => (item.kind === 'turn' ? item.turn.id : item.session.id);
  const remove = (item: GalleryItem) => {
    setConfirming(null);
    if (item.kind === 'turn') deleteTurn.mutate(item.turn.id);
    else deleteSession.mutate(item.session.id);
  };

  return (
    <Screen onRefresh={() => void gallery.refetch()} refreshing={gallery.isRefetching} testID="gallery">
      <Text variant="title">Gallery</Text>
      <Text color="textMuted" style={{ marginTop: space.xs, marginBottom: space.md }}>
        Everything you have turned and written, and the patterns you chose to keep.
      </Text>
      <View style={{ flexDirection: 'row', flexWrap: 'wrap' }} accessibilityLabel="Show" testID="gallery-kinds">
        {kinds.map((entry) => (
          <Chip key={entry.label} label={entry.label} accessibilityLabel={entry.spoken} selected={kind === entry.value} onPress={() => setKind(entry.value)} />
        ))}
      </View>
      <Text variant="small" color="textMuted" style={{ marginTop: space.xs, marginBottom: space.xs }}>
        Thinking traps{trapCounts.data ? ', most frequent first' : ''}
      </Text>
      {/* Chips wrap onto more rows rather than scrolling sideways, so none is hidden or cut mid-word. */}
      <View style={{ flexDirection: 'row', flexWrap: 'wrap', marginBottom: space.md }} accessibilityLabel="Filter by thinking trap" testID="gallery-traps">
        <Chip label="All traps" selected={!trap} onPress={() => setTrap(undefined)} />
        {chips.map(({ trap: id, count }) => (
          <Chip
            key={id}
            label={count === null ? trapInfo[id].name : `${trapInfo[id].name} · ${count}`}
            accessibilityLabel={count === null ? trapInfo[id].name : `${trapInfo[id].name}, ${count} ${count === 1 ? 'item' : 'items'}`}
            selected={trap === id}
            onPress={() => setTrap(trap === id ? undefined : id)}
            testID={`gallery-trap-${id}`}
          />
        ))}
      </View>
      {actionError ? <Text color="danger">{describeError(actionError)}</Text> : null}
      {gallery.isPending ? (
        <LoadingState />
      ) : gallery.error ? (
        <QueryError error={gallery.error} feature="The Gallery" onRetry={() => void gallery.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState
          title={trap || kind ? 'Nothing matches' : 'Your Gallery is empty'}
          message={trap || kind ? 'Try another filter.' : 'Turns you make and Mirror sessions you write will gather here.'}
          action={trap || kind ? undefined : { label: 'Make your first turn', onPress: () => router.push('/') }}
        />
      ) : (
        items.map((item) => {
          const id = idOf(item);
          const traps = item.kind === 'turn' ? item.turn.traps : item.session.traps;
          const title =
            item.kind === 'turn' ? item.turn.thought : item.session.reflection ?? `${item.session.messageCount} journal ${item.session.messageCount === 1 ? 'entry' : 'entries'}`;
          const label = item.kind === 'turn' ? (item.turn.saved ? 'Saved pattern' : 'Turn') : 'Mirror session';
          const excluded = item.kind === 'turn' ? item.turn.excludedFromAnalytics : item.session.excludedFromAnalytics;
          return (
            <Card key={`${item.kind}-${id}`} testID="gallery-item">
              <Pressable
                accessibilityRole="button"
                accessibilityHint={`Opens this ${label.toLowerCase()}`}
                onPress={() => router.push(item.kind === 'turn' ? `/turn/${id}` : `/mirror/${id}`)}
              >
                <Text variant="caption" color={item.kind === 'turn' && item.turn.saved ? 'accent' : 'primary'} style={{ textTransform: 'uppercase', letterSpacing: 0.6 }}>
                  {label} · {formatWhen(item.createdAt)}
                </Text>
                <Text numberOfLines={3} style={{ marginTop: space.xs }}>
                  {title}
                </Text>
                {traps.length > 0 ? (
                  <Text variant="small" color="textMuted" style={{ marginTop: space.xs }}>
                    {traps.map((t) => trapInfo[t].name).join(' · ')}
                  </Text>
                ) : null}
                {excluded ? (
                  <Text variant="small" color="textMuted" style={{ marginTop: space.xs }} testID="gallery-item-excluded">
                    Left out of Spectrum
                  </Text>
                ) : null}
              </Pressable>
              {hasSpectrum ? (
                <Button
                  label={excluded ? 'Count in Spectrum' : 'Leave out of Spectrum'}
                  variant="ghost"
                  size="small"
                  accessibilityLabel={`${excluded ? 'Count in Spectrum' : 'Leave out of Spectrum'}: this ${label.toLowerCase()}`}
                  loading={exclusion.isPending && exclusion.variables?.id === id}
                  onPress={() => exclusion.mutate({ type: item.kind === 'turn' ? 'turn' : 'mirror_session', id, excluded: !excluded })}
                  style={{ alignSelf: 'flex-start', marginTop: space.xs }}
                  testID="gallery-item-exclusion"
                />
              ) : null}
              {confirming === id ? (
                <View style={{ flexDirection: 'row', gap: space.sm, marginTop: space.md, alignItems: 'center', flexWrap: 'wrap' }}>
                  <Text variant="small">Delete for good?</Text>
                  <Button label="Delete" variant="danger" size="small" accessibilityLabel={`Confirm deleting this ${label.toLowerCase()}`} onPress={() => remove(item)} />
                  <Button label="Keep" variant="ghost" size="small" onPress={() => setConfirming(null)} />
                </View>
              ) : (
                <Button
                  label="Delete"
                  variant="ghost"
                  size="small"
                  accessibilityLabel={`Delete this ${label.toLowerCase()}`}
                  onPress={() => setConfirming(id)}
                  style={{ alignSelf: 'flex-end', marginTop: space.xs }}
                />
              )}
            </Card>
          );
        })
      )}
      {gallery.hasNextPage ? <Button label="Show more" variant="ghost" onPress={() => void gallery.fetchNextPage()} loading={gallery.isFetchingNextPage} /> : null}
    </Screen>
  );
}
