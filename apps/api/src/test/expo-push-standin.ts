import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/**
 * A local stand-in for Expo's push service for tests: real HTTP on 127.0.0.1 speaking
 * `POST /--/api/v2/push/send` (tickets) and `POST /--/api/v2/push/getReceipts` (receipts) in
 * Expo's wire format: `{ data }` on success, `{ errors: [{ code, message }] }` with a status
 * otherwise, gzip request bodies, the 100-messages-per-request limit, per-token ticket and receipt
 * errors, and scripted request failures (429, 5xx, dropped connections).
 */

export interface ExpoWireMessage {
  to: string | string[];
  title?: string;
  body?: string;
  data?: Record<string, unknown>;
  [key: string]: unknown;
}

/** One recipient the stand-in accepted: what a phone would have shown. */
export interface Delivery {
  token: string;
  title: string | undefined;
  body: string | undefined;
  data: Record<string, unknown> | undefined;
  ticketId: string;
}

export interface RecordedPushRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

/** What the next send or receipts request meets instead of a plain answer. */
export type RequestFailure =
  | { kind: 'status'; status: number; code?: string; message?: string; headers?: Record<string, string> }
  /** Closes the connection without an answer. */
  | { kind: 'destroy' }
  /** Answers normally, but only after `ms` (a slow service; a worker can die meanwhile). */
  | { kind: 'delay'; ms: number };

/** What the receipt for a token's ticket says once it is ready. */
export type ReceiptScript = 'ok' | 'DeviceNotRegistered' | 'MessageRateExceeded' | 'pending';

export interface ExpoPushStandin {
  /** The base URL to configure (EXPO_PUSH_BASE_URL). */
  baseUrl: string;
  requests: RecordedPushRequest[];
  /** Every accepted recipient, in order. */
  deliveries: Delivery[];
  /** Send requests only (the ones to /push/send). */
  sendRequests(): RecordedPushRequest[];
  /** Tokens Expo no longer knows: tickets answer DeviceNotRegistered at once. */
  unregister(token: string): void;
  /** Tokens whose tickets fail with a per-message error (e.g. MessageRateExceeded, MessageTooBig). */
  failTicket(token: string, error: string): void;
  /** What later receipts for a token's tickets say (default `ok`). */
  setReceipt(token: string, receipt: ReceiptScript): void;
  /** Fails the next send requests, in order. */
  failNextSends(...failures: RequestFailure[]): void;
  /** Fails the next receipts requests, in order. */
  failNextReceipts(...failures: RequestFailure[]): void;
  /** Requires this bearer token (Expo's enhanced push security). */
  requireAccessToken(token: string | null): void;
  reset(): void;
  close(): Promise<void>;
}

const CHUNK_LIMIT = 100;
const RECEIPT_LIMIT = 1000;

