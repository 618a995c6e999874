// A LiveSwitch application's webhooks (../shared/protocols/providers.md §3), as far as they are known:
// - `X-ApplicationSignature` = base64 HMAC-SHA256 of the raw body with the application's shared secret;
// - optional Batch mode: several events in one POST (a JSON array here; the real batch shape is not
//   documented), else one POST per event;
// - event names and payloads are the guesses of tools/platforms/liveswitch.ts (NOT confirmed by any doc);
// - retries, timeouts and the expected status are not documented: one attempt per POST, sent in order,
//   any 2xx counted as delivered.
// A channel activates with its first client and deactivates when its last client leaves.
import { liveswitch as platform } from '../../server/platforms/liveswitch/index.js';
import type { LiveSwitchSettings } from '../../server/platforms/liveswitch/settings.js';
import * as ls from '../platforms/liveswitch.js';
import type { Attempt } from '../delivery/attempt-log.js';
import { failureText } from '../delivery/post.js';
import { WebhookSender, type DeliveryPolicy } from '../delivery/sender.js';
import { TimerSet } from '../delivery/timers.js';

/** Not documented (§3): one attempt per POST, in order, any 2xx delivered. */
export function liveswitchDeliveryPolicy(attemptTimeoutMs = 10_000): DeliveryPolicy {
  return {
    order: 'serial',
    maxAttempts: 1,
    attemptTimeoutMs,
    judge: (result) =>
      'failure' in result ? { delivered: false, error: failureText(result.failure, attemptTimeoutMs) } : { delivered: result.status >= 200 && result.status < 300 },
  };
}

export interface LiveSwitchSimulatorOptions {
  webhookUrl?: string;
  /** roomwatch's LiveSwitch settings: the application's shared secret signs every POST. */
  settings: LiveSwitchSettings;
  /** The application sending the webhooks (its secret must be in the settings). */
  applicationId?: string;
  /** Batch mode: a POST carries up to `maxEvents` events, sent once full or `flushAfterMs` after the first. */
  batch?: { maxEvents?: number; flushAfterMs?: number };
  clock?: () => number;
  attemptTimeoutMs?: number;
}

interface LiveChannel {
  roomName: string;
  channel: ls.LiveSwitchChannel;
  connections: Map<string, ls.LiveSwitchConnection>;
}

export interface LiveSwitchChannelView {
  roomName: string;
  id: string;
  clients: { id: string; userAlias: string }[];
}

export class LiveSwitchSimulator {
  private readonly timers = new TimerSet();
  private readonly sender: WebhookSender;
  readonly log;
  private readonly channels = new Map<string, LiveChannel>();
  private readonly applicationId: string;
  private pending: ls.LiveSwitchPayload[] = [];
  private flushScheduled = false;
  private readonly clock: () => number;
  private clients = 0;

  constructor(private readonly options: LiveSwitchSimulatorOptions) {
    this.sender = new WebhookSender('liveswitch', liveswitchDeliveryPolicy(options.attemptTimeoutMs), { url: options.webhookUrl, timers: this.timers });
    this.log = this.sender.log;
    this.clock = options.clock ?? Date.now;
    this.applicationId = options.applicationId ?? ls.liveswitchApplicationId();
  }

  setWebhookUrl(url: string | undefined): void {
    this.sender.setUrl(url);
  }

  /** A client registers and connects to the channel (activating it first if needed). Returns the client id. */
  join(roomName: string, name: string): string {
    const live = this.activate(roomName);
    const client = ls.liveswitchClient(live.channel, name, `${name}#${++this.clients}@${this.clock()}`);
    const connection = ls.liveswitchConnection(live.channel, client);
    this.emit(ls.clientEvent('client.registered', live.channel, client, this.clock()));
    this.emit(ls.connectionEvent('connection.connected', live.channel, connection, this.clock()));
    live.connections.set(client.id, connection);
    return client.id;
  }

  /** The client's connection closes and it unregisters; the last one's leaving deactivates the channel. */
  leave(clientId: string): void {
    const live = [...this.channels.values()].find((candidate) => candidate.connections.has(clientId));
    if (!live) throw new Error(`no client ${clientId}`);
    this.disconnect(live, clientId);
    if (live.connections.size === 0) this.deactivate(live);
  }

  /** Everyone leaves the channel, which deactivates. */
  closeChannel(roomName: string): void {
    const live = this.channels.get(ls.liveswitchChannel(roomName, this.applicationId).id);
    if (!live) throw new Error(`no active channel for ${roomName}`);
    for (const clientId of [...live.connections.keys()]) this.disconnect(live, clientId);
    this.deactivate(live);
  }

  channelsView(): LiveSwitchChannelView[] {
    return [...this.channels.values()].map(({ roomName, channel, connections }) => ({
      roomName,
      id: channel.id,
      clients: [...connections.values()].map(({ client }) => ({ id: client.id, userAlias: client.userAlias })),
    }));
  }

  deliveries(): Attempt[] {
    return this.log.all();
  }

  /** Sends what a batch holds now and resolves once every POST so far is answered. */
  async idle(): Promise<void> {
    this.flush();
    await this.sender.idle();
  }

  stop(): void {
    this.sender.stop();
    this.channels.clear();
    this.pending = [];
  }

  // ── Internals ──────────────────────────────────────────────────────────────────────────────────

  private activate(roomName: string): LiveChannel {
    const channel = ls.liveswitchChannel(roomName, this.applicationId);
    let live = this.channels.get(channel.id);
    if (!live) {
      live = { roomName, channel, connections: new Map() };
      this.channels.set(channel.id, live);
      this.emit(ls.channelEvent('channel.activated', channel, this.clock()));
    }
    return live;
  }

  private disconnect(live: LiveChannel, clientId: string): void {
    const connection = live.connections.get(clientId)!;
    live.connections.delete(clientId);
    this.emit(ls.connectionEvent('connection.closed', live.channel, connection, this.clock()));
    this.emit(ls.clientEvent('client.unregistered', live.channel, connection.client, this.clock()));
  }

  private deactivate(live: LiveChannel): void {
    this.channels.delete(live.channel.id);
    this.emit(ls.channelEvent('channel.deactivated', live.channel, this.clock()));
  }

  private emit(payload: ls.LiveSwitchPayload): void {
    if (!this.sender.webhookUrl || this.timers.isStopped) return;
    const batch = this.options.batch;
    if (!batch) {
      this.post([payload], ls.liveswitchBody(payload));
      return;
    }
    this.pending.push(payload);
    if (this.pending.length >= (batch.maxEvents ?? 10)) this.flush();
    else if (!this.flushScheduled) {
      this.flushScheduled = true;
      this.timers.after(batch.flushAfterMs ?? 500, () => this.flush());
    }
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.pending.length === 0) return;
    const events = this.pending;
    this.pending = [];
    this.post(events, ls.liveswitchBody(events));
  }

  private post(events: ls.LiveSwitchPayload[], body: string): void {
    const headers = async () => (await platform.sign(this.options.settings, body)).headers;
    this.sender.send({ events: events.map((event) => String(event.type)), body, headers, extra: {} });
  }
}
