import type { AuthTokens } from '@kalei/contracts/auth';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { createApiClient, type FetchLike } from './api/client';
import { AuthProvider } from './auth/AuthProvider';
import type { TokenStorage } from './auth/token-storage.types';

/** A signed-in token pair that stays fresh for the whole test. */
export const testTokens: AuthTokens = {
  tokenType: 'Bearer',
  accessToken: 'access-test',
  accessTokenExpiresAt: new Date(Date.now() + 3_600_000).toISOString(),
  expiresIn: 3600,
  refreshToken: 'refresh-test',
  refreshTokenExpiresAt: new Date(Date.now() + 86_400_000).toISOString(),
  sessionId: '6f1c1f43-5d1e-4a52-9a3c-1f1c2b7f9e10',
};

/** In-memory token storage. */
export function memoryTokenStorage(initial: AuthTokens | null = testTokens): TokenStorage {
  let value = initial;
  return {
    load: async () => value,
    save: async (tokens) => {
      value = tokens;
    },
    clear: async () => {
      value = null;
    },
  };
}

/** Providers for hook and component tests: a fresh QueryClient and an AuthProvider on a fake fetch. */
export function createWrapper(fetch: FetchLike) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false, gcTime: Infinity }, mutations: { retry: false } } });
  const storage = memoryTokenStorage();
  const client = createApiClient({ baseUrl: 'http://api.test', storage, fetch });
  function Wrapper({ children }: { children: ReactNode }) {
    return (
      <QueryClientProvider client={queryClient}>
        <AuthProvider client={client} storage={storage}>
          {children}
        </AuthProvider>
      </QueryClientProvider>
    );
  }
  return { Wrapper, queryClient, client };
}
