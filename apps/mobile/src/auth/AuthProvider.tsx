import type { AuthResult, AuthTokens } from '@kalei/contracts/auth';
import { useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { createApiClient, type ApiClient, type SessionEndReason } from '../api/client';
import { apiBaseUrl } from '../api/config';
import { streamingFetch } from '../lib/streaming-fetch';
import type { TokenStorage } from './token-storage.types';
import { tokenStorage } from './token-storage';
import { meKeys } from '../state/queries/me';

export type AuthStatus = 'loading' | 'signedOut' | 'signedIn';

interface AuthContextValue {
  status: AuthStatus;
  api: ApiClient;
  /** Why the last session ended, shown once on the sign-in screen. */
  endedReason: SessionEndReason | null;
  completeSignIn: (result: AuthResult) => Promise<void>;
  signOut: () => Promise<void>;
}

const AuthContext = createContext<AuthContextValue | null>(null);

interface AuthProviderProps {
  children: ReactNode;
  /** Tests pass their own client and storage. */
  client?: ApiClient;
  storage?: TokenStorage;
}

/** Owns the API client and the signed-in state; everything server-side goes through `useApi()`. */
export function AuthProvider({ children, client, storage = tokenStorage }: AuthProviderProps) {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<AuthStatus>('loading');
  const [endedReason, setEndedReason] = useState<SessionEndReason | null>(null);

  const onTokensChanged = useCallback(
    (tokens: AuthTokens | null, reason?: SessionEndReason) => {
      setStatus(tokens ? 'signedIn' : 'signedOut');
      if (!tokens) {
        setEndedReason(reason ?? null);
        // Nothing of one account may linger for the next.
        queryClient.clear();
      }
    },
    [queryClient],
  );
  const callbackRef = useRef(onTokensChanged);
  callbackRef.current = onTokensChanged;

  const api = useMemo(
    () => client ?? createApiClient({ baseUrl: apiBaseUrl(), storage, streamFetch: streamingFetch, onTokensChanged: (t, r) => callbackRef.current(t, r) }),
    [client, storage],
  );

  useEffect(() => {
    let alive = true;
    api
      .currentTokens()
      .then((tokens) => alive && setStatus(tokens ? 'signedIn' : 'signedOut'))
      .catch(() => alive && setStatus('signedOut'));
    return () => {
      alive = false;
    };
  }, [api]);

  const completeSignIn = useCallback(
    async (result: AuthResult) => {
      queryClient.clear();
      queryClient.setQueryData(meKeys.all, result.user);
      setEndedReason(null);
      await api.signIn(result.tokens);
    },
    [api, queryClient],
  );

  const signOut = useCallback(() => api.signOut(), [api]);

  const value = useMemo(() => ({ status, api, endedReason, completeSignIn, signOut }), [status, api, endedReason, completeSignIn, signOut]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

/** The signed-in state and the actions that change it. */
export function useAuth(): AuthContextValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth needs an AuthProvider');
  return value;
}

/** The typed API client. */
export function useApi(): ApiClient {
  return useAuth().api;
}
