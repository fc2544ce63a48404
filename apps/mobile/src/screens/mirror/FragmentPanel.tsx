import type { Fragment } from '@kalei/contracts/mirror';
import { trapInfo } from '@kalei/contracts/taxonomy';
import { describeError } from '../../api/errors';
import { Button } from '../../components/Button';
import { Card } from '../../components/Card';
import { Text } from '../../components/Text';
import { techniqueLabels } from '../../lib/techniques';
import { useTheme } from '../../theme/tokens';

interface Props {
  fragment: Fragment;
  text: string;
  onReframe: () => void;
  reframing: boolean;
  error: unknown;
  onClose: () => void;
}

/** What a highlighted fragment means, and its inline reframe on request. */
export function FragmentPanel({ fragment, text, onReframe, reframing, error, onClose }: Props) {
  const { space } = useTheme();
  const info = trapInfo[fragment.trap];
  return (
    <Card tone="accent" testID="fragment-panel" accessibilityLiveRegion="polite">
      <Text variant="caption" color="accent" style={{ textTransform: 'uppercase', letterSpacing: 0.6 }}>
        Thinking trap
      </Text>
      <Text variant="heading">{info.name}</Text>
      <Text variant="small" color="textMuted" style={{ marginTop: 2 }}>
        {info.definition}
      </Text>
      <Text style={{ marginTop: space.md, fontStyle: 'italic' }}>“{text}”</Text>
      <Text style={{ marginTop: space.sm }}>{fragment.explanation}</Text>
      {fragment.reframe ? (
        <Card style={{ marginTop: space.md, marginBottom: 0 }} testID="fragment-reframe">
          <Text variant="caption" color="primary" style={{ textTransform: 'uppercase', letterSpacing: 0.6 }}>
            {techniqueLabels[fragment.reframe.technique]}
          </Text>
          <Text style={{ marginTop: space.xs }}>{fragment.reframe.text}</Text>
        </Card>
      ) : (
        <Button label="Show me another way to see it" loading={reframing} onPress={onReframe} style={{ marginTop: space.md }} testID="fragment-reframe-button" />
      )}
      {error ? (
        <Text color="danger" role="alert" style={{ marginTop: space.sm }}>
          {describeError(error)}
        </Text>
      ) : null}
      <Button label="Close" accessibilityLabel="Close the explanation" variant="ghost" size="small" onPress={onClose} style={{ alignSelf: 'flex-end', marginTop: space.sm }} />
    </Card>
  );
}
