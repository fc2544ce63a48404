import Ionicons from '@expo/vector-icons/Ionicons';
import { useRouter, type Href } from 'expo-router';
import { Pressable } from 'react-native';
import { minTouch, useTheme } from '../theme/tokens';
import { Text } from './Text';

/**
 * The header's way back, named for where it goes ("Back to Mirror"). A screen opened by a link has
 * nothing to go back to: it then goes to `fallback`, so no screen is a dead end.
 */
export function BackButton({ to, fallback }: { to: string; fallback: Href }) {
  const router = useRouter();
  const { colors, space } = useTheme();
  return (
    <Pressable
      accessibilityRole="button"
      accessibilityLabel={`Back to ${to}`}
      onPress={() => (router.canGoBack() ? router.back() : router.replace(fallback))}
      testID="header-back"
      hitSlop={8}
      style={({ pressed }) => ({ flexDirection: 'row', alignItems: 'center', minHeight: minTouch, paddingHorizontal: space.sm, opacity: pressed ? 0.7 : 1 })}
    >
      <Ionicons name="chevron-back" size={22} color={colors.primary} accessibilityElementsHidden importantForAccessibility="no" />
      <Text style={{ color: colors.primary }}>{to}</Text>
    </Pressable>
  );
}
