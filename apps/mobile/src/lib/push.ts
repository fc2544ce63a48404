import { PushDevice } from '@kalei/contracts/notifications';
import Constants from 'expo-constants';
import * as Device from 'expo-device';
import * as Notifications from 'expo-notifications';
import { Platform } from 'react-native';
import type { RegisterForPush } from './push.types';

/**
 * Asks for notification permission (only when the person turns a reminder on: a sensible moment)
 * and registers the Expo push token with the API. Simulators have no push token.
 */
export const registerForPush: RegisterForPush = async (api) => {
  if (!Device.isDevice) return 'unsupported';
  if (Platform.OS === 'android') {
    await Notifications.setNotificationChannelAsync('default', { name: 'Reminders', importance: Notifications.AndroidImportance.DEFAULT });
  }
  const current = await Notifications.getPermissionsAsync();
  const status = current.granted ? current : await Notifications.requestPermissionsAsync();
  if (!status.granted) return 'denied';
  const projectId = (Constants.expoConfig?.extra as { eas?: { projectId?: string } } | undefined)?.eas?.projectId;
  const token = await Notifications.getExpoPushTokenAsync(projectId ? { projectId } : undefined);
  await api.request('/v1/notifications/devices', {
    method: 'POST',
    body: { token: token.data, provider: 'expo', platform: Platform.OS === 'ios' ? 'ios' : 'android', appVersion: Constants.expoConfig?.version ?? null },
    schema: PushDevice,
  });
  return 'registered';
};
