import { useLocalSearchParams, useRouter } from 'expo-router';
import { Button } from '../../components/Button';
import { Card } from '../../components/Card';
import { Screen } from '../../components/Screen';
import { LoadingState, QueryError } from '../../components/StateViews';
import { Text } from '../../components/Text';
import { formatWhen } from '../../lib/dates';
import { useDeleteTurn, useTurn } from '../../state/queries/turns';
import { useTheme } from '../../theme/tokens';
import { TurnResult } from './TurnResult';

/** One past turn from the Gallery. */
export function TurnDetailScreen() {
  const { id } = useLocalSearchParams<{ id: string }>();
  const router = useRouter();
  const { space } = useTheme();
  const turn = useTurn(String(id));
  const remove = useDeleteTurn();
  if (turn.isPending) return <LoadingState />;
  if (turn.error) {
    return (
      <Screen>
        <QueryError error={turn.error} feature="Turns" onRetry={() => void turn.refetch()} />
      </Screen>
    );
  }
  return (
    <Screen onRefresh={() => void turn.refetch()} refreshing={turn.isRefetching}>
      <Text variant="small" color="textMuted">
        {formatWhen(turn.data.createdAt)}
      </Text>
      <Card tone="raised" style={{ marginTop: space.sm }}>
        <Text variant="bodyStrong">{turn.data.thought}</Text>
      </Card>
      <TurnResult turn={turn.data} />
      <Button
        label="Delete this turn"
        variant="danger"
        loading={remove.isPending}
        onPress={() => remove.mutate(turn.data.id, { onSuccess: () => router.back() })}
        style={{ marginTop: space.xl }}
      />
    </Screen>
  );
}
