import { useRouter } from 'expo-router';
import { ActivityIndicator, View } from 'react-native';
import { ApiError, describeError, isNotAvailable } from '../api/errors';
import { useTheme } from '../theme/tokens';
import { Button } from './Button';
import { Card } from './Card';
import { Text } from './Text';

/** A centred spinner with words, for screen readers and slow connections alike. */
export function LoadingState({ label = 'Loading…' }: { label?: string }) {
  const { colors, space } = useTheme();
  return (
    <View accessibilityRole="progressbar" accessibilityLabel={label} style={{ padding: space.xxl, alignItems: 'center' }}>
      <ActivityIndicator color={colors.primary} />
      <Text variant="small" color="textMuted" style={{ marginTop: space.sm }}>
        {label}
      </Text>
    </View>
  );
}

/** Nothing here yet, said kindly, with the one next step. */
export function EmptyState({ title, message, action }: { title: string; message: string; action?: { label: string; onPress: () => void } }) {
  const { space } = useTheme();
  return (
    <View style={{ paddingVertical: space.xxl, alignItems: 'center' }}>
      <Text variant="heading" align="center">
        {title}
      </Text>
      <Text color="textMuted" align="center" style={{ marginTop: space.sm, maxWidth: 420 }}>
        {message}
      </Text>
      {action ? <Button label={action.label} onPress={action.onPress} style={{ marginTop: space.lg }} /> : null}
    </View>
  );
}

/** The endpoint behind this screen is not on the server yet: said plainly, with no stand-in data. */
export function NotAvailableState({ feature }: { feature: string }) {
  return (
    <Card tone="raised" accessibilityRole="summary">
      <Text variant="heading">{feature} is not available yet</Text>
      <Text color="textMuted" style={{ marginTop: 6 }}>
        This server does not offer {feature} yet. Nothing is shown here rather than made-up content; it will appear once the server is updated.
      </Text>
    </Card>
  );
}

/** An error with what to do about it: retry, or for a used-up quota, when it resets and how to get more. */
export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const router = useRouter();
  const { space } = useTheme();
  const quota = error instanceof ApiError && error.code === 'quota_exceeded';
  return (
    <Card tone={quota ? 'accent' : 'raised'} accessibilityRole="alert" testID="error-state">
      <Text variant="bodyStrong">{quota ? 'Daily limit reached' : 'That did not work'}</Text>
      <Text color="textMuted" style={{ marginTop: space.xs }}>
        {describeError(error)}
      </Text>
      <View style={{ flexDirection: 'row', flexWrap: 'wrap', marginTop: space.md, gap: space.sm }}>
        {quota ? <Button label="See plans" onPress={() => router.push('/paywall')} size="small" /> : null}
        {onRetry && !quota ? <Button label="Try again" variant="secondary" onPress={onRetry} size="small" /> : null}
      </View>
    </Card>
  );
}

/** Shows NotAvailableState for a missing endpoint and ErrorState for everything else. */
export function QueryError({ error, feature, onRetry }: { error: unknown; feature: string; onRetry?: () => void }) {
  return isNotAvailable(error) ? <NotAvailableState feature={feature} /> : <ErrorState error={error} onRetry={onRetry} />;
}
