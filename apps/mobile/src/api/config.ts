import { Platform } from 'react-native';

/**
 * Where the API lives. The web build is served by the API itself, so it talks to its own origin;
 * native builds (and the web dev server) read EXPO_PUBLIC_API_URL, inlined at build time.
 */
export function apiBaseUrl(): string {
  const configured = process.env.EXPO_PUBLIC_API_URL;
  if (configured) return configured.replace(/\/+$/, '');
  if (Platform.OS === 'web' && typeof window !== 'undefined' && window.location?.origin) return window.location.origin;
  return 'http://localhost:8080';
}
