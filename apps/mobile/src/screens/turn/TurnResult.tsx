import type { Turn } from '@kalei/contracts/turns';
import { View } from 'react-native';
import { describeError } from '../../api/errors';
import { Button } from '../../components/Button';
import { Card } from '../../components/Card';
import { Text } from '../../components/Text';
import { TrapBadge } from '../../components/TrapBadge';
import { useSaveTurn, useTurnFeedback } from '../../state/queries/turns';
import { useTheme } from '../../theme/tokens';
import { ReframeCard } from './ReframeCard';

/** A finished turn: traps noticed, the three reframes with ratings, the micro-action, and save. */
export function TurnResult({ turn, onChange }: { turn: Turn; onChange?: (turn: Turn) => void }) {
  const { space } = useTheme();
  const save = useSaveTurn();
  const feedback = useTurnFeedback();
  const ratingOf = (index: number) => turn.feedback.find((entry) => entry.reframeIndex === index)?.helpful;
  return (
    <View testID="turn-result">
      {turn.traps.length > 0 ? (
        <View style={{ marginBottom: space.md }}>
          <Text variant="small" color="textMuted" style={{ marginBottom: space.xs }}>
            Thinking traps that may be at work
          </Text>
          <View style={{ flexDirection: 'row', flexWrap: 'wrap' }}>
            {turn.traps.map((trap) => (
              <TrapBadge key={trap} trap={trap} />
            ))}
          </View>
        </View>
      ) : null}
      {turn.reframes.map((reframe, index) => (
        <ReframeCard
          key={index}
          index={index}
          reframe={reframe}
          helpful={ratingOf(index)}
          rating={feedback.isPending}
          onRate={(helpful) => feedback.mutate({ id: turn.id, reframeIndex: index, helpful }, { onSuccess: onChange })}
        />
      ))}
      <Card tone="primary" testID="micro-action">
        <Text variant="caption" color="primary" style={{ textTransform: 'uppercase', letterSpacing: 0.6 }}>
          One small step · about {turn.microAction.minutes} min
        </Text>
        <Text style={{ marginTop: space.xs }}>{turn.microAction.text}</Text>
      </Card>
      {feedback.error ? <Text color="danger">{describeError(feedback.error)}</Text> : null}
      {turn.saved ? (
        <Text color="success" variant="bodyStrong" accessibilityLiveRegion="polite" testID="turn-saved" style={{ marginVertical: space.md }}>
          Saved to your Gallery
        </Text>
      ) : (
        <Button
          label="Save to Gallery"
          accessibilityHint="Keeps this turn as a pattern you can come back to"
          loading={save.isPending}
          onPress={() => save.mutate({ id: turn.id }, { onSuccess: onChange })}
          style={{ marginTop: space.sm }}
          testID="turn-save"
        />
      )}
      {save.error ? (
        <Text color="danger" role="alert">
          {describeError(save.error)}
        </Text>
      ) : null}
    </View>
  );
}
