import { Country, DisplayName, LocalTime, TimeZone, type NotificationChannel } from '@kalei/contracts/auth';
import { plans } from '@kalei/contracts/plans';
import { useRouter } from 'expo-router';
import { useEffect, useState } from 'react';
import { Platform, Switch, View } from 'react-native';
import { describeError, formatResetTime } from '../../api/errors';
import { useAuth } from '../../auth/AuthProvider';
import { Button } from '../../components/Button';
import { Card } from '../../components/Card';
import { Screen } from '../../components/Screen';
import { LoadingState, QueryError } from '../../components/StateViews';
import { Text } from '../../components/Text';
import { TextField } from '../../components/TextField';
import { countryName, deviceTimeZone } from '../../lib/device';
import { registerForPush } from '../../lib/push';
import { usePersisted } from '../../state/persisted/PersistedProvider';
import { useEntitlements } from '../../state/queries/billing';
import { useMe, useUpdateProfile } from '../../state/queries/me';
import { useTheme } from '../../theme/tokens';
import { AccountDataCard } from './AccountDataCard';
import { SpectrumDataCard } from './SpectrumDataCard';

const channelLabels: Record<NotificationChannel, string> = {
  daily_reminder: 'Daily reminder',
  weekly_summary: 'Weekly summary',
  streak: 'Streak nudges',
};

const featureLabels = { turns: 'Turns', mirror_messages: 'Mirror entries', fragment_reframes: 'Fragment reframes', lens_affirmations: 'Affirmations' } as const;

