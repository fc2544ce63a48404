import type { AuthTokens } from '@kalei/contracts/auth';

/** Where a device keeps its token pair between launches. */
export interface TokenStorage {
  load(): Promise<AuthTokens | null>;
  save(tokens: AuthTokens): Promise<void>;
  clear(): Promise<void>;
}
