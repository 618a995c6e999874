// The only reader of process.env. Every setting is typed, has a default and is listed in .env.example;
// a bad value stops start-up with one line that names the variable and says what is expected. The table
// is roomwatch's own settings plus every platform's (platforms/*/settings.ts, through the registry).
import { z } from 'zod';
import proxyAddr from 'proxy-addr';
import { ConfigError, integer, readSettings, setting, type SettingTable } from './settings.js';
import { PLATFORMS, readPlatformSettings, type PlatformSettingsById } from './platforms/index.js';
import { ForwardTargetError, parseForwardTargets, type ForwardTarget } from './forward/targets.js';

export { ConfigError };

export interface Config {
  /** TCP port of the HTTP server (webhooks, SSE, dashboard). */
  port: number;
  /** Interface to listen on; undefined means every interface, as the Meet tutorial does. */
  host: string | undefined;
  /** How often each platform's rooms and recordings are re-read from its REST API, in ms. */
  reconcileIntervalMs: number;
  dashboard: {
    /** When set, the page, /api/* and /events need a signed-in session. */
    password: string | undefined;
    /** Origins allowed to call /api/* and /events from another site; none by default. */
    corsOrigins: string[];
    /**
     * Host names the dashboard, /api and /events answer to besides loopback (DNS-rebinding defence), lower
     * case: `name`, `.domain` (the domain and every subdomain, as Vite's allowedHosts), `*.domain` (subdomains
     * only), or `*` (any host: the check is off). Webhook routes answer on any host.
     */
    allowedHosts: string[];
  };
  /**
   * Which peers may name the real client in X-Forwarded-For (express's "trust proxy" value, as proxy-addr
   * reads it): `loopback` by default (ngrok and local proxies), `false` for none.
   */
  trustProxy: string | false;
  /**
   * The address platforms reach roomwatch at (PUBLIC_URL), without a trailing slash: the setup panel's webhook
   * URLs start with it. Undefined: they start with the address the page was opened with.
   */
  publicUrl: string | undefined;
  /** When set, GET /metrics needs `Authorization: Bearer <token>` or a session (else it is guarded like /api). */
  metricsToken: string | undefined;
  webhook: {
    /** Largest accepted age (and largest future skew) of X-Timestamp, in ms. */
    maxAgeMs: number;
    /** Largest accepted body, in bytes. */
    maxBodyBytes: number;
    /** A webhook request whose headers and body have not fully arrived after this many ms is cut off. */
    requestTimeoutMs: number;
    /** Bytes of webhook bodies held in memory at once, over all requests; beyond it: 503 + Retry-After. */
    maxBytesInFlight: number;
  };
  store: {
    dataDir: string;
    /** DATABASE_URL: PostgreSQL instead of the SQLite file under dataDir. */
    databaseUrl: string | undefined;
    /** Number of newest events kept; older ones are pruned in the background. */
    retention: number;
    /** Webhooks received longer ago than this are pruned too (ms); undefined = no age limit. */
    maxAgeMs: number | undefined;
    /** The log is pruned, oldest first, while the database's used pages exceed this (bytes); undefined = no limit. */
    maxBytes: number | undefined;
    /** Closed rooms of session platforms (all but Meet), and removed rows (tombstones), are dropped after this (ms). */
    closedRoomRetentionMs: number;
  };
  sse: {
    heartbeatMs: number;
    retryMs: number;
    /** Unsent bytes a client may accumulate before it is disconnected (it reconnects and resumes). */
    maxBufferBytes: number;
  };
  /**
   * Each platform's settings, by id (each platform folder's settings.ts): present when the platform is enabled, which
   * for all but Meet means its credentials are set (else its path is a 404).
   */
  platforms: PlatformSettingsById;
  /** Relaying every verified webhook to the user's own apps (server/forward/). */
  forward: {
    /** FORWARD_TO; empty: nothing is forwarded. */
    targets: ForwardTarget[];
    /** A delivery not made this long after its webhook was received is given up (failed), in ms. */
    maxAgeMs: number;
    /** One attempt's limit, from connecting to the answer's status line, in ms. */
    timeoutMs: number;
  };
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

const DURATION_UNITS_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: HOUR_MS, d: DAY_MS };

/** A duration: whole milliseconds, or a whole number with a unit (90s, 30m, 24h, 7d). */
const duration = (minMs: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+(ms|s|m|h|d)?$/, { message: 'must be a duration: a whole number of milliseconds, or one with s, m, h or d (e.g. 24h)' })
    .transform((value) => {
      const [, amount, unit = 'ms'] = /^(\d+)([a-z]*)$/.exec(value)!;
      return Number(amount) * DURATION_UNITS_MS[unit || 'ms']!;
    })
    .pipe(z.number().min(minMs, { message: `must be at least ${minMs / 1000} s` }).max(Number.MAX_SAFE_INTEGER, { message: 'is too long' }));

