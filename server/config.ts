// The only reader of process.env. Every setting is typed, has a default and is listed in .env.example;
// a bad value stops start-up with one line that names the variable and says what is expected.
import { z } from 'zod';
import proxyAddr from 'proxy-addr';

export interface Config {
  /** TCP port of the HTTP server (webhooks, SSE, dashboard). */
  port: number;
  /** Interface to listen on; undefined means every interface, as the Meet tutorial does. */
  host: string | undefined;
  meet: {
    serverUrl: string;
    /** Accepted webhook signing keys, current one first (also the one used for REST calls). Meet signs with a single key (§1.9). */
    apiKeys: string[];
    /** REST API path; undefined means: find /api/v1 or /meet/api/v1 (3.6+) by asking. */
    apiPath: string | undefined;
    /** How often rooms and recordings are re-read from the REST API, in ms. */
    reconcileIntervalMs: number;
  };
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
  /** The other platforms; each is enabled only when its credentials are set (else its path is a 404). */
  sources: {
    /** OpenVidu 2.x: the headers OpenVidu sends with every webhook (OPENVIDU_WEBHOOK_HEADERS); [] = none. */
    openvidu?: { headers: [name: string, value: string][] };
    livekit?: { apiKey: string; apiSecret: string };
    liveswitch?: { sharedSecret: string };
    enablex?: { user: string; password: string };
  };
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const integer = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, { message: `must be a whole number between ${min} and ${max}` })
    .transform(Number)
    .pipe(z.number().min(min, { message: `must be at least ${min}` }).max(max, { message: `must be at most ${max}` }));

const httpUrl = z
  .string()
  .trim()
  .refine((value) => /^https?:\/\/[^/]/.test(value) && URL.canParse(value), {
    message: 'must be an http:// or https:// URL',
  })
  .transform((value) => value.replace(/\/+$/, ''));

const keyList = z
  .string()
  .transform((value) => value.split(',').map((key) => key.trim()))
  .refine((keys) => keys.every((key) => key.length > 0), {
    message: 'must be one key, or several separated by commas, none of them empty',
  });

/** `name`, `.domain`, `*.domain` or `*`: letters, digits, dots and hyphens (an IPv6 literal in brackets). */
const HOST_PATTERN = /^(\*|(\*\.|\.)?[a-z0-9-]+(\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])$/;

const HEADER_LIST = 'must be a JSON array of "Name: value" strings, as in OpenVidu\'s own OPENVIDU_WEBHOOK_HEADERS ([] for none)';

/** Each variable: its schema, its default, and whether its value may be echoed in an error. */
const variables = {
  SERVER_PORT: { schema: integer(0, 65535), default: '6080' },
  SERVER_HOST: { schema: z.string().trim().min(1), default: undefined },
  OV_MEET_SERVER_URL: { schema: httpUrl, default: 'http://localhost:9080' },
  OV_MEET_API_KEY: { schema: keyList, default: 'meet-api-key', secret: true },
  OV_MEET_API_PATH: {
    schema: z
      .string()
      .trim()
      .regex(/^\/[A-Za-z0-9/_.-]*$/, { message: 'must be a path such as /api/v1 or /meet/api/v1' })
      .transform((value) => value.replace(/\/+$/, '')),
    default: undefined,
  },
  RECONCILE_INTERVAL_MS: { schema: integer(5000), default: '300000' },
  DASHBOARD_PASSWORD: { schema: z.string().min(8, { message: 'must be at least 8 characters long' }), default: undefined, secret: true },
  CORS_ORIGINS: {
    schema: z
      .string()
      .transform((value) => value.split(',').map((origin) => origin.trim()).filter(Boolean))
      .refine((origins) => origins.every((origin) => URL.canParse(origin) && new URL(origin).origin === origin), {
        message: 'must be origins such as https://ops.example.com, separated by commas (scheme and host, no path)',
      }),
    default: undefined,
  },
  ALLOWED_HOSTS: {
    schema: z
      .string()
      .transform((value) => value.split(',').map((host) => host.trim().toLowerCase()).filter(Boolean))
      .refine((hosts) => hosts.every((host) => HOST_PATTERN.test(host)), {
        message: 'must be host names separated by commas: roomwatch.example.com, .example.com (and subdomains), *.ngrok-free.app, or * for any',
      }),
    default: undefined,
  },
  TRUST_PROXY: {
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
  },
  METRICS_TOKEN: { schema: z.string().min(16, { message: 'must be at least 16 characters long' }), default: undefined, secret: true },
  MAX_WEBHOOK_AGE: { schema: integer(1000), default: '120000' },
  MAX_WEBHOOK_BYTES: { schema: integer(1024), default: String(1024 * 1024) },
  WEBHOOK_REQUEST_TIMEOUT_MS: { schema: integer(1000, 300_000), default: '10000' },
  MAX_WEBHOOK_BYTES_IN_FLIGHT: { schema: integer(1024), default: String(32 * 1024 * 1024) },
  DATA_DIR: { schema: z.string().trim().min(1, { message: 'must not be empty' }), default: './data' },
  EVENT_RETENTION: { schema: integer(1), default: '100000' },
  EVENT_RETENTION_DAYS: { schema: integer(1, 36_500), default: undefined },
  EVENT_RETENTION_MB: { schema: integer(1, 1_000_000), default: undefined },
  CLOSED_ROOM_RETENTION_HOURS: { schema: integer(1, 876_000), default: '24' },
  SSE_HEARTBEAT_MS: { schema: integer(100, 15000), default: '15000' },
  SSE_RETRY_MS: { schema: integer(100), default: '2000' },
  SSE_MAX_BUFFER_BYTES: { schema: integer(1024), default: String(1024 * 1024) },
  OPENVIDU_WEBHOOK_HEADERS: {
    schema: z
      .string()
      .transform((text, ctx) => {
        try {
          return JSON.parse(text) as unknown;
        } catch {
          ctx.addIssue({ code: 'custom', message: 'must be a JSON array such as ["Authorization: Basic T1BFTlZJRFVBUFA6TVlfU0VDUkVU"]' });
          return z.NEVER;
        }
      })
      .pipe(
        z.array(z.string().regex(/^[^:\s][^:]*: .+$/, { message: HEADER_LIST }), { message: HEADER_LIST }),
      )
      .transform((lines) => lines.map((line): [string, string] => [line.slice(0, line.indexOf(': ')), line.slice(line.indexOf(': ') + 2)])),
    default: undefined,
    secret: true,
  },
  LIVEKIT_API_KEY: { schema: z.string().trim().min(1), default: undefined },
  LIVEKIT_API_SECRET: { schema: z.string().min(1), default: undefined, secret: true },
  LIVESWITCH_SHARED_SECRET: { schema: z.string().min(1), default: undefined, secret: true },
  ENABLEX_WEBHOOK_USER: { schema: z.string().min(1), default: undefined },
  ENABLEX_WEBHOOK_PASSWORD: { schema: z.string().min(1), default: undefined, secret: true },
  LOG_LEVEL: {
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      message: 'must be one of fatal, error, warn, info, debug, trace, silent',
    }),
    default: 'info',
  },
} satisfies Record<string, { schema: z.ZodType; default: string | undefined; secret?: boolean }>;

