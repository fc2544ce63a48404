import { MAX_THOUGHT_LENGTH } from '@kalei/contracts/turns';
import { useEffect, useState } from 'react';
import { View } from 'react-native';
import { Button } from '../../components/Button';
import { Card } from '../../components/Card';
import { Screen } from '../../components/Screen';
import { ErrorState } from '../../components/StateViews';
import { Text } from '../../components/Text';
import { TextField } from '../../components/TextField';
import { useCrisis } from '../../state/crisis';
import { useMe } from '../../state/queries/me';
import { useCreateTurn } from '../../state/queries/turns';
import { useTheme } from '../../theme/tokens';
import { ReframeCard } from './ReframeCard';
import { TurnResult } from './TurnResult';

/** Turn: write a thought, watch three reframes arrive, keep the one that helps. */
export function TurnScreen() {
  const { space } = useTheme();
  const me = useMe();
  const { showCrisis } = useCrisis();
  const { run, start, reset, replace } = useCreateTurn();
  const [thought, setThought] = useState('');
  const [inputError, setInputError] = useState<string | null>(null);

  useEffect(() => {
    if (run.status !== 'crisis') return;
    // The person comes back to an empty box, not to the same words; the card below says so.
    setThought('');
    showCrisis(run.crisis);
  }, [run, showCrisis]);

  const submit = () => {
    const text = thought.trim();
    if (!text) return setInputError('Write the thought first, in your own words.');
    setInputError(null);
    void start({ thought: text });
  };

  const newTurn = () => {
    setThought('');
    reset();
  };

  const name = me.data?.profile.displayName;
  const busy = run.status === 'streaming';
  return (
    <Screen testID="turn-screen">
      <Text variant="title">{name ? `Hi ${name}. What is on your mind?` : 'What is on your mind?'}</Text>
      <Text color="textMuted" style={{ marginTop: space.xs, marginBottom: space.lg }}>
        Write one thought that is bothering you, just as it sounds in your head. Kalei will offer three other ways to see it.
      </Text>
      <TextField
        label="Your thought"
        value={thought}
        onChangeText={setThought}
        multiline
        maxLength={MAX_THOUGHT_LENGTH}
        placeholder="e.g. I always mess things up at work."
        editable={!busy && run.status !== 'done'}
        error={inputError}
        testID="turn-thought"
      />
      {run.status === 'idle' || run.status === 'error' ? <Button label="Turn it" onPress={submit} testID="turn-submit" /> : null}
      <View style={{ marginTop: space.xl }} accessibilityLiveRegion="polite">
        {run.status === 'streaming' || run.status === 'error'
          ? run.reframes.some(Boolean) || run.status === 'streaming'
            ? run.reframes.map((reframe, index) => <ReframeCard key={index} index={index} reframe={reframe} />)
            : null
          : null}
        {run.status === 'error' ? <ErrorState error={run.error} onRetry={submit} /> : null}
        {run.status === 'done' ? <TurnResult turn={run.turn} onChange={replace} /> : null}
        {run.status === 'crisis' ? (
          <Card tone="accent">
            <Text variant="bodyStrong">We paused here to check in with you.</Text>
            <Text style={{ marginTop: space.xs }} testID="turn-crisis-cleared">
              What you wrote was not saved, and we cleared it from the box. You can write something new whenever you are ready.
            </Text>
            <Button label="See support options" variant="crisis" onPress={() => showCrisis(run.crisis)} style={{ marginTop: space.md }} />
          </Card>
        ) : null}
        {run.status === 'done' || run.status === 'crisis' ? (
          <Button label="Start a new turn" variant="ghost" onPress={newTurn} style={{ marginTop: space.md }} testID="turn-new" />
        ) : null}
      </View>
    </Screen>
  );
}
