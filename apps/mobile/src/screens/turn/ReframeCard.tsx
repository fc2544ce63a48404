import type { Reframe } from '@kalei/contracts/ai-tasks';
import { ActivityIndicator, View } from 'react-native';
import { Button } from '../../components/Button';
import { Card } from '../../components/Card';
import { Text } from '../../components/Text';
import { techniqueLabels } from '../../lib/techniques';
import { useTheme } from '../../theme/tokens';

interface ReframeCardProps {
  index: number;
  reframe: Reframe | null;
  /** The person's rating of this reframe, when rated. */
  helpful?: boolean;
  onRate?: (helpful: boolean) => void;
  rating?: boolean;
}

/** One reframe with its technique; a gentle placeholder while it is still on its way. */
export function ReframeCard({ index, reframe, helpful, onRate, rating }: ReframeCardProps) {
  const { colors, space } = useTheme();
  if (!reframe) {
    return (
      <Card tone="raised" accessibilityLabel={`Reframe ${index + 1} is on its way`} style={{ flexDirection: 'row', alignItems: 'center' }}>
        <ActivityIndicator color={colors.primary} />
        <Text color="textMuted" style={{ marginLeft: space.md }}>
          Finding another angle…
        </Text>
      </Card>
    );
  }
  return (
    <Card testID={`reframe-${index}`}>
      <Text variant="caption" color="primary" style={{ textTransform: 'uppercase', letterSpacing: 0.6 }}>
        {techniqueLabels[reframe.technique]}
      </Text>
      <Text variant="body" style={{ marginTop: space.xs }}>
        {reframe.text}
      </Text>
      {onRate ? (
        <View style={{ flexDirection: 'row', gap: space.sm, marginTop: space.md }}>
          <Button
            label={helpful === true ? 'Helpful ✓' : 'Helpful'}
            accessibilityLabel={`Helpful, reframe ${index + 1}`}
            variant={helpful === true ? 'primary' : 'secondary'}
            size="small"
            disabled={rating}
            onPress={() => onRate(true)}
          />
          <Button
            label={helpful === false ? 'Not for me ✓' : 'Not for me'}
            accessibilityLabel={`Not for me, reframe ${index + 1}`}
            variant={helpful === false ? 'primary' : 'ghost'}
            size="small"
            disabled={rating}
            onPress={() => onRate(false)}
          />
        </View>
      ) : null}
    </Card>
  );
}