type Variables = typeof variables;

/** Names of every setting, for documentation checks. */
export const SETTING_NAMES = Object.keys(variables) as (keyof Variables)[];
type Parsed = { [K in keyof Variables]: z.output<Variables[K]['schema']> | undefined };

/** Reads and validates the configuration; throws ConfigError naming the first bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = {} as Record<string, unknown>;
  for (const [name, variable] of Object.entries(variables) as [string, Variables[keyof Variables]][]) {
    const raw = env[name] === undefined || env[name] === '' ? variable.default : env[name];
    if (raw === undefined) continue;
    const result = variable.schema.safeParse(raw);
    if (!result.success) {
      const shown = 'secret' in variable && variable.secret ? '' : ` (got "${raw}")`;
      throw new ConfigError(`${name} ${result.error.issues[0]?.message ?? 'is invalid'}${shown}`);
    }
    parsed[name] = result.data;
  }
  const p = parsed as Parsed;
  const pair = <A, B>(a: keyof Variables, b: keyof Variables, valueA: A | undefined, valueB: B | undefined) => {
    if ((valueA === undefined) !== (valueB === undefined)) throw new ConfigError(`${a} and ${b} go together: set both, or neither`);
    return valueA !== undefined && valueB !== undefined ? ([valueA, valueB] as const) : undefined;
  };
  const livekit = pair('LIVEKIT_API_KEY', 'LIVEKIT_API_SECRET', p.LIVEKIT_API_KEY, p.LIVEKIT_API_SECRET);
  const enablex = pair('ENABLEX_WEBHOOK_USER', 'ENABLEX_WEBHOOK_PASSWORD', p.ENABLEX_WEBHOOK_USER, p.ENABLEX_WEBHOOK_PASSWORD);
  return {
    port: p.SERVER_PORT!,
    host: p.SERVER_HOST,
    meet: {
      serverUrl: p.OV_MEET_SERVER_URL!,
      apiKeys: p.OV_MEET_API_KEY!,
      apiPath: p.OV_MEET_API_PATH,
      reconcileIntervalMs: p.RECONCILE_INTERVAL_MS!,
    },
    dashboard: { password: p.DASHBOARD_PASSWORD, corsOrigins: p.CORS_ORIGINS ?? [], allowedHosts: p.ALLOWED_HOSTS ?? [] },
    trustProxy: p.TRUST_PROXY!,
    metricsToken: p.METRICS_TOKEN,
    webhook: {
      maxAgeMs: p.MAX_WEBHOOK_AGE!,
      maxBodyBytes: p.MAX_WEBHOOK_BYTES!,
      requestTimeoutMs: p.WEBHOOK_REQUEST_TIMEOUT_MS!,
      maxBytesInFlight: p.MAX_WEBHOOK_BYTES_IN_FLIGHT!,
    },
    store: {
      dataDir: p.DATA_DIR!,
      retention: p.EVENT_RETENTION!,
      maxAgeMs: p.EVENT_RETENTION_DAYS === undefined ? undefined : p.EVENT_RETENTION_DAYS * DAY_MS,
      maxBytes: p.EVENT_RETENTION_MB === undefined ? undefined : p.EVENT_RETENTION_MB * 1024 * 1024,
      closedRoomRetentionMs: p.CLOSED_ROOM_RETENTION_HOURS! * HOUR_MS,
    },
    sse: { heartbeatMs: p.SSE_HEARTBEAT_MS!, retryMs: p.SSE_RETRY_MS!, maxBufferBytes: p.SSE_MAX_BUFFER_BYTES! },
    sources: {
      ...(p.OPENVIDU_WEBHOOK_HEADERS && { openvidu: { headers: p.OPENVIDU_WEBHOOK_HEADERS } }),
      ...(livekit && { livekit: { apiKey: livekit[0], apiSecret: livekit[1] } }),
      ...(p.LIVESWITCH_SHARED_SECRET && { liveswitch: { sharedSecret: p.LIVESWITCH_SHARED_SECRET } }),
      ...(enablex && { enablex: { user: enablex[0], password: enablex[1] } }),
    },
    logLevel: p.LOG_LEVEL!,
  };
}
