import { MAX_MESSAGE_LENGTH, type Fragment } from '@kalei/contracts/mirror';
import { useLocalSearchParams } from 'expo-router';
import { useState } from 'react';
import { View } from 'react-native';
import { describeError } from '../../api/errors';
import { Button } from '../../components/Button';
import { Card } from '../../components/Card';
import { Screen } from '../../components/Screen';
import { ErrorState, LoadingState, QueryError } from '../../components/StateViews';
import { Text } from '../../components/Text';
import { TextField } from '../../components/TextField';
import { TrapBadge } from '../../components/TrapBadge';
import { useCrisis } from '../../state/crisis';
import { useCloseMirrorSession, useMirrorSession, useReframeFragment, useSendMirrorMessage } from '../../state/queries/mirror';
import { useTheme } from '../../theme/tokens';
import { FragmentPanel } from './FragmentPanel';
import { HighlightedMessage } from './HighlightedMessage';

/** One Mirror session: write, see the traps highlighted in your own words, tap one to explore it. */
export function MirrorSessionScreen() {
  const { id } = useLocalSearchParams<{ id: string }>();
  const sessionId = String(id);
  const { space } = useTheme();
  const { showCrisis } = useCrisis();
  const session = useMirrorSession(sessionId);
  const send = useSendMirrorMessage(sessionId);
  const reframe = useReframeFragment(sessionId);
  const close = useCloseMirrorSession(sessionId);
  const [draft, setDraft] = useState('');
  const [selected, setSelected] = useState<string | null>(null);
  const [crisisCleared, setCrisisCleared] = useState(false);
  const [confirmingClose, setConfirmingClose] = useState(false);

  if (session.isPending) return <LoadingState label="Opening your session…" />;
  if (session.error) {
    return (
      <Screen>
        <QueryError error={session.error} feature="Mirror" onRetry={() => void session.refetch()} />
      </Screen>
    );
  }
  const data = session.data;
  const open = data.status === 'open';
  const selectedFragment = selected ? data.messages.flatMap((m) => m.fragments.map((f) => ({ f, m }))).find(({ f }) => f.id === selected) : undefined;

  const submit = () => {
    const text = draft.trim();
    if (!text || send.isPending) return;
    send.mutate(text, {
      onSuccess: (result) => {
        // Crisis text is not stored: the box is cleared either way, and the note below says why.
        setDraft('');
        setCrisisCleared(result.kind === 'crisis');
        if (result.kind === 'crisis') showCrisis(result);
      },
    });
  };
  const explore = (fragment: Fragment) => setSelected(fragment.id === selected ? null : fragment.id);

  return (
    <Screen onRefresh={() => void session.refetch()} refreshing={session.isRefetching} testID="mirror-session">
      {data.messages.length === 0 ? (
        <Text color="textMuted" style={{ marginBottom: space.lg }}>
          Write whatever is on your mind. Kalei will gently mark any thinking traps it notices in your words, so you can look at them
          more closely.
        </Text>
      ) : null}
      {data.messages.map((message) => (
        <View key={message.id}>
          <HighlightedMessage message={message} selectedId={selected} onSelect={explore} />
          {selectedFragment && selectedFragment.m.id === message.id ? (
            <FragmentPanel
              fragment={selectedFragment.f}
              text={message.text.slice(selectedFragment.f.start, selectedFragment.f.end)}
              reframing={reframe.isPending}
              error={reframe.error}
              onReframe={() =>
                reframe.mutate(selectedFragment.f, {
                  onSuccess: (result) => {
                    if (result.kind === 'crisis') showCrisis(result);
                  },
                })
              }
              onClose={() => setSelected(null)}
            />
          ) : null}
        </View>
      ))}
      {open ? (
        <View style={{ marginTop: space.md }}>
          <TextField
            label={data.messages.length === 0 ? 'Start writing' : 'Keep writing'}
            value={draft}
            onChangeText={setDraft}
            multiline
            maxLength={MAX_MESSAGE_LENGTH}
            testID="mirror-input"
          />
          {send.error ? <ErrorState error={send.error} onRetry={submit} /> : null}
          <Button label="Add to journal" onPress={submit} loading={send.isPending} disabled={!draft.trim() || send.isPending} testID="mirror-send" />
          {crisisCleared ? (
            <Text color="textMuted" style={{ marginTop: space.sm }} testID="mirror-crisis-cleared">
              That entry was not saved, and we cleared it from the box. Write again whenever you are ready.
            </Text>
          ) : null}
          {data.messages.length > 0 && !confirmingClose ? (
            <Button label="Finish and reflect" variant="secondary" onPress={() => setConfirmingClose(true)} style={{ marginTop: space.md }} testID="mirror-close" />
          ) : null}
          {confirmingClose ? (
            <Card tone="raised" style={{ marginTop: space.md }} testID="mirror-close-confirm">
              <Text variant="bodyStrong">Finish this session?</Text>
              <Text color="textMuted" style={{ marginTop: space.xs }}>
                Kalei writes a short reflection on it, and you cannot add entries afterwards. It stays in your Gallery.
              </Text>
              <View style={{ flexDirection: 'row', flexWrap: 'wrap', gap: space.sm, marginTop: space.md }}>
                <Button
                  label="Finish and reflect"
                  loading={close.isPending}
                  testID="mirror-close-confirm-yes"
                  onPress={() =>
                    close.mutate(undefined, {
                      onSuccess: (result) => {
                        setConfirmingClose(false);
                        if (result.kind === 'crisis') showCrisis(result);
                      },
                    })
                  }
                />
                <Button label="Keep writing" variant="ghost" onPress={() => setConfirmingClose(false)} disabled={close.isPending} />
              </View>
            </Card>
          ) : null}
          {close.error ? <Text color="danger">{describeError(close.error)}</Text> : null}
        </View>
      ) : (
        <Card tone="primary" testID="mirror-reflection">
          <Text variant="heading">Your reflection</Text>
          <Text style={{ marginTop: space.sm }}>{data.reflection ?? 'This session is closed.'}</Text>
          {data.traps.length > 0 ? (
            <View style={{ flexDirection: 'row', flexWrap: 'wrap', marginTop: space.md }}>
              {data.traps.map((trap) => (
                <TrapBadge key={trap} trap={trap} />
              ))}
            </View>
          ) : null}
        </Card>
      )}
    </Screen>
  );
}
