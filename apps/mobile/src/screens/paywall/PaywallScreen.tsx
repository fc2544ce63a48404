import { planIds, plans, quotaFeatures } from '@kalei/contracts/plans';
import { View } from 'react-native';
import { Button } from '../../components/Button';
import { Card } from '../../components/Card';
import { Screen } from '../../components/Screen';
import { Text } from '../../components/Text';
import { useStorePurchases } from '../../lib/purchases';
import { useEntitlements } from '../../state/queries/billing';
import { useMe } from '../../state/queries/me';
import { useTheme } from '../../theme/tokens';

const featureLabels: Record<(typeof quotaFeatures)[number], string> = {
  turns: 'turns a day',
  mirror_messages: 'Mirror entries a day',
  fragment_reframes: 'fragment reframes a day',
  lens_affirmations: 'daily affirmation',
};

/** Plans, from the shared plan definitions; buying and restoring on iOS and Android, explained on web. */
export function PaywallScreen() {
  const { space } = useTheme();
  const me = useMe();
  const entitlements = useEntitlements();
  const store = useStorePurchases(me.data?.id);
  const current = entitlements.data?.plan ?? 'free';
  return (
    <Screen testID="paywall">
      <Text variant="title">Plans</Text>
      <Text color="textMuted" style={{ marginTop: space.xs, marginBottom: space.lg }}>
        Kalei's free plan is enough for a daily habit. Prism plans lift the daily limits and add Spectrum, your longer-term patterns.
      </Text>
      {planIds.map((id) => {
        const plan = plans[id];
        return (
          <Card key={id} tone={id === current ? 'primary' : 'surface'}>
            <View style={{ flexDirection: 'row', justifyContent: 'space-between' }}>
              <Text variant="heading">{plan.name}</Text>
              {id === current ? <Text color="primary">Your plan</Text> : null}
            </View>
            {quotaFeatures.map((feature) => (
              <Text key={feature} variant="small" color="textMuted">
                {feature === 'lens_affirmations' ? 'A' : plan.daily[feature]} {featureLabels[feature]}
              </Text>
            ))}
            <Text variant="small" color="textMuted">
              Up to {plan.maxActiveGoals} active Lens goals{plan.spectrum ? ' · Spectrum insights' : ''}
            </Text>
          </Card>
        );
      })}
      {store.supported ? (
        <View style={{ marginTop: space.md, gap: space.sm }}>
          {store.products.map((product) => (
            <Button key={product.id} label={`${product.title} · ${product.price}`} loading={store.busy} onPress={() => store.buy(product.id)} />
          ))}
          <Button label="Restore purchases" variant="ghost" onPress={store.restore} disabled={store.busy} />
          {store.error ? <Text color="danger">{store.error}</Text> : null}
        </View>
      ) : (
        <Card tone="raised" testID="paywall-web-note">
          <Text variant="bodyStrong">Subscriptions are bought in the Kalei app</Text>
          <Text color="textMuted" style={{ marginTop: space.xs }}>
            Open Kalei on your iPhone or Android phone to subscribe through the App Store or Google Play. Your plan then applies here
            too, as soon as you sign in with the same account.
          </Text>
        </Card>
      )}
    </Screen>
  );
}
