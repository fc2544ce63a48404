import type { CrisisResource, EmergencyGuidance } from '@kalei/contracts/safety';
import * as Linking from 'expo-linking';
import { Platform, View } from 'react-native';
import { useTheme } from '../theme/tokens';
import { Button } from './Button';
import { Card } from './Card';
import { Text } from './Text';

/** Digits and a leading + only, for tel: and sms: links. */
export function dialable(number: string): string {
  return number.replace(/[^\d+]/g, '');
}

function smsUrl(number: string, keyword?: string): string {
  const body = keyword ? `${Platform.OS === 'ios' ? '&' : '?'}body=${encodeURIComponent(keyword)}` : '';
  return `sms:${dialable(number)}${body}`;
}

/** Emergency numbers with a call button each. */
export function EmergencyBlock({ emergency }: { emergency: EmergencyGuidance }) {
  const { space } = useTheme();
  return (
    <Card tone="surface" testID="crisis-emergency">
      <Text variant="bodyStrong">{emergency.guidance}</Text>
      <View style={{ flexDirection: 'row', flexWrap: 'wrap', gap: space.sm, marginTop: space.md }}>
        {emergency.numbers.map((entry) => (
          <Button
            key={entry.number + entry.label}
            label={`Call ${entry.number}`}
            accessibilityLabel={`Call ${entry.number}, ${entry.label}`}
            variant="crisis"
            onPress={() => void Linking.openURL(`tel:${dialable(entry.number)}`)}
          />
        ))}
      </View>
    </Card>
  );
}

/** One helpline: name, hours, and a button per way to reach it. */
export function ResourceCard({ resource }: { resource: CrisisResource }) {
  const { space } = useTheme();
  return (
    <Card testID="crisis-resource">
      <Text variant="heading">{resource.name}</Text>
      {resource.hours ? (
        <Text variant="small" color="textMuted">
          {resource.hours}
        </Text>
      ) : null}
      <View style={{ flexDirection: 'row', flexWrap: 'wrap', gap: space.sm, marginTop: space.md }}>
        {resource.phone ? (
          <Button
            label={`Call ${resource.phone}`}
            accessibilityLabel={`Call ${resource.phone}, ${resource.name}`}
            variant="crisis"
            onPress={() => void Linking.openURL(`tel:${dialable(resource.phone ?? '')}`)}
          />
        ) : null}
        {resource.text ? (
          <Button
            label={resource.text.keyword ? `Text ${resource.text.keyword} to ${resource.text.number}` : `Text ${resource.text.number}`}
            accessibilityLabel={`${resource.text.keyword ? `Text ${resource.text.keyword} to ${resource.text.number}` : `Text ${resource.text.number}`}, ${resource.name}`}
            variant="secondary"
            onPress={() => void Linking.openURL(smsUrl(resource.text?.number ?? '', resource.text?.keyword))}
          />
        ) : null}
        {resource.url ? (
          <Button
            label="Website"
            accessibilityLabel={`Visit ${resource.name} website`}
            variant="ghost"
            onPress={() => void Linking.openURL(resource.url ?? '')}
          />
        ) : null}
      </View>
    </Card>
  );
}
