// The page's one EventSource. It starts from the snapshot's `seq`, so nothing that happened between the
// snapshot and the stream is lost; the browser's own reconnects resend Last-Event-ID. The URL names the
// snapshot's store (`epoch`), and reconnects keep the URL: a cursor from another store (wiped and refilled)
// gets `resync`. When the stream is closed for good (the server answered an error, or was gone too long)
// it reopens from the last id seen, and a `resync` frame (cursor not servable) reloads the snapshot first.
import type { ApiStatus, RecordingRow, RoomRow, SourceId } from '../../server/domain/rows.js';
import { SOURCE_IDS } from '../../server/platforms/catalog.js';
import type { InspectorEntry } from '../../server/inspector/types.js';
import { entryFromFrame, type InspectorFrameName } from './inspector-frames.js';
import type { MeetStatus } from './state.js';
import type { ForwardingStatus } from '../../server/forward/api-types.js';

export type LiveState = 'connecting' | 'live' | 'reconnecting';

export interface LiveHandlers {
  room(row: RoomRow): void;
  recording(row: RecordingRow): void;
  meet(status: MeetStatus): void;
  /** A platform's REST API status changed (a frame named after the platform; Meet's too). */
  platformApi?(source: SourceId, status: ApiStatus): void;
  /** A forwarding target started or stopped failing. */
  forwarding?(status: ForwardingStatus): void;
  /** A webhook, refusal or replay, as the event inspector lists it. */
  entry?(entry: InspectorEntry): void;
  /** Reload the snapshot; resolves with the stream position it reflects. */
  reload(): Promise<StreamPosition>;
  /** Before reopening a closed stream: throws while the server cannot be reached (redirects on 401). */
  check(): Promise<void>;
  state(state: LiveState): void;
}

/** Where a stream starts: a sequence number of one store (its epoch). */
export interface StreamPosition {
  seq: number;
  epoch: string;
}

const MIN_RETRY_MS = 1000;
const MAX_RETRY_MS = 15_000;

export class LiveStream {
  private source: EventSource | undefined;
  private lastSeq = 0;
  private epoch = '';
  private retryMs = MIN_RETRY_MS;
  private timer: number | undefined;
  private stopped = false;

  constructor(private readonly handlers: LiveHandlers) {}

  start(position: StreamPosition): void {
    this.stopped = false;
    this.open(position);
  }

  stop(): void {
    this.stopped = true;
    window.clearTimeout(this.timer);
    this.source?.close();
    this.source = undefined;
  }

  private open({ seq, epoch }: StreamPosition): void {
    this.source?.close();
    this.lastSeq = seq;
    this.epoch = epoch;
    this.handlers.state('connecting');
    const source = new EventSource(`events?${new URLSearchParams({ since: String(seq), epoch }).toString()}`);
    this.source = source;

    source.onopen = () => {
      this.retryMs = MIN_RETRY_MS;
      this.handlers.state('live');
    };
    source.onerror = () => {
      if (source !== this.source) return;
      if (source.readyState === EventSource.CLOSED) this.reopenLater();
      else this.handlers.state('reconnecting'); // the browser retries by itself, with Last-Event-ID
    };
    // Unnamed frames are raw Meet webhooks: not needed for state, but their ids are stream positions,
    // and the event inspector lists them.
    source.onmessage = (event) => {
      this.track(event);
      this.inspect('message', event);
    };
    for (const name of ['webhook', 'replay', 'refusal'] as const) {
      source.addEventListener(name, (event) => {
        this.track(event);
        this.inspect(name, event);
      });
    }
    source.addEventListener('room', (event) => this.frame(event, (row: RoomRow) => this.handlers.room(row)));
    source.addEventListener('recording', (event) => this.frame(event, (row: RecordingRow) => this.handlers.recording(row)));
    source.addEventListener('meet', (event) => this.frame(event, (status: MeetStatus) => this.handlers.meet(status)));
    for (const id of SOURCE_IDS) {
      source.addEventListener(id, (event) => this.frame(event, (status: ApiStatus) => this.handlers.platformApi?.(id, status)));
    }
    source.addEventListener('forwarding', (event) => this.frame(event, (status: ForwardingStatus) => this.handlers.forwarding?.(status)));
    source.addEventListener('resync', () => void this.resync(source));
  }

  private track(event: MessageEvent): void {
    if (/^\d+$/.test(event.lastEventId)) this.lastSeq = Number(event.lastEventId);
  }

  private inspect(name: InspectorFrameName, event: MessageEvent<string>): void {
    if (!this.handlers.entry) return;
    let data: unknown;
    try {
      data = JSON.parse(event.data) as unknown;
    } catch {
      return;
    }
    const entry = entryFromFrame(name, data, event.lastEventId, Date.now());
    if (entry) this.handlers.entry(entry);
  }

  private frame<T>(event: Event, apply: (value: T) => void): void {
    const message = event as MessageEvent<string>;
    this.track(message);
    let value: T;
    try {
      value = JSON.parse(message.data) as T;
    } catch {
      console.warn('roomwatch: ignored a frame that is not JSON', message.type);
      return;
    }
    apply(value);
  }

  /** The server cannot serve our cursor: reload the snapshot, then stream from its position. */
  private async resync(source: EventSource): Promise<void> {
    if (source !== this.source) return;
    source.close();
    this.source = undefined;
    this.handlers.state('reconnecting');
    try {
      const position = await this.handlers.reload();
      if (!this.stopped) this.open(position);
    } catch {
      this.reopenLater(true);
    }
  }

  private reopenLater(reload = false): void {
    this.source?.close();
    this.source = undefined;
    this.handlers.state('reconnecting');
    window.clearTimeout(this.timer);
    const delay = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
    this.timer = window.setTimeout(() => {
      if (this.stopped) return;
      const attempt = reload ? this.handlers.reload() : this.handlers.check().then(() => ({ seq: this.lastSeq, epoch: this.epoch }));
      attempt.then(
        (position) => {
          if (!this.stopped) this.open(position);
        },
        () => this.reopenLater(reload),
      );
    }, delay);
  }
}
