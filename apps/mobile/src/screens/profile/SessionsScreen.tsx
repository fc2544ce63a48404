import { describeError } from '../../api/errors';
import { Button } from '../../components/Button';
import { Card } from '../../components/Card';
import { Screen } from '../../components/Screen';
import { LoadingState, QueryError } from '../../components/StateViews';
import { Text } from '../../components/Text';
import { formatWhen } from '../../lib/dates';
import { useRevokeOtherSessions, useRevokeSession, useSessions } from '../../state/queries/sessions';
import { useTheme } from '../../theme/tokens';

/** Every device signed in to the account, with a way to sign each out. */
export function SessionsScreen() {
  const { space } = useTheme();
  const sessions = useSessions();
  const revoke = useRevokeSession();
  const revokeOthers = useRevokeOtherSessions();
  if (sessions.isPending) return <LoadingState />;
  if (sessions.error) {
    return (
      <Screen>
        <QueryError error={sessions.error} feature="Device sessions" onRetry={() => void sessions.refetch()} />
      </Screen>
    );
  }
  const others = sessions.data.sessions.filter((session) => !session.current);
  return (
    <Screen onRefresh={() => void sessions.refetch()} refreshing={sessions.isRefetching}>
      <Text color="textMuted" style={{ marginBottom: space.lg }}>
        If you see a device you do not recognise, sign it out and change your password.
      </Text>
      {sessions.data.sessions.map((session) => {
        const name = session.deviceName ?? session.platform ?? 'Unknown device';
        return (
          <Card key={session.id}>
            <Text variant="bodyStrong">
              {name}
              {session.current ? ' (this device)' : ''}
            </Text>
            <Text variant="small" color="textMuted">
              Last used {formatWhen(session.lastUsedAt)} · signed in {formatWhen(session.createdAt)}
            </Text>
            {!session.current ? (
              <Button
                label="Sign out"
                accessibilityLabel={`Sign out ${name}`}
                variant="danger"
                size="small"
                loading={revoke.isPending && revoke.variables === session.id}
                onPress={() => revoke.mutate(session.id)}
                style={{ alignSelf: 'flex-start', marginTop: space.sm }}
              />
            ) : null}
          </Card>
        );
      })}
      {revoke.error || revokeOthers.error ? <Text color="danger">{describeError(revoke.error ?? revokeOthers.error)}</Text> : null}
      {others.length > 1 ? <Button label="Sign out every other device" variant="danger" loading={revokeOthers.isPending} onPress={() => revokeOthers.mutate()} /> : null}
    </Screen>
  );
}
