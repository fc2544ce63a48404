import { planIds, plans, quotaFeatures } from '@kalei/contracts/plans';
import { Platform, View } from 'react-native';
import { useRouter } from 'expo-router';
import { Button } from '../../components/Button';
import { Card } from '../../components/Card';
import { Screen } from '../../components/Screen';
import { Text } from '../../components/Text';
import { useStorePurchases } from '../../lib/purchases';
import { deviceLocale } from '../../lib/device';
import { useCatalogue, useEntitlements } from '../../state/queries/billing';
import { useMe } from '../../state/queries/me';
import { useTheme } from '../../theme/tokens';
import { planPrices } from './prices';

const featureLabels: Record<(typeof quotaFeatures)[number], string> = {
  turns: 'turns a day',
  mirror_messages: 'Mirror entries a day',
  fragment_reframes: 'fragment reframes a day',
  lens_affirmations: 'daily affirmation',
};

/** Plans, from the shared plan definitions; buying and restoring on iOS and Android, explained on web. */
export function PaywallScreen() {
  const { space } = useTheme();
  const router = useRouter();
  const me = useMe();
  const entitlements = useEntitlements();
  const store = useStorePurchases(me.data?.id);
  const catalogue = useCatalogue();
  const current = entitlements.data?.plan ?? 'free';
  const locale = deviceLocale();
  const products = catalogue.data?.products ?? [];
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
            <View style={{ marginTop: space.sm }} testID={`paywall-price-${id}`}>
              {id === 'free' ? (
                <Text variant="bodyStrong">Free, always</Text>
              ) : catalogue.isPending ? (
                <Text variant="small" color="textMuted">
                  Loading prices…
                </Text>
              ) : planPrices(products, id, locale).length > 0 ? (
                planPrices(products, id, locale).map((line) => (
                  <Text key={line} variant="bodyStrong">
                    {line}
                  </Text>
                ))
              ) : (
                <Text variant="small" color="textMuted">
                  Price shown in the App Store and Google Play
                </Text>
              )}
            </View>
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
          <Text variant="bodyStrong">{Platform.OS === 'web' ? 'How to subscribe from this browser' : 'How to subscribe'}</Text>
          <Text color="textMuted" style={{ marginTop: space.xs }}>
            {Platform.OS === 'web'
              ? 'Kalei does not take payments on the web. Subscriptions are bought in the Kalei app, and your plan then works here too:'
              : 'The store is not reachable from this device right now. You can subscribe in the Kalei app on another phone:'}
          </Text>
          {[
            'Install Kalei from the App Store (iPhone) or Google Play (Android).',
            `Sign in there with this same account${me.data?.email ? ` (${me.data.email})` : ''}.`,
            'Open Profile → See plans, choose a plan and confirm; the store takes the payment.',
            'Come back here: your plan applies as soon as this page reloads.',
          ].map((line, index) => (
            <Text key={line} style={{ marginTop: space.xs }}>
              {index + 1}. {line}
            </Text>
          ))}
          <Text variant="small" color="textMuted" style={{ marginTop: space.sm }}>
            Prices above are the reference prices; the store shows the final price in your currency before you confirm. You manage or cancel
            the subscription in the store you bought it from.
          </Text>
        </Card>
      )}
      <Button
        label="Not now"
        variant="ghost"
        accessibilityLabel="Not now, go back"
        onPress={() => (router.canGoBack() ? router.back() : router.replace('/'))}
        style={{ marginTop: space.md }}
      />
    </Screen>
  );
}
