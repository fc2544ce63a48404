import { trapInfo, type TrapId } from '@kalei/contracts/taxonomy';
import { View } from 'react-native';
import { useTheme } from '../theme/tokens';
import { Text } from './Text';

/** A thinking trap's plain-language name as a small badge. */
export function TrapBadge({ trap }: { trap: TrapId }) {
  const { colors, radius, space } = useTheme();
  return (
    <View
      accessible
      accessibilityLabel={`Thinking trap: ${trapInfo[trap].name}`}
      style={{ backgroundColor: colors.highlight, borderRadius: radius.pill, paddingHorizontal: space.md, paddingVertical: 4, marginRight: space.sm, marginBottom: space.sm }}
    >
      <Text variant="caption">{trapInfo[trap].name}</Text>
    </View>
  );
}
