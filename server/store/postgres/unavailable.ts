// PostgreSQL could not commit: unreachable, refusing connections, restarting, or a writer waited too long
// for the append lock. The caller was not answered "stored", so a platform retries (the webhook route
// answers 503 with Retry-After), and readiness says why.

/** Error codes that mean "not now" rather than "never" (a bug in a query is neither: it is rethrown). */
const TRANSIENT = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EPIPE',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  '55000', // object_not_in_prerequisite_state: the database does not accept connections now
  '55P03', // lock_not_available: lock_timeout expired
  '57P01', // admin_shutdown: the session was terminated
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or shutting down
  '53300', // too_many_connections
  '25P03', // idle_in_transaction_session_timeout
  '08000',
  '08001',
  '08003',
  '08006',
  '40001', // serialization_failure
  '40P01', // deadlock_detected
]);

export class StoreUnavailable extends Error {
  override name = 'StoreUnavailable';
  readonly code: string;
  /** What the operator should check. */
  readonly hint = 'PostgreSQL (DATABASE_URL) cannot commit right now; see /readyz and the log. Webhooks are answered 503 and retried by the platforms meanwhile.';

  constructor(cause: unknown) {
    const code = String((cause as { code?: unknown }).code ?? 'unknown');
    super(`PostgreSQL cannot commit (${code}): ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.code = code;
  }
}

export function isTransient(error: unknown): boolean {
  return TRANSIENT.has(String((error as { code?: unknown }).code));
}

/** The failure as the caller sees it: a StoreUnavailable when it is PostgreSQL's state, else the error itself. */
export function asStoreFailure(error: unknown): unknown {
  return error instanceof StoreUnavailable || !isTransient(error) ? error : new StoreUnavailable(error);
}
