// What /api/forwarding and the `forwarding` frame carry: types only, shared with the browser.

/** What the dashboard shows of a target. */
export interface TargetStatus {
  /** Its place in FORWARD_TO, from 1: how the API names it. */
  index: number;
  /** The URL without credentials or query. */
  label: string;
  sources: readonly string[] | null;
  events: readonly string[] | null;
  /**
   * `failing`: the webhook at its head has failed and waits for its next try (on an instance that does not
   * deliver: as the one that does last recorded it); `stopped`: it answered 410; `standby`: another instance
   * delivers, and has recorded no failure at the head.
   */
  state: 'idle' | 'delivering' | 'failing' | 'stopped' | 'standby';
  /** Webhooks after its cursor that it wants. */
  backlog: number;
  lastSuccessAt: number | null;
  /** The head's last error, while failing or stopped. */
  lastError: string | null;
  /** The seq at its head, attempts made at it and when the next one is due, while failing. */
  headSeq: number | null;
  attempts: number;
  nextTryAt: number | null;
}

export interface ForwardingStatus {
  /** Whether this instance is the one delivering. */
  leader: boolean;
  targets: TargetStatus[];
  /** Whether any target is failing or stopped. */
  failing: boolean;
}

/** GET /api/forwarding. */
export interface ForwardingOverview extends ForwardingStatus {
  /** Whether FORWARD_TO names any target. */
  enabled: boolean;
}

/** One target's part in one webhook's story, for the inspector. */
export interface DeliveryView {
  index: number;
  label: string;
  /**
   * `pending`: waiting its turn or its next try; `delivered`; `failed` (given up, or refused with 410);
   * `not-wanted` (its filters); `before-target` (stored before the target was configured).
   */
  state: 'pending' | 'delivered' | 'failed' | 'not-wanted' | 'before-target';
  /** Sent again from the dashboard. */
  redelivery: boolean;
  attempts: number;
  nextTryAt: number | null;
  lastAt: number | null;
  lastStatus: number | null;
  lastLatencyMs: number | null;
  lastError: string | null;
}

/** GET /api/forwarding/events/:seq. */
export interface EventDeliveries {
  seq: number;
  deliveries: DeliveryView[];
}
