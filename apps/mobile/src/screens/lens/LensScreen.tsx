import type { CompleteActionResponse, LensGoal } from '@kalei/contracts/lens';
import { useState } from 'react';
import { View } from 'react-native';
import { describeError, isNotAvailable } from '../../api/errors';
import { Button } from '../../components/Button';
import { Card } from '../../components/Card';
import { Chip } from '../../components/Chip';
import { Screen } from '../../components/Screen';
import { EmptyState, LoadingState, NotAvailableState, QueryError } from '../../components/StateViews';
import { Text } from '../../components/Text';
import { TextField } from '../../components/TextField';
import { formatLocalDate } from '../../lib/dates';
import { useCrisis } from '../../state/crisis';
import { useAffirmation, useCheckin, useCheckins, useCompleteAction, useCreateAction, useCreateGoal, useGoals } from '../../state/queries/lens';
import { useTheme } from '../../theme/tokens';

const moods = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

/** Lens: today's affirmation, a daily check-in, goals with small actions and streaks. */
export function LensScreen() {
  const { space } = useTheme();
  const goals = useGoals();
  const affirmation = useAffirmation();
  const refresh = () => {
    void goals.refetch();
    void affirmation.refetch();
  };
  if (goals.error && isNotAvailable(goals.error)) {
    return (
      <Screen onRefresh={refresh} refreshing={goals.isRefetching}>
        <Text variant="title" style={{ marginBottom: space.md }}>
          Lens
        </Text>
        <NotAvailableState feature="Lens" />
      </Screen>
    );
  }
  return (
    <Screen onRefresh={refresh} refreshing={goals.isRefetching} testID="lens">
      <Text variant="title">Lens</Text>
      <Text color="textMuted" style={{ marginTop: space.xs, marginBottom: space.lg }}>
        Small steps toward what matters to you, one day at a time.
      </Text>
      {affirmation.data ? (
        <Card tone="primary">
          <Text variant="caption" color="primary" style={{ textTransform: 'uppercase', letterSpacing: 0.6 }}>
            For today
          </Text>
          <Text variant="heading" style={{ marginTop: space.xs }}>
            {affirmation.data.affirmation}
          </Text>
          <Text color="textMuted" style={{ marginTop: space.sm }}>
            {affirmation.data.focus}
          </Text>
        </Card>
      ) : affirmation.error ? (
        <QueryError error={affirmation.error} feature="Today's affirmation" onRetry={() => void affirmation.refetch()} />
      ) : null}
      <CheckinCard />
      {goals.isPending ? (
        <LoadingState />
      ) : goals.error ? (
        <QueryError error={goals.error} feature="Lens" onRetry={() => void goals.refetch()} />
      ) : (
        <>
          <View style={{ flexDirection: 'row', justifyContent: 'space-between', alignItems: 'baseline', marginTop: space.lg }}>
            <Text variant="heading">Your goals</Text>
            <Text variant="small" color="textMuted">
              {goals.data.streak.current > 0 ? `${goals.data.streak.current}-day streak` : 'No streak yet'}
            </Text>
          </View>
          {goals.data.goals.length === 0 ? <EmptyState title="No goals yet" message="Add something you would like to grow toward, then a small action for it." /> : null}
          {goals.data.goals.map((goal) => (
            <GoalCard key={goal.id} goal={goal} />
          ))}
          {goals.data.activeGoals < goals.data.maxActiveGoals ? <NewGoal /> : <Text color="textMuted">You have reached your plan's {goals.data.maxActiveGoals} active goals.</Text>}
        </>
      )}
    </Screen>
  );
}

function CheckinCard() {
  const { space } = useTheme();
  const { showCrisis } = useCrisis();
  const checkins = useCheckins();
  const checkin = useCheckin();
  const [mood, setMood] = useState<number | null>(null);
  const [note, setNote] = useState('');
  const latest = checkins.data?.checkins[0];
  return (
    <Card>
      <Text variant="heading">How are you today?</Text>
      {latest ? (
        <Text variant="small" color="textMuted">
          Last check-in: {latest.mood}/10 on {formatLocalDate(latest.localDate)}
        </Text>
      ) : null}
      <View style={{ flexDirection: 'row', flexWrap: 'wrap', marginTop: space.sm }} accessibilityLabel="Mood from 1, very low, to 10, very good">
        {moods.map((value) => (
          <Chip key={value} label={String(value)} accessibilityLabel={`Mood ${value} of 10`} selected={mood === value} onPress={() => setMood(value)} />
        ))}
      </View>
      <TextField label="A note (optional)" value={note} onChangeText={setNote} multiline maxLength={500} />
      {checkin.error ? <Text color="danger">{describeError(checkin.error)}</Text> : null}
      {checkin.isSuccess && checkin.data && !('kind' in checkin.data) && mood == null ? (
        <Text color="success" accessibilityLiveRegion="polite" testID="checkin-done">
          Checked in at {checkin.data.mood}/10. Thank you for pausing. Checking in again today updates it.
        </Text>
      ) : null}
      <Button
        label="Check in"
        disabled={mood == null || checkin.isPending}
        loading={checkin.isPending}
        testID="checkin-submit"
        onPress={() => {
          // One check-in per tap: the mood is cleared on success, so the button rests disabled until a new one is chosen.
          if (mood == null || checkin.isPending) return;
          checkin.mutate(
            { mood, ...(note.trim() ? { note: note.trim() } : {}) },
            {
              onSuccess: (result) => {
                if ('kind' in result && result.kind === 'crisis') return showCrisis(result);
                setNote('');
                setMood(null);
              },
            },
          );
        }}
      />
    </Card>
  );
}

function GoalCard({ goal }: { goal: LensGoal }) {
  const { space } = useTheme();
  const { showCrisis } = useCrisis();
  const complete = useCompleteAction();
  const addAction = useCreateAction();
  const [actionTitle, setActionTitle] = useState('');
  const [celebrated, setCelebrated] = useState<CompleteActionResponse | null>(null);
  return (
    <Card>
      <Text variant="bodyStrong">{goal.title}</Text>
      {celebrated ? <Completion result={celebrated} onClose={() => setCelebrated(null)} /> : null}
      <Text variant="small" color="textMuted">
        {goal.progress.actionsDone} of {goal.progress.actions} done · {goal.progress.completionsLast7Days} this week
      </Text>
      {goal.actions.map((action) => (
        <View key={action.id} style={{ flexDirection: 'row', alignItems: 'center', justifyContent: 'space-between', marginTop: space.sm }}>
          <View style={{ flex: 1, marginRight: space.sm }}>
            <Text>{action.title}</Text>
            <Text variant="caption" color="textMuted">
              {action.cadence} · streak {action.streak.current}
            </Text>
          </View>
          <Button
            label={action.done ? 'Done ✓' : 'Mark done'}
            accessibilityLabel={action.done ? `${action.title}: done` : `Mark ${action.title} done`}
            size="small"
            variant={action.done ? 'ghost' : 'secondary'}
            disabled={action.done || complete.isPending}
            loading={complete.isPending && complete.variables === action.id}
            onPress={() => complete.mutate(action.id, { onSuccess: setCelebrated })}
            testID="lens-action-complete"
          />
        </View>
      ))}
      <View style={{ marginTop: space.md }}>
        <TextField label="Add a small action" value={actionTitle} onChangeText={setActionTitle} maxLength={120} />
        <Button
          label="Add action"
          size="small"
          variant="secondary"
          disabled={!actionTitle.trim()}
          loading={addAction.isPending}
          onPress={() =>
            addAction.mutate(
              { goalId: goal.id, title: actionTitle.trim() },
              { onSuccess: (result) => ('kind' in result && result.kind === 'crisis' ? showCrisis(result) : setActionTitle('')) },
            )
          }
        />
      </View>
      {complete.error || addAction.error ? <Text color="danger">{describeError(complete.error ?? addAction.error)}</Text> : null}
    </Card>
  );
}

/** The moment an action is done: what was done, the streak it makes, said where the person is looking. */
function Completion({ result, onClose }: { result: CompleteActionResponse; onClose: () => void }) {
  const { space } = useTheme();
  const days = result.streak.current;
  return (
    <Card tone="accent" accessibilityRole="alert" accessibilityLiveRegion="polite" style={{ marginTop: space.sm }} testID="lens-action-celebration">
      <Text variant="heading">{result.alreadyCompleted ? 'Already done for this period' : 'Done. Well noticed.'}</Text>
      <Text style={{ marginTop: space.xs }}>
        {result.action.title}
        {result.alreadyCompleted ? ' was already marked done.' : ' is marked done.'}{' '}
        {days > 0 ? `Your streak is ${days} ${days === 1 ? 'day' : 'days'}.` : ''}
      </Text>
      <Button label="Close" variant="ghost" size="small" onPress={onClose} accessibilityLabel="Close the completion note" style={{ alignSelf: 'flex-start', marginTop: space.xs }} />
    </Card>
  );
}

function NewGoal() {
  const { space } = useTheme();
  const { showCrisis } = useCrisis();
  const create = useCreateGoal();
  const [title, setTitle] = useState('');
  return (
    <Card tone="raised" style={{ marginTop: space.md }}>
      <TextField label="A new goal" value={title} onChangeText={setTitle} maxLength={120} placeholder="e.g. Sleep before midnight" />
      {create.error ? <Text color="danger">{describeError(create.error)}</Text> : null}
      <Button
        label="Add goal"
        disabled={!title.trim()}
        loading={create.isPending}
        onPress={() =>
          create.mutate({ title: title.trim() }, { onSuccess: (result) => ('kind' in result && result.kind === 'crisis' ? showCrisis(result) : setTitle('')) })
        }
      />
    </Card>
  );
}
