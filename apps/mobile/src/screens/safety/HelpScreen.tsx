import { View } from 'react-native';
import { EmergencyBlock, ResourceCard } from '../../components/CrisisResources';
import { Card } from '../../components/Card';
import { Screen } from '../../components/Screen';
import { LoadingState, QueryError } from '../../components/StateViews';
import { Text } from '../../components/Text';
import { deviceCountry } from '../../lib/device';
import { useCrisis } from '../../state/crisis';
import { useMe } from '../../state/queries/me';
import { useCrisisResources } from '../../state/queries/safety';
import { useTheme } from '../../theme/tokens';

/** "Get help now": reachable from every screen, signed in or not. */
export function HelpScreen() {
  const { space } = useTheme();
  const me = useMe();
  const { response: lastCrisis } = useCrisis();
  const country = me.data?.profile.country ?? deviceCountry();
  const resources = useCrisisResources(country);
  const data = resources.data ?? lastCrisis;

  return (
    <Screen background="crisisBackground" testID="help">
      <Text variant="title">You do not have to handle this alone</Text>
      <Text style={{ marginTop: space.sm, marginBottom: space.lg }}>
        If you are in immediate danger or might act on thoughts of harming yourself, call your local emergency number now, or go to
        the nearest emergency department.
      </Text>
      {data ? (
        <View>
          <EmergencyBlock emergency={data.emergency} />
          {data.resources.map((resource) => (
            <ResourceCard key={resource.name} resource={resource} />
          ))}
          {data.international.length > 0 ? (
            <Text variant="heading" style={{ marginTop: space.md, marginBottom: space.sm }}>
              Anywhere in the world
            </Text>
          ) : null}
          {data.international.map((resource) => (
            <ResourceCard key={resource.name} resource={resource} />
          ))}
        </View>
      ) : resources.isPending ? (
        <LoadingState label="Finding crisis lines near you…" />
      ) : (
        <QueryError error={resources.error} feature="The crisis line directory" onRetry={() => void resources.refetch()} />
      )}
      <Card tone="raised" style={{ marginTop: space.lg }}>
        <Text variant="bodyStrong">Talking to someone you trust helps too</Text>
        <Text color="textMuted" style={{ marginTop: space.xs }}>
          A friend, family member, doctor or counsellor. You can show them this screen if the words are hard to find.
        </Text>
      </Card>
    </Screen>
  );
}
