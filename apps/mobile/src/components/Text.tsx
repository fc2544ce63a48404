import { Text as RNText, type TextProps as RNTextProps } from 'react-native';
import { useTheme, type Palette, type type as typeScale } from '../theme/tokens';

export interface TextProps extends RNTextProps {
  variant?: keyof typeof typeScale;
  color?: keyof Palette;
  align?: 'left' | 'center' | 'right';
}

/** Themed text: a step of the type scale in a palette colour. Scales with the system font size. */
export function Text({ variant = 'body', color = 'text', align, style, ...rest }: TextProps) {
  const theme = useTheme();
  const isHeading = variant === 'display' || variant === 'title';
  return (
    <RNText
      accessibilityRole={isHeading ? 'header' : rest.accessibilityRole}
      maxFontSizeMultiplier={2}
      style={[theme.type[variant], { color: theme.colors[color], textAlign: align }, style]}
      {...rest}
    />
  );
}