/** Profile: who you are, where (for crisis lines), reminders, plan, devices, and log out. */
export function ProfileScreen() {
  const router = useRouter();
  const { space, colors } = useTheme();
  const { api, signOut } = useAuth();
  const persisted = usePersisted();
  const me = useMe();
  const update = useUpdateProfile();
  const entitlements = useEntitlements();
  const [form, setForm] = useState({ displayName: '', country: '', timezone: '', reminderTime: '' });
  const [errors, setErrors] = useState<Partial<Record<keyof typeof form, string>>>({});
  const [pushNote, setPushNote] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [signingOut, setSigningOut] = useState(false);

  const profile = me.data?.profile;
  useEffect(() => {
    if (!profile) return;
    setForm({
      displayName: profile.displayName ?? '',
      country: profile.country ?? '',
      timezone: profile.timezone,
      reminderTime: profile.notificationPreferences.reminderTime ?? '',
    });
  }, [profile]);

  if (me.isPending) return <LoadingState />;
  if (me.error || !profile) {
    return (
      <Screen>
        <QueryError error={me.error} feature="Profile" onRetry={() => void me.refetch()} />
      </Screen>
    );
  }

  const save = () => {
    const next: typeof errors = {};
    const name = form.displayName.trim() ? DisplayName.safeParse(form.displayName) : null;
    if (name && !name.success) next.displayName = 'Use up to 60 characters.';
    const country = form.country.trim() ? Country.safeParse(form.country) : null;
    if (country && !country.success) next.country = 'Use a two-letter country code such as US or GB.';
    const timezone = TimeZone.safeParse(form.timezone);
    if (!timezone.success) next.timezone = 'Use a time zone name such as Europe/Paris.';
    const reminder = form.reminderTime.trim() ? LocalTime.safeParse(form.reminderTime.trim()) : null;
    if (reminder && !reminder.success) next.reminderTime = 'Use HH:MM, for example 20:30.';
    setErrors(next);
    setSaved(false);
    if (Object.keys(next).length > 0 || !timezone.success) return;
    update.mutate(
      {
        displayName: name?.success ? name.data : null,
        country: country?.success ? country.data : null,
        timezone: timezone.data,
        notificationPreferences: { reminderTime: reminder?.success ? reminder.data : null },
      },
      { onSuccess: () => setSaved(true) },
    );
  };

  const toggleChannel = async (channel: NotificationChannel, on: boolean) => {
    update.mutate({ notificationPreferences: { channels: { [channel]: on } } });
    if (!on) return;
    // Turning a reminder on is the moment to ask for permission, once.
    if (Platform.OS === 'web') return setPushNote('Reminders arrive in the Kalei mobile app; this browser cannot receive them.');
    try {
      const outcome = await registerForPush(api);
      persisted.update({ pushPermissionAsked: true });
      if (outcome === 'denied') setPushNote('Notifications are off for Kalei. You can turn them on in your device settings.');
      else if (outcome === 'unsupported') setPushNote('This device cannot receive push notifications.');
      else setPushNote(null);
    } catch (error) {
      setPushNote(describeError(error));
    }
  };

  const plan = entitlements.data;
  return (
    <Screen onRefresh={() => void Promise.all([me.refetch(), entitlements.refetch()])} refreshing={me.isRefetching} testID="profile">
      <Text variant="title">{profile.displayName ?? 'Your profile'}</Text>
      <Text color="textMuted" style={{ marginBottom: space.lg }}>
        {me.data.email ?? 'Signed in with ' + me.data.identities.join(' and ')}
      </Text>

      <Card>
        <Text variant="heading" style={{ marginBottom: space.md }}>
          About you
        </Text>
        <TextField label="Name" value={form.displayName} onChangeText={(displayName) => setForm({ ...form, displayName })} error={errors.displayName} />
        <TextField
          label="Country"
          value={form.country}
          onChangeText={(text) => setForm({ ...form, country: text.toUpperCase().slice(0, 2) })}
          autoCapitalize="characters"
          maxLength={2}
          hint={form.country.length === 2 ? `${countryName(form.country)}: chooses the crisis lines Kalei shows you.` : 'Chooses the crisis lines Kalei shows you.'}
          error={errors.country}
          testID="profile-country"
        />
        <TextField label="Time zone" value={form.timezone} onChangeText={(timezone) => setForm({ ...form, timezone })} autoCapitalize="none" error={errors.timezone} />
        {deviceTimeZone() && deviceTimeZone() !== form.timezone ? (
          <Button label={`Use this device's time zone (${deviceTimeZone()})`} variant="ghost" size="small" onPress={() => setForm({ ...form, timezone: deviceTimeZone() ?? form.timezone })} style={{ alignSelf: 'flex-start', marginBottom: space.md }} />
        ) : null}
        <TextField
          label="Daily reminder time (HH:MM)"
          value={form.reminderTime}
          onChangeText={(reminderTime) => setForm({ ...form, reminderTime })}
          placeholder="20:30"
          error={errors.reminderTime}
        />
        {update.error ? <Text color="danger">{describeError(update.error)}</Text> : null}
        {saved ? (
          <Text color="success" accessibilityLiveRegion="polite">
            Saved.
          </Text>
        ) : null}
        <Button label="Save changes" onPress={save} loading={update.isPending} testID="profile-save" />
      </Card>

      <Card>
        <Text variant="heading" style={{ marginBottom: space.sm }}>
          Notifications
        </Text>
        {(Object.keys(channelLabels) as NotificationChannel[]).map((channel) => (
          <View key={channel} style={{ flexDirection: 'row', justifyContent: 'space-between', alignItems: 'center', minHeight: 44 }}>
            <Text>{channelLabels[channel]}</Text>
            <Switch
              accessibilityLabel={channelLabels[channel]}
              value={profile.notificationPreferences.channels[channel]}
              onValueChange={(on) => void toggleChannel(channel, on)}
              trackColor={{ true: colors.primary, false: colors.border }}
            />
          </View>
        ))}
        {profile.notificationPreferences.quietHours ? (
          <Text variant="small" color="textMuted">
            Quiet hours {profile.notificationPreferences.quietHours.start}–{profile.notificationPreferences.quietHours.end}: nothing is sent then.
          </Text>
        ) : null}
        {pushNote ? (
          <Text variant="small" color="accent" style={{ marginTop: space.sm }}>
            {pushNote}
          </Text>
        ) : null}
      </Card>

      <Card>
        <Text variant="heading">Your plan</Text>
        {plan ? (
          <>
            <Text style={{ marginTop: space.xs }} testID="profile-plan">
              {plan.planName}
              {plan.expiresAt ? ` · ${plan.willRenew ? 'renews' : 'ends'} ${new Date(plan.expiresAt).toLocaleDateString()}` : ''}
            </Text>
            {plan.quotas.map((quota) => (
              <Text key={quota.feature} variant="small" color="textMuted">
                {featureLabels[quota.feature]}: {quota.used} of {quota.limit} today (resets {formatResetTime(new Date(quota.resetAt))})
              </Text>
            ))}
          </>
        ) : entitlements.error ? (
          <QueryError error={entitlements.error} feature="Plans" onRetry={() => void entitlements.refetch()} />
        ) : (
          <LoadingState />
        )}
        {plan?.plan !== 'prism_plus' ? (
          <Button label={plan?.plan === 'free' ? `See ${plans.prism.name} and ${plans.prism_plus.name}` : 'See plans'} variant="secondary" onPress={() => router.push('/paywall')} style={{ marginTop: space.md }} />
        ) : null}
      </Card>

      {plan?.unlocks.spectrum ? <SpectrumDataCard /> : null}
      <AccountDataCard plan={plan} />

      <Button label="Signed-in devices" variant="secondary" onPress={() => router.push('/sessions')} style={{ marginBottom: space.md }} />
      <Button
        label="Log out"
        variant="danger"
        loading={signingOut}
        onPress={() => {
          setSigningOut(true);
          void signOut().finally(() => setSigningOut(false));
        }}
        testID="profile-sign-out"
      />
    </Screen>
  );
}