/** `name`, `.domain`, `*.domain` or `*`: letters, digits, dots and hyphens (an IPv6 literal in brackets). */
const HOST_PATTERN = /^(\*|(\*\.|\.)?[a-z0-9-]+(\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])$/;

/**
 * PUBLIC_URL: an http(s) address, with a path when a proxy serves roomwatch under one; no user, password,
 * query or fragment, since it is shown to people and pasted into platforms' consoles.
 */
const publicUrl = z
  .string()
  .trim()
  .refine(
    (value) => {
      if (!/^https?:\/\/[^/]/i.test(value) || !URL.canParse(value)) return false;
      const url = new URL(value);
      return url.username === '' && url.password === '' && url.search === '' && url.hash === '' && !/[?#]/.test(value);
    },
    { message: 'must be the http:// or https:// address platforms reach roomwatch at, such as https://roomwatch.example.com (a path is allowed; no user, password, query or #)' },
  )
  .transform((value) => value.replace(/\/+$/, ''));

/** roomwatch's own settings: its schema, its default, whether its value is a secret, what it is. */
const variables = {
  SERVER_PORT: setting({ schema: integer(0, 65535), default: '6080', doc: 'HTTP port' }),
  SERVER_HOST: setting({ schema: z.string().trim().min(1), default: undefined, doc: 'interface to listen on; unset: all' }),
  RECONCILE_INTERVAL_MS: setting({ schema: integer(5000), default: '300000', doc: "how often rooms and recordings are re-read from each platform's REST API" }),
  DASHBOARD_PASSWORD: setting({
    schema: z.string().min(8, { message: 'must be at least 8 characters long' }),
    default: undefined,
    secret: true,
    doc: 'sign-in for the page, /api and /events',
  }),
  CORS_ORIGINS: setting({
    schema: z
      .string()
      .transform((value) => value.split(',').map((origin) => origin.trim()).filter(Boolean))
      .refine((origins) => origins.every((origin) => URL.canParse(origin) && new URL(origin).origin === origin), {
        message: 'must be origins such as https://ops.example.com, separated by commas (scheme and host, no path)',
      }),
    default: undefined,
    doc: 'other sites allowed to call /api and /events',
  }),
  ALLOWED_HOSTS: setting({
    schema: z
      .string()
      .transform((value) => value.split(',').map((host) => host.trim().toLowerCase()).filter(Boolean))
      .refine((hosts) => hosts.every((host) => HOST_PATTERN.test(host)), {
        message: 'must be host names separated by commas: roomwatch.example.com, .example.com (and subdomains), *.ngrok-free.app, or * for any',
      }),
    default: undefined,
    doc: 'host names the page, /api and /events answer to besides loopback',
  }),
  PUBLIC_URL: setting({
    schema: publicUrl,
    default: undefined,
    doc: 'the address platforms post webhooks to, e.g. https://roomwatch.example.com; unset: the setup panel uses the address the page was opened with',
  }),
  TRUST_PROXY: setting({
    schema: z
      .string()
      .trim()
      .transform((value, ctx): string | false => {
        if (value === 'false' || value === 'none') return false;
        try {
          proxyAddr.compile(value.split(',').map((part) => part.trim()));
          return value;
        } catch {
          ctx.addIssue({ code: 'custom', message: 'must be loopback, none, or addresses and CIDR ranges separated by commas (e.g. loopback, 10.0.0.0/8)' });
          return z.NEVER;
        }
      }),
    default: 'loopback',
    doc: "which proxies' X-Forwarded-For names the caller",
  }),
  METRICS_TOKEN: setting({
    schema: z.string().min(16, { message: 'must be at least 16 characters long' }),
    default: undefined,
    secret: true,
    doc: 'bearer token for GET /metrics',
  }),
  MAX_WEBHOOK_AGE: setting({ schema: integer(1000), default: '120000', doc: 'accepted timestamp distance, ms, both directions' }),
  MAX_WEBHOOK_BYTES: setting({ schema: integer(1024), default: String(1024 * 1024), doc: 'largest webhook body' }),
  WEBHOOK_REQUEST_TIMEOUT_MS: setting({ schema: integer(1000, 300_000), default: '10000', doc: "time a webhook's headers and body have to arrive" }),
  MAX_WEBHOOK_BYTES_IN_FLIGHT: setting({ schema: integer(1024), default: String(32 * 1024 * 1024), doc: 'webhook bodies held in memory at once' }),
  // Secret: the URL may carry a password, so an error never echoes it.
  DATABASE_URL: setting({
    schema: z
      .string()
      .trim()
      .refine((value) => /^postgres(ql)?:\/\/./.test(value) && URL.canParse(value), { message: 'must be a postgres:// or postgresql:// URL' }),
    default: undefined,
    secret: true,
    doc: 'PostgreSQL shared by several instances; unset = SQLite under DATA_DIR',
  }),
  DATA_DIR: setting({ schema: z.string().trim().min(1, { message: 'must not be empty' }), default: './data', doc: 'where the SQLite file lives' }),
  EVENT_RETENTION: setting({ schema: integer(1), default: '100000', doc: 'newest events kept' }),
  EVENT_RETENTION_DAYS: setting({ schema: integer(1, 36_500), default: undefined, doc: 'also prune webhooks older than this' }),
  EVENT_RETENTION_MB: setting({ schema: integer(1, 1_000_000), default: undefined, doc: 'also prune while the database uses more than this' }),
  CLOSED_ROOM_RETENTION_HOURS: setting({ schema: integer(1, 876_000), default: '24', doc: 'closed session rooms and tombstones are dropped after this' }),
  SSE_HEARTBEAT_MS: setting({ schema: integer(100, 15000), default: '15000', doc: 'heartbeat interval on /events' }),
  SSE_RETRY_MS: setting({ schema: integer(100), default: '2000', doc: 'reconnect delay suggested to browsers' }),
  SSE_MAX_BUFFER_BYTES: setting({ schema: integer(1024), default: String(1024 * 1024), doc: 'unsent bytes after which a slow browser is dropped' }),
  FORWARD_TO: setting({
    schema: z.string().transform((value, ctx) => {
      try {
        return parseForwardTargets(value);
      } catch (error) {
        if (!(error instanceof ForwardTargetError)) throw error;
        ctx.addIssue({ code: 'custom', message: error.message });
        return z.NEVER;
      }
    }),
    default: undefined,
    // A URL may carry a token for the app behind roomwatch: never echoed.
    secret: true,
    doc: 'apps every verified webhook is forwarded to: URLs separated by commas, or a JSON array of {url, sources?, events?}',
  }),
  FORWARD_MAX_AGE: setting({ schema: duration(1000), default: '24h', doc: 'how long a delivery is retried before it is given up (a number of ms, or with s, m, h or d)' }),
  FORWARD_TIMEOUT_MS: setting({ schema: integer(100, 300_000), default: '10000', doc: "time a forwarding target has to answer one delivery" }),
  LOG_LEVEL: setting({
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      message: 'must be one of fatal, error, warn, info, debug, trace, silent',
    }),
    default: 'info',
    doc: '`info` logs every accepted webhook, `warn` only refusals and problems',
  }),
} satisfies SettingTable;

