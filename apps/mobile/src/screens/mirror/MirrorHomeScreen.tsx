import { trapInfo } from '@kalei/contracts/taxonomy';
import { useRouter } from 'expo-router';
import { Pressable, View } from 'react-native';
import { Button } from '../../components/Button';
import { Card } from '../../components/Card';
import { Screen } from '../../components/Screen';
import { EmptyState, ErrorState, LoadingState, QueryError } from '../../components/StateViews';
import { Text } from '../../components/Text';
import { formatWhen } from '../../lib/dates';
import { useMirrorSessions, useOpenMirrorSession } from '../../state/queries/mirror';
import { useTheme } from '../../theme/tokens';

/** Mirror: start a journaling session, or go back to a recent one. */
export function MirrorHomeScreen() {
  const router = useRouter();
  const { space } = useTheme();
  const sessions = useMirrorSessions();
  const open = useOpenMirrorSession();
  const items = sessions.data?.pages.flatMap((page) => page.items) ?? [];

  const start = () => open.mutate(undefined, { onSuccess: (session) => router.push(`/mirror/${session.id}`) });

  return (
    <Screen onRefresh={() => void sessions.refetch()} refreshing={sessions.isRefetching} testID="mirror-home">
      <Text variant="title">Mirror</Text>
      <Text color="textMuted" style={{ marginTop: space.xs, marginBottom: space.lg }}>
        Journal freely. Kalei reflects your words back, gently marking thinking traps you might want to look at.
      </Text>
      <Button label="Start a new session" onPress={start} loading={open.isPending} testID="mirror-start" />
      {open.error ? <ErrorState error={open.error} onRetry={start} /> : null}
      <Text variant="heading" style={{ marginTop: space.xl, marginBottom: space.sm }}>
        Recent sessions
      </Text>
      {sessions.isPending ? (
        <LoadingState />
      ) : sessions.error ? (
        <QueryError error={sessions.error} feature="Mirror" onRetry={() => void sessions.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState title="No sessions yet" message="Your journaling sessions will appear here." />
      ) : (
        items.map((session) => (
          <Pressable
            key={session.id}
            accessibilityRole="button"
            // The card's own words name it (date, state, entries), as axe's label-in-name rule asks.
            accessibilityHint="Opens this session"
            onPress={() => router.push(`/mirror/${session.id}`)}
          >
            <Card>
              <View style={{ flexDirection: 'row', justifyContent: 'space-between' }}>
                <Text variant="bodyStrong">{formatWhen(session.createdAt)}</Text>
                <Text variant="small" color={session.status === 'open' ? 'primary' : 'textMuted'}>
                  {session.status === 'open' ? 'In progress' : 'Closed'}
                </Text>
              </View>
              <Text variant="small" color="textMuted" style={{ marginTop: 2 }}>
                {session.messageCount} {session.messageCount === 1 ? 'entry' : 'entries'}
                {session.traps.length > 0 ? ` · ${session.traps.map((trap) => trapInfo[trap].name).join(', ')}` : ''}
              </Text>
            </Card>
          </Pressable>
        ))
      )}
      {sessions.hasNextPage ? <Button label="Show more" variant="ghost" onPress={() => void sessions.fetchNextPage()} loading={sessions.isFetchingNextPage} /> : null}
    </Screen>
  );
}
