import { Pressable } from 'react-native';
import { useTheme } from '../theme/tokens';
import { Text } from './Text';

/** A filter or choice chip; its selected state is announced. */
export function Chip({ label, selected, onPress, accessibilityLabel, testID }: { label: string; selected: boolean; onPress: () => void; accessibilityLabel?: string; testID?: string }) {
  const { colors, radius, space } = useTheme();
  return (
    <Pressable
      accessibilityRole="button"
      accessibilityLabel={accessibilityLabel ?? label}
      accessibilityState={{ selected }}
      onPress={onPress}
      testID={testID}
      style={({ pressed }) => ({
        minHeight: 36,
        justifyContent: 'center',
        paddingHorizontal: space.md,
        marginRight: space.sm,
        marginBottom: space.sm,
        borderRadius: radius.pill,
        borderWidth: 1,
        borderColor: selected ? colors.primary : colors.border,
        backgroundColor: selected ? colors.primarySoft : colors.surface,
        opacity: pressed ? 0.8 : 1,
      })}
    >
      <Text variant="small" style={{ color: selected ? colors.primary : colors.textMuted, fontWeight: selected ? '600' : '400' }}>
        {label}
      </Text>
    </Pressable>
  );
}
