import type { DeviceInfo } from '@kalei/contracts/auth';
import { countryCodes } from '@kalei/contracts/auth';
import * as Device from 'expo-device';
import { getLocales } from 'expo-localization';
import { Platform } from 'react-native';

/** What the device list in Profile shows for this device. */
export function deviceInfo(): DeviceInfo {
  const platform = Platform.OS === 'ios' || Platform.OS === 'android' || Platform.OS === 'web' ? Platform.OS : 'other';
  const name = Platform.OS === 'web' ? 'Web browser' : (Device.deviceName ?? Device.modelName ?? undefined);
  return { platform, ...(name ? { name: name.slice(0, 100) } : {}) };
}

/** The device's region as an ISO country code, when it is one the API knows. */
export function deviceCountry(): string | null {
  const region = getLocales()[0]?.regionCode?.toUpperCase() ?? null;
  return region && (countryCodes as readonly string[]).includes(region) ? region : null;
}

/** The device's language tag, e.g. en-US. */
export function deviceLocale(): string | undefined {
  return getLocales()[0]?.languageTag ?? undefined;
}

/** The device's IANA time zone. */
export function deviceTimeZone(): string | undefined {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || undefined;
  } catch {
    return undefined;
  }
}

/** "United States" for "US", falling back to the code where the runtime has no display names. */
export function countryName(code: string): string {
  try {
    return new Intl.DisplayNames(['en'], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}
