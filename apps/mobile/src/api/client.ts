import { AuthTokens } from '@kalei/contracts/auth';
import type { z } from 'zod';
import type { TokenStorage } from '../auth/token-storage.types';
import { ApiError, NetworkError, UnexpectedResponseError, readProblem } from './errors';

/** Why the app is no longer signed in, so the sign-in screen can say so. */
export type SessionEndReason = 'signed_out' | 'expired' | 'deleted';

/** The slice of fetch the client uses; tests pass their own. */
export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface RequestOptions<S extends z.ZodType | undefined> {
  method?: HttpMethod;
  body?: unknown;
  /** The contract schema of a 2xx body; omit for 204 answers. */
  schema?: S;
  /** Send the access token (default true). */
  auth?: boolean;
  idempotencyKey?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

type Result<S extends z.ZodType | undefined> = S extends z.ZodType ? z.output<S> : void;

export interface ApiClientOptions {
  baseUrl: string;
  storage: TokenStorage;
  fetch?: FetchLike;
  /** The fetch used for server-sent event streams (one that streams bodies on native); defaults to `fetch`. */
  streamFetch?: FetchLike;
  now?: () => number;
  /** Called whenever the token pair changes: sign in, rotation, sign out, or the session ending. */
  onTokensChanged?: (tokens: AuthTokens | null, reason?: SessionEndReason) => void;
}

/** Refresh this long before the access token expires, so a request never leaves with a dying one. */
const REFRESH_MARGIN_MS = 30_000;
const REQUEST_TIMEOUT_MS = 30_000;

/**
 * The typed HTTP client. Every body is checked against its @kalei/contracts schema. Tokens rotate
 * silently: one refresh at a time, shared by every request that needs it, so two racing requests
 * never present the same refresh token twice.
 */
export function createApiClient(options: ApiClientOptions) {
  const { baseUrl, storage } = options;
  const doFetch: FetchLike = options.fetch ?? ((input, init) => fetch(input, init));
  const now = options.now ?? Date.now;
  let tokens: AuthTokens | null = null;
  let loaded = false;
  let refreshing: Promise<AuthTokens | null> | null = null;

  async function currentTokens(): Promise<AuthTokens | null> {
    if (!loaded) {
      tokens = await storage.load();
      loaded = true;
    }
    return tokens;
  }

  async function setTokens(next: AuthTokens | null, reason?: SessionEndReason): Promise<void> {
    tokens = next;
    loaded = true;
    if (next) await storage.save(next);
    else await storage.clear();
    options.onTokensChanged?.(next, reason);
  }

  function expiresSoon(pair: AuthTokens): boolean {
    return Date.parse(pair.accessTokenExpiresAt) - REFRESH_MARGIN_MS <= now();
  }

  async function send(path: string, init: RequestInit, signal?: AbortSignal, impl: FetchLike = doFetch, timeoutMs = REQUEST_TIMEOUT_MS): Promise<Response> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    const onAbort = () => controller.abort();
    signal?.addEventListener('abort', onAbort);
    try {
      return await impl(`${baseUrl}${path}`, { ...init, signal: controller.signal });
    } catch (error) {
      if (signal?.aborted) throw error;
      throw new NetworkError(error);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Rotates the pair once, however many callers ask at the same moment. */
  function refresh(stale: AuthTokens): Promise<AuthTokens | null> {
    if (refreshing) return refreshing;
    refreshing = (async () => {
      // Another tab (web) may already have rotated the pair; its newer token is the one to use.
      const stored = await storage.load();
      if (stored && stored.refreshToken !== stale.refreshToken) {
        tokens = stored;
        if (!expiresSoon(stored)) return stored;
      }
      const refreshToken = (stored ?? stale).refreshToken;
      const response = await send('/v1/auth/refresh', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ refreshToken }),
      });
      if (response.ok) {
        const parsed = AuthTokens.safeParse(await response.json());
        if (!parsed.success) throw new UnexpectedResponseError('/v1/auth/refresh', parsed.error);
        await setTokens(parsed.data);
        return parsed.data;
      }
      const problem = await readProblem(response);
      if (response.status === 400 || response.status === 401 || response.status === 403) {
        await setTokens(null, 'expired');
        return null;
      }
      throw new ApiError(response.status, problem);
    })().finally(() => {
      refreshing = null;
    });
    return refreshing;
  }

  /** A fresh access token, rotating first when it is about to expire; null when signed out. */
  async function accessToken(): Promise<string | null> {
    const pair = await currentTokens();
    if (!pair) return null;
    if (!expiresSoon(pair)) return pair.accessToken;
    const next = await refresh(pair);
    return next?.accessToken ?? null;
  }

  async function authorizedFetch(path: string, init: RequestInit, auth: boolean, signal?: AbortSignal, impl?: FetchLike): Promise<Response> {
    const headers = new Headers(init.headers);
    let sentToken: string | null = null;
    if (auth) {
      sentToken = await accessToken();
      if (!sentToken) throw new ApiError(401, null);
      headers.set('authorization', `Bearer ${sentToken}`);
    }
    let response = await send(path, { ...init, headers }, signal, impl);
    if (auth && response.status === 401 && sentToken) {
      // The token may have been rotated by a racing request meanwhile; otherwise rotate now.
      const pair = await currentTokens();
      let retryToken: string | null = null;
      if (pair && pair.accessToken !== sentToken) retryToken = pair.accessToken;
      else if (pair) retryToken = (await refresh(pair))?.accessToken ?? null;
      if (!retryToken) throw new ApiError(401, await readProblem(response));
      headers.set('authorization', `Bearer ${retryToken}`);
      response = await send(path, { ...init, headers }, signal, impl);
      if (response.status === 401) {
        const problem = await readProblem(response);
        await setTokens(null, 'expired');
        throw new ApiError(401, problem);
      }
    }
    return response;
  }

  function buildInit(method: HttpMethod, body: unknown, idempotencyKey?: string, extra?: Record<string, string>): RequestInit {
    const headers: Record<string, string> = { accept: 'application/json, application/problem+json', ...extra };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
    return { method, headers, body: body === undefined ? undefined : JSON.stringify(body) };
  }

  /** One request: sends `body` as JSON, checks the answer against `schema`, throws ApiError on a problem. */
  async function request<S extends z.ZodType | undefined = undefined>(path: string, opts: RequestOptions<S> = {}): Promise<Result<S>> {
    const method = opts.method ?? 'GET';
    const init = buildInit(method, opts.body, opts.idempotencyKey, opts.headers);
    const response = await authorizedFetch(path, init, opts.auth ?? true, opts.signal);
    if (!response.ok) throw new ApiError(response.status, await readProblem(response));
    if (!opts.schema || response.status === 204) return undefined as Result<S>;
    let json: unknown;
    try {
      json = await response.json();
    } catch (error) {
      throw new UnexpectedResponseError(path, error);
    }
    const parsed = opts.schema.safeParse(json);
    if (!parsed.success) throw new UnexpectedResponseError(path, parsed.error);
    return parsed.data as Result<S>;
  }

  /**
   * A request whose answer may be a server-sent event stream: returns the raw Response (after auth
   * and problem handling) so the caller reads events as they arrive.
   */
  async function stream(
    path: string,
    opts: Omit<RequestOptions<undefined>, 'schema'> = {},
  ): Promise<Response> {
    const method = opts.method ?? 'POST';
    const init = buildInit(method, opts.body, opts.idempotencyKey, { ...opts.headers, accept: 'text/event-stream, application/json' });
    const response = await authorizedFetch(path, init, opts.auth ?? true, opts.signal, options.streamFetch ?? doFetch);
    if (!response.ok) throw new ApiError(response.status, await readProblem(response));
    return response;
  }

  return {
    baseUrl,
    request,
    stream,
    currentTokens,
    /** Stores the pair of a sign-in or registration. */
    signIn: (pair: AuthTokens) => setTokens(pair),
    /** Ends the session on the server (best effort) and forgets the pair on this device. */
    async signOut(): Promise<void> {
      const pair = await currentTokens();
      if (pair) {
        try {
          await send('/v1/auth/logout', {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${pair.accessToken}` },
            body: JSON.stringify({ refreshToken: pair.refreshToken }),
          });
        } catch {
          // Offline: the session still ends here, and lapses on the server after its idle timeout.
        }
      }
      await setTokens(null, 'signed_out');
    },
    /** Forgets the pair without telling the server (the server already ended the session). */
    forget: (reason: SessionEndReason) => setTokens(null, reason),
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;
