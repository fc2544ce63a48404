import { Stack, usePathname, useRouter } from 'expo-router';
import { View } from 'react-native';
import { useAuth } from '../../auth/AuthProvider';
import { Button } from '../../components/Button';
import { Screen } from '../../components/Screen';
import { Text } from '../../components/Text';
import { useTheme } from '../../theme/tokens';

/** Any address the app has no screen for: said kindly, with the way home and to help (never Expo's developer page). */
export function NotFoundScreen() {
  const router = useRouter();
  const pathname = usePathname();
  const { status } = useAuth();
  const { space } = useTheme();
  const signedIn = status === 'signedIn';
  return (
    <Screen testID="not-found">
      <Stack.Screen options={{ title: 'Page not found' }} />
      <Text variant="title">
        This page is not here
      </Text>
      <Text color="textMuted" style={{ marginTop: space.sm, marginBottom: space.lg }}>
        Kalei has no page at {pathname.length > 80 ? `${pathname.slice(0, 80)}…` : pathname}. It may have moved, or the link may be mistyped. Nothing you wrote is
        affected.
      </Text>
      <View style={{ gap: space.sm }}>
        <Button
          label={signedIn ? 'Go to Turn, the home screen' : 'Go to the start'}
          onPress={() => router.replace('/')}
          testID="not-found-home"
        />
        <Button label="Get help now" variant="secondary" onPress={() => router.push('/help')} />
      </View>
    </Screen>
  );
}
