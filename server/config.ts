// The only reader of process.env. Every setting is typed, has a default and is listed in .env.example;
// a bad value stops start-up with one line that names the variable and says what is expected.
import { z } from 'zod';

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
  };
  webhook: {
    /** Largest accepted age (and largest future skew) of X-Timestamp, in ms. */
    maxAgeMs: number;
    /** Largest accepted body, in bytes. */
    maxBodyBytes: number;
  };
  store: {
    dataDir: string;
    /** Number of newest events kept; older ones are pruned in the background. */
    retention: number;
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
  MAX_WEBHOOK_AGE: { schema: integer(1000), default: '120000' },
  MAX_WEBHOOK_BYTES: { schema: integer(1024), default: String(1024 * 1024) },
  DATA_DIR: { schema: z.string().trim().min(1, { message: 'must not be empty' }), default: './data' },
  EVENT_RETENTION: { schema: integer(1), default: '100000' },
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
    dashboard: { password: p.DASHBOARD_PASSWORD, corsOrigins: p.CORS_ORIGINS ?? [] },
    webhook: { maxAgeMs: p.MAX_WEBHOOK_AGE!, maxBodyBytes: p.MAX_WEBHOOK_BYTES! },
    store: { dataDir: p.DATA_DIR!, retention: p.EVENT_RETENTION! },
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
