import { forwardRef, useState } from 'react';
import { StyleSheet, TextInput, View, type TextInputProps } from 'react-native';
import { minTouch, useTheme } from '../theme/tokens';
import { Text } from './Text';

export interface TextFieldProps extends Omit<TextInputProps, 'style'> {
  label: string;
  error?: string | null;
  hint?: string;
}

/** A labelled input; the label is also what a screen reader announces, errors are read out too. */
export const TextField = forwardRef<TextInput, TextFieldProps>(function TextField({ label, error, hint, multiline, ...rest }, ref) {
  const { colors, radius, space, type } = useTheme();
  const [focused, setFocused] = useState(false);
  return (
    <View style={{ marginBottom: space.lg }}>
      <Text variant="small" color="textMuted" style={{ marginBottom: space.xs, fontWeight: '600' }}>
        {label}
      </Text>
      <TextInput
        ref={ref}
        accessibilityLabel={label}
        accessibilityHint={error ?? hint}
        placeholderTextColor={colors.textMuted}
        multiline={multiline}
        onFocus={(e) => {
          setFocused(true);
          rest.onFocus?.(e);
        }}
        onBlur={(e) => {
          setFocused(false);
          rest.onBlur?.(e);
        }}
        style={[
          styles.input,
          type.body,
          {
            color: colors.text,
            backgroundColor: colors.surface,
            borderColor: error ? colors.danger : focused ? colors.primary : colors.border,
            borderRadius: radius.md,
            paddingHorizontal: space.md,
            paddingVertical: space.sm + 2,
            minHeight: multiline ? 120 : minTouch + 4,
            textAlignVertical: multiline ? 'top' : 'center',
          },
        ]}
        {...rest}
      />
      {hint && !error ? (
        <Text variant="caption" color="textMuted" style={{ marginTop: space.xs }}>
          {hint}
        </Text>
      ) : null}
      {error ? (
        <Text variant="small" color="danger" accessibilityLiveRegion="polite" role="alert" style={{ marginTop: space.xs }}>
          {error}
        </Text>
      ) : null}
    </View>
  );
});

const styles = StyleSheet.create({ input: { borderWidth: 1.5 } });
