// How roomwatch connects to PostgreSQL: one client per role (the writers' pool, the tailer, the leader),
// each named in pg_stat_activity so an operator (and a test) can tell them apart, with the session limits
// that keep one stuck transaction from stalling every instance.
import postgres from 'postgres';

export type Sql = postgres.Sql;

export type ConnectionRole = 'pool' | 'tailer' | 'leader';

export interface ConnectionSettings {
  /** Names this instance in application_name: `roomwatch-<role>:<instance>`. */
  instance: string;
  /** A writer waits at most this long for the append lock, then fails (and the webhook gets a 503). */
  lockTimeoutMs: number;
  /** A transaction left open by a stuck or frozen holder is ended by the server after this long. */
  idleInTransactionTimeoutMs: number;
  /** A connection attempt that gets no answer fails after this long (seconds). */
  connectTimeoutSeconds: number;
}

export const DEFAULT_CONNECTION_SETTINGS: Omit<ConnectionSettings, 'instance'> = {
  lockTimeoutMs: 5000,
  idleInTransactionTimeoutMs: 10_000,
  connectTimeoutSeconds: 5,
};

export function connect(
  url: string,
  role: ConnectionRole,
  settings: ConnectionSettings,
  options: { max?: number; onnotify?: (channel: string, payload: string) => void; onclose?: () => void } = {},
): Sql {
  return postgres(url, {
    max: options.max ?? 1,
    connect_timeout: settings.connectTimeoutSeconds,
    // A pooled connection never outlives its usefulness; the tailer's and the leader's stay open.
    idle_timeout: role === 'pool' ? 60 : 0,
    max_lifetime: role === 'pool' ? 30 * 60 : 0,
    onnotice: () => {},
    // Not needed (arrays are cast in the SQL), and postgres.js does not catch a failure of that first
    // query when the server ends the session right then: an unhandled rejection would end the process.
    fetch_types: false,
    // Declared by postgres.js at run time (the connection's NotificationResponse), missing from its types.
    ...({ onnotify: options.onnotify } as object),
    onclose: options.onclose,
    // Sequence numbers and times in ms fit a JavaScript number (2^53); int8 arrives as text otherwise.
    types: { bigint: { to: 20, from: [20], serialize: (value: number | bigint) => String(value), parse: (text: string) => Number(text) } },
    connection: {
      application_name: `roomwatch-${role}:${settings.instance}`,
      lock_timeout: settings.lockTimeoutMs,
      idle_in_transaction_session_timeout: settings.idleInTransactionTimeoutMs,
      // postgres.js prepares every statement, and after five runs PostgreSQL may keep one generic plan for
      // good. On a new database that plan is chosen while the log is nearly empty — a sequential scan — and
      // stays until autovacuum's ANALYZE, minutes later: the tailer's and the writer's reads then cost
      // more with every entry (the 3-instance ingest bench ran at a third of its speed). A plan made for
      // each run's values costs a fraction of a millisecond and always fits the data.
      plan_cache_mode: 'force_custom_plan',
    },
  });
}

/** A DATABASE_URL without its password, for messages: a password must never reach a terminal or a log. */
export function redacted(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'an unreadable URL';
  }
}