/** Every platform's settings, from the registry: config.ts names none of them. */
const platformVariables: SettingTable = Object.assign({}, ...PLATFORMS.map((platform) => platform.settings.variables));

/** Names of every setting, roomwatch's and the platforms', for documentation checks. */
export const SETTING_NAMES = [...Object.keys(variables), ...Object.keys(platformVariables)];

/** Reads and validates the configuration; throws ConfigError naming the first bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const p = readSettings(variables, env);
  const maxWebhookAgeMs = p.MAX_WEBHOOK_AGE!;
  return {
    port: p.SERVER_PORT!,
    host: p.SERVER_HOST,
    reconcileIntervalMs: p.RECONCILE_INTERVAL_MS!,
    dashboard: { password: p.DASHBOARD_PASSWORD, corsOrigins: p.CORS_ORIGINS ?? [], allowedHosts: p.ALLOWED_HOSTS ?? [] },
    publicUrl: p.PUBLIC_URL,
    trustProxy: p.TRUST_PROXY!,
    metricsToken: p.METRICS_TOKEN,
    webhook: {
      maxAgeMs: maxWebhookAgeMs,
      maxBodyBytes: p.MAX_WEBHOOK_BYTES!,
      requestTimeoutMs: p.WEBHOOK_REQUEST_TIMEOUT_MS!,
      maxBytesInFlight: p.MAX_WEBHOOK_BYTES_IN_FLIGHT!,
    },
    store: {
      dataDir: p.DATA_DIR!,
      databaseUrl: p.DATABASE_URL,
      retention: p.EVENT_RETENTION!,
      maxAgeMs: p.EVENT_RETENTION_DAYS === undefined ? undefined : p.EVENT_RETENTION_DAYS * DAY_MS,
      maxBytes: p.EVENT_RETENTION_MB === undefined ? undefined : p.EVENT_RETENTION_MB * 1024 * 1024,
      closedRoomRetentionMs: p.CLOSED_ROOM_RETENTION_HOURS! * HOUR_MS,
    },
    sse: { heartbeatMs: p.SSE_HEARTBEAT_MS!, retryMs: p.SSE_RETRY_MS!, maxBufferBytes: p.SSE_MAX_BUFFER_BYTES! },
    platforms: readPlatformSettings(readSettings(platformVariables, env), { maxWebhookAgeMs }),
    forward: { targets: p.FORWARD_TO ?? [], maxAgeMs: p.FORWARD_MAX_AGE!, timeoutMs: p.FORWARD_TIMEOUT_MS! },
    logLevel: p.LOG_LEVEL!,
  };
}
