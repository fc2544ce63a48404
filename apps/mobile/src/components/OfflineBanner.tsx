import { View } from 'react-native';
import { useIsOffline } from '../state/network';
import { useTheme } from '../theme/tokens';
import { Text } from './Text';

/** A clear, calm banner while the device is offline. */
export function OfflineBanner() {
  const offline = useIsOffline();
  const { colors, space } = useTheme();
  if (!offline) return null;
  return (
    <View accessibilityRole="alert" accessibilityLiveRegion="polite" style={{ backgroundColor: colors.accentSoft, paddingVertical: space.sm, paddingHorizontal: space.lg }}>
      <Text variant="small" color="accent" align="center">
        You are offline. What you see may be out of date; Kalei will catch up when you reconnect.
      </Text>
    </View>
  );
}
