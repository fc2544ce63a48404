import { Country, DisplayName, Email, PASSWORD_MIN_LENGTH, passwordRuleMessages, PasswordRule } from '@kalei/contracts/auth';
import { Link } from 'expo-router';
import { useState } from 'react';
import { View } from 'react-native';
import { ApiError, describeError } from '../../api/errors';
import { Button } from '../../components/Button';
import { Screen } from '../../components/Screen';
import { Text } from '../../components/Text';
import { TextField } from '../../components/TextField';
import { countryName, deviceCountry, deviceInfo, deviceLocale, deviceTimeZone } from '../../lib/device';
import { usePersisted } from '../../state/persisted/PersistedProvider';
import { useAuthMutations } from '../../state/queries/auth';
import { useTheme } from '../../theme/tokens';
import { SocialSignIn } from './SocialSignIn';

/** The rules the API says a password failed, as sentences. */
function weakPasswordMessages(error: unknown): string[] | null {
  if (!(error instanceof ApiError) || error.code !== 'weak_password') return null;
  const rules = error.problem?.rules;
  if (!Array.isArray(rules)) return [describeError(error)];
  return rules.flatMap((rule) => {
    const parsed = PasswordRule.safeParse(rule);
    return parsed.success ? [passwordRuleMessages[parsed.data]] : [];
  });
}

/** Email registration; country and time zone start from the device and choose the crisis resources. */
export function RegisterScreen() {
  const { register } = useAuthMutations();
  const persisted = usePersisted();
  const { colors, space } = useTheme();
  const [displayName, setDisplayName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [country, setCountry] = useState(deviceCountry() ?? '');
  const [errors, setErrors] = useState<{ email?: string; password?: string; country?: string; displayName?: string; form?: string }>({});

  const submit = () => {
    const next: typeof errors = {};
    const parsedEmail = Email.safeParse(email);
    if (!parsedEmail.success) next.email = 'Enter a valid email address.';
    if (password.length < PASSWORD_MIN_LENGTH) next.password = passwordRuleMessages.too_short;
    const parsedCountry = country.trim() ? Country.safeParse(country) : null;
    if (parsedCountry && !parsedCountry.success) next.country = 'Use a two-letter country code such as US or GB.';
    const parsedName = displayName.trim() ? DisplayName.safeParse(displayName) : null;
    if (parsedName && !parsedName.success) next.displayName = 'Use up to 60 characters.';
    setErrors(next);
    if (Object.keys(next).length > 0 || !parsedEmail.success) return;
    register.mutate(
      {
        email: parsedEmail.data,
        password,
        ...(parsedName?.success ? { displayName: parsedName.data } : {}),
        ...(parsedCountry?.success ? { country: parsedCountry.data } : {}),
        locale: deviceLocale(),
        timezone: deviceTimeZone(),
        device: deviceInfo(),
      },
      {
        onSuccess: () => persisted.update({ lastEmail: parsedEmail.data }),
        onError: (failure) => {
          const weak = weakPasswordMessages(failure);
          if (weak) setErrors({ password: weak.join(' ') });
          else if (failure instanceof ApiError && failure.code === 'email_taken') setErrors({ email: describeError(failure) });
          else setErrors({ form: describeError(failure) });
        },
      },
    );
  };

  const countryHint = country.trim().length === 2 ? `${countryName(country.trim().toUpperCase())}: we show crisis lines for this country.` : 'Chooses which crisis lines Kalei shows you.';
  return (
    <Screen testID="register">
      <Text variant="title">Create your account</Text>
      <Text color="textMuted" style={{ marginBottom: space.lg, marginTop: space.xs }}>
        Your reflections are private and encrypted. You can delete them, or your whole account, at any time.
      </Text>
      <SocialSignIn onError={(message) => setErrors({ form: message })} />
      <TextField label="What should we call you? (optional)" value={displayName} onChangeText={setDisplayName} autoComplete="name" error={errors.displayName} testID="register-name" />
      <TextField
        label="Email"
        value={email}
        onChangeText={setEmail}
        autoCapitalize="none"
        autoComplete="email"
        keyboardType="email-address"
        textContentType="username"
        error={errors.email}
        testID="register-email"
      />
      <TextField
        label="Password"
        value={password}
        onChangeText={setPassword}
        secureTextEntry
        autoComplete="new-password"
        textContentType="newPassword"
        hint={`At least ${PASSWORD_MIN_LENGTH} characters.`}
        error={errors.password}
        testID="register-password"
      />
      <TextField
        label="Country"
        value={country}
        onChangeText={(text) => setCountry(text.toUpperCase().slice(0, 2))}
        autoCapitalize="characters"
        maxLength={2}
        hint={countryHint}
        error={errors.country}
        testID="register-country"
      />
      {errors.form ? (
        <Text color="danger" role="alert" style={{ marginBottom: space.md }}>
          {errors.form}
        </Text>
      ) : null}
      <Button label="Create account" onPress={submit} loading={register.isPending} testID="register-submit" />
      <View style={{ marginTop: space.xl, alignItems: 'center' }}>
        <Link href="/sign-in" replace accessibilityLabel="Already have an account? Log in" style={{ color: colors.primary, fontSize: 16, padding: space.sm }}>
          Already have an account? Log in
        </Link>
      </View>
    </Screen>
  );
}
