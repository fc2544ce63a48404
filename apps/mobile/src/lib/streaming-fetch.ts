import { fetch as expoFetch } from 'expo/fetch';
import type { StreamingFetch } from './streaming-fetch.types';

// React Native's built-in fetch buffers the whole body; expo/fetch streams it on iOS and Android.
export const streamingFetch: StreamingFetch = (input, init) =>
  expoFetch(input, init as Parameters<typeof expoFetch>[1]) as unknown as Promise<Response>;
