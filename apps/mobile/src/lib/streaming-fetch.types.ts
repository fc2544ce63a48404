/** A fetch whose Response body can be read as it arrives. */
export type StreamingFetch = (input: string, init?: RequestInit) => Promise<Response>;
