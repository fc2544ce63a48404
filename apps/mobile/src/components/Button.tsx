import { ActivityIndicator, Pressable, StyleSheet, View, type StyleProp, type ViewStyle } from 'react-native';
import { minTouch, useTheme } from '../theme/tokens';
import { Text } from './Text';

export type ButtonVariant = 'primary' | 'secondary' | 'ghost' | 'danger' | 'crisis';

export interface ButtonProps {
  label: string;
  onPress: () => void;
  /** What a screen reader says; defaults to the label. */
  accessibilityLabel?: string;
  accessibilityHint?: string;
  variant?: ButtonVariant;
  disabled?: boolean;
  loading?: boolean;
  size?: 'regular' | 'small';
  style?: StyleProp<ViewStyle>;
  testID?: string;
}

/** The one button: labelled for screen readers, at least 44 pt tall, with a busy state. */
export function Button({ label, onPress, accessibilityLabel, accessibilityHint, variant = 'primary', disabled, loading, size = 'regular', style, testID }: ButtonProps) {
  const { colors, radius, space } = useTheme();
  const palette = {
    primary: { bg: colors.primary, fg: colors.onPrimary, border: colors.primary },
    secondary: { bg: colors.surface, fg: colors.primary, border: colors.border },
    ghost: { bg: 'transparent', fg: colors.primary, border: 'transparent' },
    danger: { bg: colors.surface, fg: colors.danger, border: colors.border },
    crisis: { bg: colors.crisisAction, fg: colors.onCrisisAction, border: colors.crisisAction },
  }[variant];
  const inactive = disabled || loading;
  return (
    <Pressable
      accessibilityRole="button"
      accessibilityLabel={accessibilityLabel ?? label}
      accessibilityHint={accessibilityHint}
      accessibilityState={{ disabled: !!inactive, busy: !!loading }}
      disabled={inactive}
      onPress={onPress}
      testID={testID}
      style={({ pressed }) => [
        styles.base,
        {
          backgroundColor: palette.bg,
          borderColor: palette.border,
          borderRadius: radius.pill,
          paddingHorizontal: size === 'small' ? space.md : space.xl,
          minHeight: size === 'small' ? 36 : minTouch + 4,
          opacity: inactive ? 0.55 : pressed ? 0.8 : 1,
        },
        style,
      ]}
    >
      <View style={styles.row}>
        {loading ? <ActivityIndicator color={palette.fg} style={{ marginRight: space.sm }} /> : null}
        <Text variant={size === 'small' ? 'small' : 'bodyStrong'} style={{ color: palette.fg }}>
          {label}
        </Text>
      </View>
    </Pressable>
  );
}

const styles = StyleSheet.create({
  base: { alignItems: 'center', justifyContent: 'center', borderWidth: 1 },
  row: { flexDirection: 'row', alignItems: 'center' },
});
