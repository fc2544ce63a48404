import { useState } from 'react';
import { View } from 'react-native';
import { describeError } from '../../api/errors';
import { Button } from '../../components/Button';
import { Card } from '../../components/Card';
import { Text } from '../../components/Text';
import { TextField } from '../../components/TextField';
import { useDeleteSpectrumWindow, useResetSpectrum } from '../../state/queries/spectrum';
import { useTheme } from '../../theme/tokens';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Why a window cannot be sent yet, or null when it can: the server checks again and has the last word. */
export function windowProblem(from: string, to: string): string | null {
  if (!DATE.test(from) || !DATE.test(to)) return 'Give both dates as YYYY-MM-DD.';
  if (from > to) return 'The first date must not be after the last.';
  return null;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** Profile, for plans with Spectrum: start Spectrum afresh, or delete everything written in a window of dates. */
export function SpectrumDataCard() {
  const { space } = useTheme();
  const reset = useResetSpectrum();
  const remove = useDeleteSpectrumWindow();
  const [confirmingReset, setConfirmingReset] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [confirmingWindow, setConfirmingWindow] = useState(false);
  const problem = windowProblem(from.trim(), to.trim());

  const runReset = () =>
    reset.mutate(undefined, {
      onSuccess: () => {
        setConfirmingReset(false);
        setDone('Spectrum starts afresh: only what you write from now on counts.');
      },
    });
  const runDelete = () =>
    remove.mutate(
      { from: from.trim(), to: to.trim() },
      {
        onSuccess: ({ deleted }) => {
          setConfirmingWindow(false);
          setDone(
            `Deleted for good: ${plural(deleted.turns, 'turn', 'turns')}, ${plural(deleted.mirrorSessions, 'Mirror session', 'Mirror sessions')}, ${plural(deleted.checkins, 'check-in', 'check-ins')} and ${plural(deleted.completions, 'completed action', 'completed actions')}.`,
          );
        },
      },
    );

  return (
    <Card testID="spectrum-data">
      <Text variant="heading">Spectrum data</Text>
      {done ? (
        <Text color="success" accessibilityLiveRegion="polite" style={{ marginTop: space.sm }} testID="spectrum-data-done">
          {done}
        </Text>
      ) : null}

      <Text variant="bodyStrong" style={{ marginTop: space.md }}>
        Start Spectrum afresh
      </Text>
      <Text color="textMuted" style={{ marginTop: space.xs }}>
        Removes every chart and insight Spectrum made. Your turns and sessions stay in the Gallery, but only what you write from now on counts.
      </Text>
      {!confirmingReset ? (
        <Button label="Reset Spectrum…" variant="secondary" onPress={() => setConfirmingReset(true)} testID="spectrum-reset" style={{ marginTop: space.md, alignSelf: 'flex-start' }} />
      ) : (
        <View style={{ flexDirection: 'row', flexWrap: 'wrap', gap: space.sm, marginTop: space.md, alignItems: 'center' }} testID="spectrum-reset-confirm">
          <Text>Reset Spectrum now?</Text>
          <Button label="Reset" variant="danger" size="small" loading={reset.isPending} onPress={runReset} testID="spectrum-reset-yes" />
          <Button label="Keep it" variant="ghost" size="small" onPress={() => setConfirmingReset(false)} />
        </View>
      )}
      {reset.error ? (
        <Text color="danger" role="alert" style={{ marginTop: space.sm }}>
          {describeError(reset.error)}
        </Text>
      ) : null}

      <Text variant="bodyStrong" style={{ marginTop: space.xl }}>
        Delete a stretch of time
      </Text>
      <Text color="textMuted" style={{ marginTop: space.xs, marginBottom: space.md }}>
        Deletes for good every turn, Mirror session, check-in and completed action between two dates (inclusive), and what Spectrum made from them.
      </Text>
      <TextField label="From (YYYY-MM-DD)" value={from} onChangeText={setFrom} autoCapitalize="none" autoCorrect={false} testID="spectrum-window-from" />
      <TextField label="To (YYYY-MM-DD)" value={to} onChangeText={setTo} autoCapitalize="none" autoCorrect={false} testID="spectrum-window-to" />
      {!confirmingWindow ? (
        <Button
          label="Delete this stretch…"
          variant="secondary"
          disabled={problem !== null}
          accessibilityHint={problem ?? undefined}
          onPress={() => setConfirmingWindow(true)}
          testID="spectrum-window-delete"
          style={{ alignSelf: 'flex-start' }}
        />
      ) : (
        <View style={{ flexDirection: 'row', flexWrap: 'wrap', gap: space.sm, alignItems: 'center' }} testID="spectrum-window-confirm">
          <Text>
            Delete everything from {from.trim()} to {to.trim()}? This cannot be undone.
          </Text>
          <Button label="Delete for good" variant="danger" size="small" loading={remove.isPending} onPress={runDelete} testID="spectrum-window-yes" />
          <Button label="Keep it" variant="ghost" size="small" onPress={() => setConfirmingWindow(false)} />
        </View>
      )}
      {from && to && problem ? (
        <Text variant="small" color="textMuted" style={{ marginTop: space.xs }}>
          {problem}
        </Text>
      ) : null}
      {remove.error ? (
        <Text color="danger" role="alert" style={{ marginTop: space.sm }}>
          {describeError(remove.error)}
        </Text>
      ) : null}
    </Card>
  );
}
