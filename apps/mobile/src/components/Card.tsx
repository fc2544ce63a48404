import { View, type StyleProp, type ViewProps, type ViewStyle } from 'react-native';
import { useTheme } from '../theme/tokens';

/** A quiet surface that groups related content. */
export function Card({ style, tone = 'surface', ...rest }: ViewProps & { style?: StyleProp<ViewStyle>; tone?: 'surface' | 'raised' | 'primary' | 'accent' }) {
  const { colors, radius, space } = useTheme();
  const background = { surface: colors.surface, raised: colors.surfaceRaised, primary: colors.primarySoft, accent: colors.accentSoft }[tone];
  return <View style={[{ backgroundColor: background, borderRadius: radius.lg, padding: space.lg, borderWidth: 1, borderColor: colors.border, marginBottom: space.md }, style]} {...rest} />;
}
