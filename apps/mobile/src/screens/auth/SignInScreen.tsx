import { Email } from '@kalei/contracts/auth';
import { Link } from 'expo-router';
import { useState } from 'react';
import { View } from 'react-native';
import { describeError } from '../../api/errors';
import { useAuth } from '../../auth/AuthProvider';
import { Button } from '../../components/Button';
import { Card } from '../../components/Card';
import { Screen } from '../../components/Screen';
import { Text } from '../../components/Text';
import { TextField } from '../../components/TextField';
import { deviceInfo } from '../../lib/device';
import { usePersisted } from '../../state/persisted/PersistedProvider';
import { useAuthMutations } from '../../state/queries/auth';
import { useTheme } from '../../theme/tokens';
import { SocialSignIn } from './SocialSignIn';

/** Email and password sign-in, with Apple and Google on native. */
export function SignInScreen() {
  const { endedReason } = useAuth();
  const { login } = useAuthMutations();
  const persisted = usePersisted();
  const { colors, space } = useTheme();
  const [email, setEmail] = useState(persisted.state.lastEmail ?? '');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);

  const submit = () => {
    setError(null);
    const parsedEmail = Email.safeParse(email);
    if (!parsedEmail.success) return setError('Enter a valid email address.');
    if (!password) return setError('Enter your password.');
    login.mutate(
      { email: parsedEmail.data, password, device: deviceInfo() },
      {
        onSuccess: () => persisted.update({ lastEmail: parsedEmail.data }),
        onError: (failure) => setError(describeError(failure)),
      },
    );
  };

  return (
    <Screen testID="sign-in">
      <Text variant="title" style={{ marginBottom: space.sm }}>
        Welcome back
      </Text>
      {endedReason === 'expired' ? (
        <Card tone="accent" accessibilityRole="alert">
          <Text>Your session ended, so you were signed out. Log in again to carry on.</Text>
        </Card>
      ) : endedReason === 'deleted' ? (
        <Card tone="accent" accessibilityRole="alert" testID="account-deleted">
          <Text>Your account and everything in it were deleted. Thank you for the time you spent with Kalei.</Text>
        </Card>
      ) : null}
      <SocialSignIn onError={setError} />
      <TextField
        label="Email"
        value={email}
        onChangeText={setEmail}
        autoCapitalize="none"
        autoComplete="email"
        keyboardType="email-address"
        textContentType="username"
        testID="sign-in-email"
      />
      <TextField
        label="Password"
        value={password}
        onChangeText={setPassword}
        secureTextEntry
        autoComplete="current-password"
        textContentType="password"
        onSubmitEditing={submit}
        testID="sign-in-password"
      />
      {error ? (
        <Text color="danger" role="alert" accessibilityLiveRegion="assertive" style={{ marginBottom: space.md }} testID="sign-in-error">
          {error}
        </Text>
      ) : null}
      <Button label="Log in" onPress={submit} loading={login.isPending} testID="sign-in-submit" />
      <View style={{ marginTop: space.xl, alignItems: 'center' }}>
        <Link href="/register" replace accessibilityLabel="New to Kalei? Create an account" style={{ color: colors.primary, fontSize: 16, padding: space.sm }}>
          New to Kalei? Create an account
        </Link>
      </View>
    </Screen>
  );
}
