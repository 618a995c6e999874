// The SSE clients run in a child process of their own: their reading then neither slows the webhook
// sender nor is delayed by it, and their sockets count against that process's file limit.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { track, stopChild } from '../servers/cleanup.js';
import type { ConnectOutcome, DeliveryTally, LatencySummary } from './sse-clients.js';

/** What the parent asks of the client process; each request gets exactly one reply with its id. */
export type SseClientCommand =
  | { type: 'connect'; port: number; count: number; concurrency: number; timeoutMs: number }
  | { type: 'waitForFrames'; perClient: number; timeoutMs: number }
  | { type: 'latency' }
  | { type: 'clearLatency' }
  | { type: 'disconnectAll' };

export type SseClientRequest = SseClientCommand & { id: number };
export type SseClientReply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

const WORKER = fileURLToPath(new URL('./sse-client-worker.ts', import.meta.url));

export class SseClientProcess {
  private nextId = 1;
  private readonly replies = new Map<number, { resolve: (result: unknown) => void; reject: (error: Error) => void }>();

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (reply: SseClientReply) => {
      const waiting = this.replies.get(reply.id);
      this.replies.delete(reply.id);
      if (reply.ok) waiting?.resolve(reply.result);
      else waiting?.reject(new Error(`SSE client process: ${reply.error}`));
    });
    child.once('exit', (code, signal) => {
      for (const waiting of this.replies.values()) waiting.reject(new Error(`SSE client process exited (${signal ?? code})`));
      this.replies.clear();
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** `trackLatency`: the clients read `"sentAt"` from each frame and keep how late it arrived. */
  static start({ trackLatency }: { trackLatency: boolean }): SseClientProcess {
    const child = fork(WORKER, trackLatency ? ['--track-latency'] : [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return new SseClientProcess(track(child));
  }

  connect(port: number, count: number, { concurrency = 500, timeoutMs = 60_000 } = {}): Promise<ConnectOutcome> {
    return this.request({ type: 'connect', port, count, concurrency, timeoutMs }) as Promise<ConnectOutcome>;
  }

  waitForFrames(perClient: number, timeoutMs: number): Promise<DeliveryTally> {
    return this.request({ type: 'waitForFrames', perClient, timeoutMs }) as Promise<DeliveryTally>;
  }

  latency(): Promise<LatencySummary> {
    return this.request({ type: 'latency' }) as Promise<LatencySummary>;
  }

  async clearLatency(): Promise<void> {
    await this.request({ type: 'clearLatency' });
  }

  async disconnectAll(): Promise<void> {
    await this.request({ type: 'disconnectAll' });
  }

  /** Closes every stream and ends the process. */
  async stop(): Promise<void> {
    if (this.child.connected) await this.disconnectAll().catch(() => undefined);
    await stopChild(this.child);
  }

  private request(command: SseClientCommand): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.replies.set(id, { resolve, reject });
      this.child.send({ ...command, id } satisfies SseClientRequest);
    });
  }
}
