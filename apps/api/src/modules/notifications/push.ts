import type { NotificationKind, PushProvider } from '@kalei/contracts/notifications';

/** One device a notification goes to. */
export interface PushTarget {
  deviceId: string;
  provider: PushProvider;
  token: string;
}

/** One notification for one user, to each of their devices. Title and body are fixed templates, never user text. */
export interface PushMessage {
  /** The notification this message belongs to (its notification_log id). */
  notificationId: string;
  userId: string;
  kind: NotificationKind;
  title: string;
  body: string;
  /** Routing data for the app (a screen to open); ids and kinds only. */
  data: Record<string, string>;
  targets: PushTarget[];
}

/** What happened to one target of one message when it was handed to the push service. */
export type DeliveryOutcome =
  /** Accepted; `receiptId` is set when the service reports final delivery later (Expo). */
  | { status: 'accepted'; receiptId: string | null }
  /** The token is dead (uninstalled app, expired token): the device row should go. */
  | { status: 'invalid_token' }
  /** Refused for good (too big, bad credentials): retrying would not help. */
  | { status: 'rejected'; error: string }
  /** Not delivered for now (rate limited, service down): retry later with backoff. */
  | { status: 'retry'; error: string };

/** A deferred delivery receipt. Ids missing from a receipts answer are not ready yet. */
export type ReceiptOutcome = { status: 'ok' } | { status: 'invalid_token' } | { status: 'error'; error: string };

/**
 * A push delivery service. Two implementations exist (Expo push and the log adapter); APNs and
 * FCM HTTP v1 adapters fit the same shape: `supports` names the token providers a sender can
 * reach, `send` reports per target and does not throw for service errors, and `checkReceipts`
 * answers an empty map where the service has no deferred receipts.
 */
export interface PushSender {
  readonly name: string;
  supports(provider: PushProvider): boolean;
  /** Outcomes by notification id, then by device id. */
  send(messages: readonly PushMessage[]): Promise<Map<string, Map<string, DeliveryOutcome>>>;
  checkReceipts(receiptIds: readonly string[]): Promise<Map<string, ReceiptOutcome>>;
}

/**
 * The embedded default: nothing leaves the machine. Each "sent" notification is one log line with
 * its kind, the user's keyed hash and the number of devices (never the body or the tokens).
 */
export function createLogPushSender(deps: {
  log: (entry: { kind: NotificationKind; userHash: string; devices: number }) => void;
  hashUserId: (userId: string) => string;
}): PushSender {
  return {
    name: 'log',
    supports: () => true,
    async send(messages) {
      const outcomes = new Map<string, Map<string, DeliveryOutcome>>();
      for (const message of messages) {
        deps.log({ kind: message.kind, userHash: deps.hashUserId(message.userId), devices: message.targets.length });
        outcomes.set(message.notificationId, new Map(message.targets.map((target) => [target.deviceId, { status: 'accepted', receiptId: null }])));
      }
      return outcomes;
    },
    async checkReceipts() {
      return new Map();
    },
  };
}
