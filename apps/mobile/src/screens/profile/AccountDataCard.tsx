import type { AccountExport } from '@kalei/contracts/account';
import type { Entitlements } from '@kalei/contracts/billing';
import { useState } from 'react';
import { Platform, View } from 'react-native';
import { describeError } from '../../api/errors';
import { Button } from '../../components/Button';
import { Card } from '../../components/Card';
import { Text } from '../../components/Text';
import { TextField } from '../../components/TextField';
import { saveFile } from '../../lib/save-file';
import { useDeleteAccount, useExportAccount } from '../../state/queries/account';
import { useTheme } from '../../theme/tokens';

/** The exact words the API asks for before it deletes an account. */
export const DELETE_CONFIRMATION = 'delete my account';

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** What an export held, in words, so the person knows what the file is. */
export function describeExport(data: AccountExport): string {
  const entries = data.mirrorSessions.reduce((sum, s) => sum + s.messages.length, 0);
  return [
    'your account and profile',
    plural(data.turns.length, 'turn', 'turns'),
    `${plural(data.mirrorSessions.length, 'Mirror session', 'Mirror sessions')} with ${plural(entries, 'entry', 'entries')}`,
    `${plural(data.lens.goals.length, 'Lens goal', 'Lens goals')} and ${plural(data.lens.checkins.length, 'check-in', 'check-ins')}`,
  ].join(', ');
}

/** What happens to a paid plan when the account goes: the stores keep billing until it is cancelled there. */
export function subscriptionNote(plan: Entitlements | undefined): string {
  if (plan?.store === 'app_store') {
    return 'Your subscription is billed by the App Store and deleting your account does not cancel it. Cancel it first in Settings → your name → Subscriptions, or it keeps renewing.';
  }
  if (plan?.store === 'play') {
    return 'Your subscription is billed by Google Play and deleting your account does not cancel it. Cancel it first in the Play Store → Payments & subscriptions, or it keeps renewing.';
  }
  if (plan && plan.plan !== 'free') return 'Your plan was given to you outside the stores; it ends with the account and nothing is billed.';
  return 'You have no paid subscription, so nothing is billed. If you ever bought one in the App Store or Google Play, cancel it there: deleting the account does not.';
}

/** Profile: take a copy of everything, or delete the account for good behind a typed confirmation. */
export function AccountDataCard({ plan }: { plan: Entitlements | undefined }) {
  const { space } = useTheme();
  const exporter = useExportAccount();
  const remover = useDeleteAccount();
  const [exported, setExported] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [typed, setTyped] = useState('');
  const matches = typed.trim().toLowerCase() === DELETE_CONFIRMATION;

  const runExport = () => {
    setExported(null);
    exporter.mutate(undefined, {
      onSuccess: async (data) => {
        const outcome = await saveFile({ name: `kalei-export-${data.exportedAt.slice(0, 10)}.json`, mimeType: 'application/json', text: JSON.stringify(data, null, 2) });
        const where = outcome === 'saved' ? 'Downloaded' : outcome === 'shared' ? 'Shared' : 'Ready (not shared)';
        setExported(`${where}: ${describeExport(data)}.`);
      },
    });
  };

  return (
    <Card testID="account-data">
      <Text variant="heading">Your data</Text>
      <Text color="textMuted" style={{ marginTop: space.xs }}>
        Download a copy of everything Kalei holds for you, as a JSON file: your account and profile, every turn with its reframes and notes,
        every Mirror session with its entries and reflections, and your Lens goals, actions and check-ins.
      </Text>
      <Button
        label={Platform.OS === 'web' ? 'Download my data' : 'Export my data'}
        variant="secondary"
        onPress={runExport}
        loading={exporter.isPending}
        testID="profile-export"
        style={{ marginTop: space.md, alignSelf: 'flex-start' }}
      />
      {exported ? (
        <Text color="success" accessibilityLiveRegion="polite" style={{ marginTop: space.sm }} testID="profile-export-done">
          {exported}
        </Text>
      ) : null}
      {exporter.error ? (
        <Text color="danger" style={{ marginTop: space.sm }}>
          {describeError(exporter.error)}
        </Text>
      ) : null}

      <View style={{ marginTop: space.xl }}>
        <Text variant="bodyStrong">Delete your account</Text>
        <Text color="textMuted" style={{ marginTop: space.xs }}>
          This deletes your account and everything in it for good: turns, Mirror sessions, Lens goals and check-ins, insights and
          devices. Every device is signed out. It cannot be undone.
        </Text>
        {!confirming ? (
          <Button label="Delete my account…" variant="danger" onPress={() => setConfirming(true)} testID="profile-delete" style={{ marginTop: space.md, alignSelf: 'flex-start' }} />
        ) : (
          <View style={{ marginTop: space.md }} testID="profile-delete-confirm">
            <Text style={{ marginBottom: space.md }} testID="profile-delete-subscription">
              {subscriptionNote(plan)}
            </Text>
            <TextField
              label={`To confirm, type: ${DELETE_CONFIRMATION}`}
              value={typed}
              onChangeText={setTyped}
              autoCapitalize="none"
              autoCorrect={false}
              testID="profile-delete-typed"
            />
            {remover.error ? (
              <Text color="danger" role="alert" style={{ marginBottom: space.sm }}>
                {describeError(remover.error)}
              </Text>
            ) : null}
            <View style={{ flexDirection: 'row', flexWrap: 'wrap', gap: space.sm }}>
              <Button
                label="Delete everything for good"
                variant="danger"
                disabled={!matches}
                loading={remover.isPending}
                accessibilityHint={matches ? undefined : `Type ${DELETE_CONFIRMATION} first`}
                onPress={() => remover.mutate()}
                testID="profile-delete-submit"
              />
              <Button
                label="Keep my account"
                variant="ghost"
                onPress={() => {
                  setConfirming(false);
                  setTyped('');
                }}
              />
            </View>
          </View>
        )}
      </View>
    </Card>
  );
}
