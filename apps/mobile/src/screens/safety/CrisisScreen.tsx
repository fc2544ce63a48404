import { useRouter } from 'expo-router';
import { View } from 'react-native';
import { Button } from '../../components/Button';
import { EmergencyBlock, ResourceCard } from '../../components/CrisisResources';
import { Screen } from '../../components/Screen';
import { Text } from '../../components/Text';
import { useCrisis } from '../../state/crisis';
import { useTheme } from '../../theme/tokens';

/**
 * The full-screen crisis view: shown instead of any reframe whenever the API answers with a crisis
 * response. Every word comes from the server's fixed templates; nothing here is generated.
 */
export function CrisisScreen() {
  const { response, dismiss } = useCrisis();
  const router = useRouter();
  const { space } = useTheme();
  if (!response) {
    return (
      <Screen edges={['top', 'bottom', 'left', 'right']}>
        <Text variant="title">Help is here</Text>
        <Button label="See crisis lines" variant="crisis" onPress={() => router.replace('/help')} style={{ marginTop: space.lg }} />
      </Screen>
    );
  }
  return (
    <Screen edges={['top', 'bottom', 'left', 'right']} background="crisisBackground" testID="crisis-view">
        <View style={{ paddingTop: space.xl }} accessibilityLiveRegion="assertive">
          <Text variant="display" testID="crisis-title">
            {response.title}
          </Text>
          <Text variant="heading" style={{ marginTop: space.md, fontWeight: '400' }}>
            {response.message}
          </Text>
        </View>
        <View style={{ marginVertical: space.xl }}>
          {response.steps.map((step, index) => (
            <View key={step} style={{ flexDirection: 'row', marginBottom: space.sm }}>
              <Text variant="bodyStrong" color="crisisAction" style={{ width: 28 }}>
                {index + 1}.
              </Text>
              <Text style={{ flex: 1 }}>{step}</Text>
            </View>
          ))}
        </View>
        {response.urgency === 'emergency' || response.emergency.numbers.length > 0 ? <EmergencyBlock emergency={response.emergency} /> : null}
        {response.resources.length > 0 ? (
          <Text variant="heading" style={{ marginTop: space.lg, marginBottom: space.sm }}>
            People you can talk to now
          </Text>
        ) : null}
        {response.resources.map((resource) => (
          <ResourceCard key={resource.name} resource={resource} />
        ))}
        {response.international.length > 0 ? (
          <Text variant="heading" style={{ marginTop: space.lg, marginBottom: space.sm }}>
            {response.resources.length > 0 ? 'Elsewhere in the world' : 'Find a helpline near you'}
          </Text>
        ) : null}
        {response.international.map((resource) => (
          <ResourceCard key={resource.name} resource={resource} />
        ))}
        <Text variant="small" color="textMuted" style={{ marginTop: space.lg }}>
          What you wrote was not sent for reframing or saved, and it is cleared from the box, so you will not come back to the same words. You can return to Kalei whenever you are ready.
        </Text>
        <Button label="Go back to Kalei" variant="secondary" onPress={dismiss} style={{ marginTop: space.lg }} testID="crisis-dismiss" />
    </Screen>
  );
}
