// A relay between the simulated platforms and roomwatch that loses, on purpose, webhooks that end a
// session: it answers them 200, as a network or proxy that dropped them after the platform's send would
// look to the platform, and never forwards them. Everything else goes through unchanged (same method,
// path, headers and bytes). Which webhooks end a session, and which rooms they are about, it asks each
// platform's own descriptor (`verify`, `sessionEnded`, `project`), so it names no platform. The demo
// loses some this way, and a test shows that each one heals at the next read of the platform's API.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RowReader } from '../../server/domain/row-reader.js';
import type { SourceId } from '../../server/platforms/catalog.js';
import { enabledPlatforms, platformForPath, type PlatformSettingsById } from '../../server/platforms/index.js';

/** A webhook the relay lost. */
export interface LostWebhook {
  platform: SourceId;
  label: string;
  /** Its event types, e.g. ["roomdrop"]. */
  types: string[];
  /** The room rows it would have changed (their `roomId`), i.e. what must heal. */
  rooms: string[];
  /** When it was answered (and lost), ms. */
  at: number;
}

export interface LossyRelayOptions {
  /** roomwatch's base URL, e.g. http://127.0.0.1:6080; settable later. */
  target?: string;
  /** The platforms' settings (roomwatch's `config.platforms`), to read the webhooks as roomwatch would. */
  settings: PlatformSettingsById;
  /** The chance that a webhook ending a session of this platform is lost (the demo); default none. */
  lossChance?: (platform: SourceId) => number;
  port?: number;
}

export interface LossyRelay {
  /** Where the platforms post, e.g. http://127.0.0.1:41234 (with each platform's own path). */
  url: string;
  setTarget(url: string): void;
  /** Loses the next webhook of this platform that ends a session; resolves with it once it is lost. */
  loseNextEnd(platform: SourceId): Promise<LostWebhook>;
  /** Called for each webhook lost. */
  onLost(listener: (lost: LostWebhook) => void): void;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 2 * 1024 * 1024;
const NO_ROWS: RowReader = { room: () => undefined, recording: () => undefined, recordingsOfRoom: () => [] };

export async function startLossyRelay(options: LossyRelayOptions): Promise<LossyRelay> {
  const platforms = enabledPlatforms(options.settings);
  let target = options.target;
  const armed = new Map<SourceId, ((lost: LostWebhook) => void)[]>();
  const listeners: ((lost: LostWebhook) => void)[] = [];

  /** What this request ends, when it ends a session of a platform roomwatch would accept it from. */
  async function endOf(path: string, headers: http.IncomingHttpHeaders, body: Buffer): Promise<LostWebhook | undefined> {
    const id = platformForPath(path)?.id;
    const platform = platforms.find((candidate) => candidate.id === id);
    if (!platform) return undefined;
    const received = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : (value ?? '')]));
    const now = Date.now();
    const verdict = await platform.verify({ headers: received, body, receivedAt: now });
    if (!verdict.accepted) return undefined;
    const ends = verdict.events.filter((event) => platform.sessionEnded({ ...event, seq: 0, kind: 'webhook', receivedAt: now }));
    if (ends.length === 0) return undefined;
    const rooms = ends.flatMap((event) =>
      platform.platform
        .project({ payload: event.parsed ?? JSON.parse(event.body.toString('utf8')), createdAt: event.createdAt, receivedAt: now }, NO_ROWS)
        .flatMap((change) => (change.kind === 'room' ? [change.row.roomId] : [])),
    );
    return { platform: platform.id, label: platform.label, types: ends.map((event) => event.type), rooms, at: now };
  }

  function shouldLose(lost: LostWebhook): boolean {
    const waiting = armed.get(lost.platform);
    if (waiting && waiting.length > 0) {
      waiting.shift()!(lost);
      return true;
    }
    return Math.random() < (options.lossChance?.(lost.platform) ?? 0);
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks);
        const path = new URL(req.url ?? '/', 'http://relay').pathname;
        const lost = req.method === 'POST' && size <= MAX_BODY_BYTES ? await endOf(path, req.headers, body).catch(() => undefined) : undefined;
        if (lost && shouldLose(lost)) {
          for (const listener of listeners) listener(lost);
          res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
          return;
        }
        forward(req, body, res);
      })();
    });
  });

  function forward(req: http.IncomingMessage, body: Buffer, res: http.ServerResponse): void {
    if (!target) {
      res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"relay_has_no_target"}');
      return;
    }
    const to = new URL(req.url ?? '/', target);
    const headers = { ...req.headers, host: to.host, 'content-length': String(body.length) };
    delete headers.connection;
    delete headers['transfer-encoding'];
    const upstream = http.request(to, { method: req.method, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', (error) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'relay_upstream', message: error.message }));
    });
    upstream.end(body);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    setTarget: (url) => {
      target = url;
    },
    loseNextEnd: (platform) =>
      new Promise((resolve) => {
        armed.set(platform, [...(armed.get(platform) ?? []), resolve]);
      }),
    onLost: (listener) => {
      listeners.push(listener);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
