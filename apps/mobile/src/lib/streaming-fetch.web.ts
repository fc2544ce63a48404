import type { StreamingFetch } from './streaming-fetch.types';

/** Browsers stream fetch bodies natively. */
export const streamingFetch: StreamingFetch = (input, init) => globalThis.fetch(input, init);