export async function startExpoPushStandin(): Promise<ExpoPushStandin> {
  const requests: RecordedPushRequest[] = [];
  const deliveries: Delivery[] = [];
  const unregistered = new Set<string>();
  const ticketErrors = new Map<string, string>();
  const receiptScripts = new Map<string, ReceiptScript>();
  const ticketsById = new Map<string, string>();
  let sendFailures: RequestFailure[] = [];
  let receiptFailures: RequestFailure[] = [];
  let accessToken: string | null = null;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      let raw = Buffer.concat(chunks);
      let body: unknown = null;
      try {
        if (req.headers['content-encoding'] === 'gzip') raw = gunzipSync(raw);
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        body = null;
      }
      requests.push({ path, headers: req.headers, body });

      if (req.method !== 'POST' || (path !== '/--/api/v2/push/send' && path !== '/--/api/v2/push/getReceipts')) {
        return sendErrors(res, 404, 'NOT_FOUND', `No route ${req.method} ${path}`);
      }
      if (accessToken && req.headers.authorization !== `Bearer ${accessToken}`) {
        return sendErrors(res, 401, 'UNAUTHORIZED', 'The bearer token is invalid; this project requires an access token.');
      }
      const isSend = path === '/--/api/v2/push/send';
      const failure = isSend ? sendFailures.shift() : receiptFailures.shift();
      const answer = () => {
        if (body === null) return sendErrors(res, 400, 'VALIDATION_ERROR', 'The request body is not valid JSON.');
        return isSend ? handleSend(res, body) : handleReceipts(res, body);
      };
      if (!failure) return answer();
      if (failure.kind === 'destroy') return res.socket?.destroy();
      if (failure.kind === 'delay') {
        setTimeout(() => {
          if (!res.destroyed) answer();
        }, failure.ms);
        return;
      }
      return sendErrors(res, failure.status, failure.code ?? defaultCode(failure.status), failure.message ?? `status ${failure.status}`, failure.headers);
    });
  });

  function handleSend(res: ServerResponse, body: unknown) {
    const messages = (Array.isArray(body) ? body : [body]) as ExpoWireMessage[];
    const recipients = messages.flatMap((message) => (Array.isArray(message.to) ? message.to.map((to) => ({ message, to })) : [{ message, to: message.to }]));
    if (recipients.some(({ to }) => typeof to !== 'string' || to.length === 0)) {
      return sendErrors(res, 400, 'VALIDATION_ERROR', '"to" must be a push token or an array of push tokens.');
    }
    if (recipients.length > CHUNK_LIMIT) {
      return sendErrors(res, 400, 'PUSH_TOO_MANY_NOTIFICATIONS', `You are trying to send more than ${CHUNK_LIMIT} push notifications in one request.`);
    }
    const tickets = recipients.map(({ message, to }) => {
      if (!/^Expo(?:nent)?PushToken\[.+\]$/.test(to)) {
        return { status: 'error', message: `"${to}" is not a valid Expo push token`, details: { error: 'DeviceNotRegistered', expoPushToken: to } };
      }
      if (unregistered.has(to)) {
        return { status: 'error', message: `"${to}" is not a registered push notification recipient`, details: { error: 'DeviceNotRegistered', expoPushToken: to } };
      }
      const ticketError = ticketErrors.get(to);
      if (ticketError) return { status: 'error', message: `${ticketError} for "${to}"`, details: { error: ticketError, expoPushToken: to } };
      const id = randomUUID();
      ticketsById.set(id, to);
      deliveries.push({ token: to, title: message.title, body: message.body, data: message.data, ticketId: id });
      return { status: 'ok', id };
    });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ data: tickets }));
  }

  function handleReceipts(res: ServerResponse, body: unknown) {
    const ids = (body as { ids?: unknown }).ids;
    if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string')) {
      return sendErrors(res, 400, 'VALIDATION_ERROR', '"ids" must be an array of receipt ids.');
    }
    if (ids.length > RECEIPT_LIMIT) return sendErrors(res, 400, 'VALIDATION_ERROR', `At most ${RECEIPT_LIMIT} receipt ids.`);
    const data: Record<string, unknown> = {};
    for (const id of ids as string[]) {
      const token = ticketsById.get(id);
      if (!token) continue;
      const script = receiptScripts.get(token) ?? 'ok';
      if (script === 'pending') continue;
      data[id] =
        script === 'ok'
          ? { status: 'ok' }
          : { status: 'error', message: `${script} for "${token}"`, details: { error: script, expoPushToken: token } };
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ data }));
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    deliveries,
    sendRequests: () => requests.filter((request) => request.path === '/--/api/v2/push/send'),
    unregister: (token) => unregistered.add(token),
    failTicket: (token, error) => ticketErrors.set(token, error),
    setReceipt: (token, receipt) => receiptScripts.set(token, receipt),
    failNextSends: (...failures) => sendFailures.push(...failures),
    failNextReceipts: (...failures) => receiptFailures.push(...failures),
    requireAccessToken: (token) => {
      accessToken = token;
    },
    reset() {
      requests.length = 0;
      deliveries.length = 0;
      unregistered.clear();
      ticketErrors.clear();
      receiptScripts.clear();
      ticketsById.clear();
      sendFailures = [];
      receiptFailures = [];
      accessToken = null;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

function defaultCode(status: number): string {
  if (status === 429) return 'TOO_MANY_REQUESTS';
  if (status >= 500) return 'INTERNAL_SERVER_ERROR';
  return 'VALIDATION_ERROR';
}

function sendErrors(res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ errors: [{ code, message }] }));
}
