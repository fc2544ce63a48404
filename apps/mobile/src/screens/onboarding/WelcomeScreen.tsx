import { useRouter } from 'expo-router';
import { View } from 'react-native';
import { Button } from '../../components/Button';
import { Card } from '../../components/Card';
import { Screen } from '../../components/Screen';
import { Text } from '../../components/Text';
import { usePersisted } from '../../state/persisted/PersistedProvider';
import { useTheme } from '../../theme/tokens';

const points = [
  { title: 'Notice', body: 'Write down a thought that is weighing on you, or journal freely in Mirror.' },
  { title: 'Turn', body: 'See it from three kinder, more balanced angles, with one small thing you can do next.' },
  { title: 'See your patterns', body: 'Over time, your Gallery shows which thinking traps visit you most.' },
];

/** First run: what Kalei is and is not, with help one tap away. */
export function WelcomeScreen() {
  const router = useRouter();
  const { update } = usePersisted();
  const { space } = useTheme();
  const go = (path: '/register' | '/sign-in') => {
    update({ onboardingDone: true });
    router.replace(path);
  };
  return (
    <Screen edges={['top', 'bottom', 'left', 'right']} testID="welcome">
      <View style={{ paddingTop: space.xxl }}>
        <Text variant="display">Kalei</Text>
        <Text variant="heading" color="textMuted" style={{ marginTop: space.xs }}>
          Notice a thought. Turn it. See your patterns.
        </Text>
      </View>
      <View style={{ marginVertical: space.xl }}>
        {points.map((point) => (
          <View key={point.title} style={{ marginBottom: space.lg }}>
            <Text variant="bodyStrong">{point.title}</Text>
            <Text color="textMuted">{point.body}</Text>
          </View>
        ))}
      </View>
      <Card tone="accent">
        <Text variant="bodyStrong">What Kalei is not</Text>
        <Text style={{ marginTop: space.xs }}>
          Kalei is a self-help tool. It is not therapy, it cannot diagnose, and it is not for emergencies. If you are in danger or
          thinking about ending your life, please reach out to people who can help right now.
        </Text>
        <Button
          label="Get help now"
          variant="crisis"
          size="small"
          accessibilityHint="Opens crisis lines and emergency numbers"
          onPress={() => router.push('/help')}
          style={{ marginTop: space.md, alignSelf: 'flex-start' }}
        />
      </Card>
      <View style={{ marginTop: space.xl, gap: space.md }}>
        <Button label="Create an account" onPress={() => go('/register')} testID="welcome-register" />
        <Button label="I already have an account" variant="secondary" onPress={() => go('/sign-in')} testID="welcome-sign-in" />
      </View>
    </Screen>
  );
}
