import type { Fragment, MirrorMessage } from '@kalei/contracts/mirror';
import { trapInfo } from '@kalei/contracts/taxonomy';
import { View } from 'react-native';
import { Card } from '../../components/Card';
import { Text } from '../../components/Text';
import { splitByFragments } from '../../lib/highlight';
import { useTheme } from '../../theme/tokens';

interface Props {
  message: MirrorMessage;
  selectedId: string | null;
  onSelect: (fragment: Fragment) => void;
}

/** A journal message with its thinking-trap fragments highlighted in place; each highlight is tappable. */
export function HighlightedMessage({ message, selectedId, onSelect }: Props) {
  const { colors, space } = useTheme();
  const segments = splitByFragments(message.text, message.fragments);
  return (
    <Card testID={`mirror-message-${message.seq}`}>
      <Text variant="body">
        {segments.map((segment, index) =>
          segment.fragment ? (
            <Text
              key={index}
              accessibilityRole="button"
              accessibilityLabel={`${trapInfo[segment.fragment.trap].name}: ${segment.text}. Tap to learn more.`}
              onPress={() => onSelect(segment.fragment as Fragment)}
              testID="mirror-fragment"
              style={{
                backgroundColor: colors.highlight,
                color: colors.text,
                textDecorationLine: 'underline',
                textDecorationColor: colors.highlightBorder,
                fontWeight: selectedId === segment.fragment.id ? '700' : '400',
              }}
            >
              {segment.text}
            </Text>
          ) : (
            <Text key={index}>{segment.text}</Text>
          ),
        )}
      </Text>
      {message.fragments.length > 0 ? (
        <View style={{ flexDirection: 'row', flexWrap: 'wrap', marginTop: space.sm }}>
          {message.fragments.map((fragment) => (
            <Text
              key={fragment.id}
              variant="caption"
              color="accent"
              accessibilityRole="button"
              accessibilityLabel={`Explain ${trapInfo[fragment.trap].name}`}
              onPress={() => onSelect(fragment)}
              style={{ marginRight: space.md, paddingVertical: 6 }}
            >
              {trapInfo[fragment.trap].name}
            </Text>
          ))}
        </View>
      ) : (
        <Text variant="caption" color="textMuted" style={{ marginTop: space.sm }}>
          No thinking traps stood out here.
        </Text>
      )}
    </Card>
  );
}
