import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { DarkTheme, DefaultTheme, Stack, ThemeProvider } from 'expo-router';
import { StatusBar } from 'expo-status-bar';
import { useEffect, useState } from 'react';
import { SafeAreaProvider } from 'react-native-safe-area-context';
import { z } from 'zod';
import { ApiError } from '../api/errors';
import { AuthProvider, useAuth } from '../auth/AuthProvider';
import { BackButton } from '../components/BackButton';
import { HelpButton } from '../components/HelpButton';
import { LoadingState } from '../components/StateViews';
import { CrisisProvider } from '../state/crisis';
import { connectQueryToNetwork } from '../state/network';
import { PersistedProvider, usePersisted } from '../state/persisted/PersistedProvider';
import { useTheme } from '../theme/tokens';

// The API's content security policy forbids eval: zod's compiled fast path would probe `new Function`
// and make the browser report a violation on every start.
z.config({ jitless: true });

/** Retry network blips and 5xx, never a problem the person has to act on (4xx). */
function shouldRetry(failureCount: number, error: unknown): boolean {
  if (error instanceof ApiError && error.status < 500) return false;
  return failureCount < 2;
}

export default function RootLayout() {
  const [queryClient] = useState(
    () => new QueryClient({ defaultOptions: { queries: { retry: shouldRetry, staleTime: 15_000 }, mutations: { retry: false } } }),
  );
  useEffect(() => connectQueryToNetwork(), []);
  return (
    <SafeAreaProvider>
      <QueryClientProvider client={queryClient}>
        <PersistedProvider>
          <AuthProvider>
            <CrisisProvider>
              <RootStack />
            </CrisisProvider>
          </AuthProvider>
        </PersistedProvider>
      </QueryClientProvider>
    </SafeAreaProvider>
  );
}

function RootStack() {
  const { status } = useAuth();
  const persisted = usePersisted();
  const theme = useTheme();
  const navigationTheme = theme.scheme === 'dark' ? DarkTheme : DefaultTheme;
  if (status === 'loading' || !persisted.ready) return <LoadingState label="Opening Kalei…" />;
  const signedIn = status === 'signedIn';
  return (
    <ThemeProvider
      value={{
        ...navigationTheme,
        colors: {
          ...navigationTheme.colors,
          background: theme.colors.background,
          card: theme.colors.background,
          text: theme.colors.text,
          border: theme.colors.border,
          primary: theme.colors.primary,
        },
      }}
    >
      <StatusBar style={theme.scheme === 'dark' ? 'light' : 'dark'} />
      <Stack
        screenOptions={{
          headerStyle: { backgroundColor: theme.colors.background },
          headerTintColor: theme.colors.primary,
          headerTitleStyle: { color: theme.colors.text },
          headerShadowVisible: false,
          contentStyle: { backgroundColor: theme.colors.background },
          headerRight: () => <HelpButton />,
        }}
      >
        <Stack.Protected guard={!signedIn && !persisted.state.onboardingDone}>
          <Stack.Screen name="welcome" options={{ headerShown: false }} />
        </Stack.Protected>
        <Stack.Protected guard={!signedIn}>
          <Stack.Screen name="sign-in" options={{ title: 'Log in' }} />
          <Stack.Screen name="register" options={{ title: 'Create your account' }} />
        </Stack.Protected>
        <Stack.Protected guard={signedIn}>
          <Stack.Screen name="(tabs)" options={{ headerShown: false }} />
          <Stack.Screen name="mirror/[id]" options={{ title: 'Mirror session', headerLeft: () => <BackButton to="Mirror" fallback="/mirror" /> }} />
          <Stack.Screen name="turn/[id]" options={{ title: 'Turn', headerLeft: () => <BackButton to="Gallery" fallback="/gallery" /> }} />
          <Stack.Screen name="sessions" options={{ title: 'Signed-in devices', headerLeft: () => <BackButton to="Profile" fallback="/profile" /> }} />
          <Stack.Screen name="paywall" options={{ title: 'Plans', headerLeft: () => <BackButton to="Kalei" fallback="/" /> }} />
        </Stack.Protected>
        <Stack.Screen name="help" options={{ title: 'Get help now', headerRight: undefined, headerLeft: () => <BackButton to="Kalei" fallback="/" /> }} />
        <Stack.Screen name="+not-found" options={{ title: 'Page not found' }} />
        <Stack.Screen name="crisis" options={{ headerShown: false, gestureEnabled: false }} />
      </Stack>
    </ThemeProvider>
  );
}
