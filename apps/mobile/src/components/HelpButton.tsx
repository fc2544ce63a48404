import { useRouter } from 'expo-router';
import { Pressable, useWindowDimensions } from 'react-native';
import { minTouch, useTheme } from '../theme/tokens';
import { Text } from './Text';

/** Below this width (a phone at 200% zoom) the header has room for one short word only. */
export const NARROW_WIDTH = 320;

/** "Get help now": on every screen, one tap from crisis resources. */
export function HelpButton() {
  const router = useRouter();
  const { colors, radius, space } = useTheme();
  const narrow = useWindowDimensions().width < NARROW_WIDTH;
  return (
    <Pressable
      accessibilityRole="button"
      accessibilityLabel="Get help now"
      accessibilityHint="Opens crisis lines and emergency numbers"
      onPress={() => router.push('/help')}
      testID="get-help"
      hitSlop={8}
      style={({ pressed }) => ({
        minHeight: minTouch - 8,
        justifyContent: 'center',
        paddingHorizontal: space.md,
        marginHorizontal: space.sm,
        borderRadius: radius.pill,
        borderWidth: 1,
        borderColor: colors.crisisAction,
        opacity: pressed ? 0.7 : 1,
      })}
    >
      <Text variant="small" style={{ color: colors.crisisAction, fontWeight: '600' }}>
        {narrow ? 'Help' : 'Get help now'}
      </Text>
    </Pressable>
  );
}
