import { Expo, type ExpoPushMessage, type ExpoPushReceipt, type ExpoPushTicket } from 'expo-server-sdk';
import { Agent, type Dispatcher } from 'undici';
import type { DeliveryOutcome, PushMessage, PushSender, PushTarget, ReceiptOutcome } from './push.js';

const EXPO_ORIGIN = 'https://exp.host';

/**
 * expo-server-sdk reads its base URL from the process environment when it loads; Kalei reads the
 * environment only in config.ts. This dispatcher sends the SDK's requests to the configured origin
 * instead (a regional endpoint, or a local stand-in in tests).
 */
function originDispatcher(baseUrl: string): Dispatcher | undefined {
  const target = new URL(baseUrl);
  if (target.origin === EXPO_ORIGIN) return undefined;
  const prefix = target.pathname.replace(/\/$/, '');
  return new Agent().compose(
    (dispatch) => (options, handler) => dispatch({ ...options, origin: target.origin, path: `${prefix}${options.path}` }, handler),
  );
}

/** Ticket and receipt errors after which a retry can succeed. */
const TRANSIENT_ERRORS = new Set(['MessageRateExceeded', 'ExpoError', 'ProviderError']);

function ticketOutcome(ticket: ExpoPushTicket | undefined): DeliveryOutcome {
  if (!ticket) return { status: 'retry', error: 'missing ticket' };
  if (ticket.status === 'ok') return { status: 'accepted', receiptId: ticket.id };
  const code = ticket.details?.error;
  if (code === 'DeviceNotRegistered') return { status: 'invalid_token' };
  if (code && TRANSIENT_ERRORS.has(code)) return { status: 'retry', error: code };
  return { status: 'rejected', error: code ?? 'error' };
}

function receiptOutcome(receipt: ExpoPushReceipt): ReceiptOutcome {
  if (receipt.status === 'ok') return { status: 'ok' };
  const code = receipt.details?.error;
  if (code === 'DeviceNotRegistered') return { status: 'invalid_token' };
  return { status: 'error', error: code ?? 'error' };
}

/** An error of a whole request: 429 and 5xx (and network failures) are worth retrying, other 4xx are not. */
function requestFailure(error: unknown): DeliveryOutcome {
  const status = (error as { statusCode?: number }).statusCode;
  const code = (error as { code?: string }).code;
  const label = status ? `http ${status}${code ? ` ${code}` : ''}` : 'network error';
  if (status === undefined || status === 429 || status >= 500) return { status: 'retry', error: label };
  return { status: 'rejected', error: label };
}

interface Slot {
  notificationId: string;
  target: PushTarget;
}

/**
 * Packs messages into requests of at most `limit` recipients without splitting a notification
 * across two requests, so each notification's fate is decided by exactly one HTTP answer and a
 * retry never resends to a device that already got it.
 */
export function packChunks(messages: readonly PushMessage[], limit: number): PushMessage[][] {
  const chunks: PushMessage[][] = [];
  let current: PushMessage[] = [];
  let size = 0;
  for (const message of messages) {
    if (size > 0 && size + message.targets.length > limit) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(message);
    size += message.targets.length;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/**
 * Expo push (expo-server-sdk): chunked sends with tickets per device, receipts fetched later.
 * Only Expo push tokens can go through it; native APNs/FCM tokens need their own sender.
 */
export function createExpoPushSender(options: {
  baseUrl: string;
  accessToken?: string;
  /** The SDK retries a 429 twice with exponential backoff from this delay before giving up. */
  retryMinTimeoutMs?: number;
}): PushSender {
  const httpAgent = originDispatcher(options.baseUrl);
  const expo = new Expo({
    ...(httpAgent ? { httpAgent } : {}),
    ...(options.accessToken ? { accessToken: options.accessToken } : {}),
    retryMinTimeout: options.retryMinTimeoutMs ?? 1000,
  });

  return {
    name: 'expo',
    supports: (provider) => provider === 'expo',

    async send(messages) {
      const outcomes = new Map<string, Map<string, DeliveryOutcome>>(messages.map((message) => [message.notificationId, new Map()]));
      const chunks = packChunks(messages, Expo.pushNotificationChunkSizeLimit);
      await Promise.all(
        chunks.map(async (chunk) => {
          const slots: Slot[] = [];
          const wire: ExpoPushMessage[] = [];
          for (const message of chunk) {
            for (const target of message.targets) {
              slots.push({ notificationId: message.notificationId, target });
              wire.push({
                to: target.token,
                title: message.title,
                body: message.body,
                data: message.data,
                sound: 'default',
                priority: 'normal',
                // A reminder that arrives a day late is noise: let the service drop it instead.
                ttl: 6 * 60 * 60,
              });
            }
          }
          let tickets: ExpoPushTicket[] | null = null;
          let failure: DeliveryOutcome | null = null;
          try {
            tickets = await expo.sendPushNotificationsAsync(wire);
          } catch (error) {
            failure = requestFailure(error);
          }
          slots.forEach((slot, index) => {
            outcomes.get(slot.notificationId)!.set(slot.target.deviceId, failure ?? ticketOutcome(tickets?.[index]));
          });
        }),
      );
      return outcomes;
    },

    async checkReceipts(receiptIds) {
      const result = new Map<string, ReceiptOutcome>();
      for (const chunk of expo.chunkPushNotificationReceiptIds([...receiptIds])) {
        const receipts = await expo.getPushNotificationReceiptsAsync(chunk);
        for (const [id, receipt] of Object.entries(receipts)) result.set(id, receiptOutcome(receipt));
      }
      return result;
    },
  };
}
