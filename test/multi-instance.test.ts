// Several roomwatch processes on one PostgreSQL database behind Debian's nginx form one roomwatch
// (issue 9): one global order with the same ids on every instance, nothing acknowledged lost when one
// dies, its clients resuming elsewhere, one leader at a time. Real processes, a real database, real kills.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase, postgresSkipReason, type TestDatabase } from './helpers/postgres-db.js';
import { startServerProcess, type ServerProcess } from './helpers/process.js';
import { startNginx, type Nginx } from './helpers/nginx.js';
import { meetingStarted, type Delivery } from './helpers/meet.js';
import { openSse, type SseClient, type SseFrame } from './helpers/sse.js';
import { eventually } from './helpers/stack.js';

const skip = postgresSkipReason;

/** A frame as a client stores it: what every instance must send alike (heartbeat comments aside). */
const entry = (frame: SseFrame) => `${frame.id}\n${frame.event ?? ''}\n${frame.data}`;
const entries = (frames: SseFrame[]) => frames.filter((frame) => frame.id !== undefined).map(entry);
const lastId = (frames: SseFrame[]) => Number(frames.findLast((frame) => frame.id !== undefined)?.id ?? 0);

/** The store's epoch, as the page takes it from /api/state and sends it with every reconnect. */
const epochOf = async (url: string) => ((await (await fetch(`${url}/api/state`)).json()) as { epoch: string }).epoch;

/**
 * A dashboard's stream: follows one URL; when the connection ends (its instance died) it reconnects
 * through `resumeUrl` with Last-Event-ID, as EventSource does, and keeps every frame it got.
 */
class FollowingClient {
  readonly frames: SseFrame[] = [];
  reconnects = 0;
  private current?: SseClient;
  private stopped = false;
  private epoch = '';

  constructor(
    private readonly firstUrl: string,
    private readonly resumeUrl: string,
  ) {}

  async start(): Promise<void> {
    this.epoch = await epochOf(this.firstUrl);
    this.current = await openSse(`${this.firstUrl}/events?since=0&epoch=${encodeURIComponent(this.epoch)}`);
    this.watch(this.current);
  }

  private watch(client: SseClient): void {
    let taken = 0;
    const take = () => {
      for (; taken < client.frames.length; taken++) this.frames.push(client.frames[taken]!);
    };
    void (async () => {
      for (;;) {
        try {
          await client.waitFor(() => client.frames.length > taken || client.closed, 60_000);
        } catch {
          continue;
        }
        take();
        if (client.closed) break;
      }
      if (this.stopped) return;
      this.reconnects++;
      const query = `?epoch=${encodeURIComponent(this.epoch)}`;
      for (;;) {
        try {
          const next = await openSse(`${this.resumeUrl}/events${query}`, { 'last-event-id': String(lastId(this.frames)) });
          if (next.status === 200) {
            this.current = next;
            this.watch(next);
            return;
          }
          next.close();
        } catch {
          // nginx may still be trying the dead instance: try again, as EventSource would after `retry`
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    })();
  }

  async waitForId(seq: number, timeoutMs = 20_000): Promise<void> {
    await eventually(async () => lastId(this.frames), (id) => id >= seq, timeoutMs);
  }

  close(): void {
    this.stopped = true;
    this.current?.close();
  }
}

async function metric(url: string, name: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name} `));
  return line ? Number(line.split(' ')[1]) : NaN;
}

async function deliver(url: string, delivery: Delivery): Promise<{ status: number; seq?: number; repeated?: boolean }> {
  const response = await fetch(`${url}/webhook`, { method: 'POST', headers: delivery.headers, body: delivery.body });
  const text = await response.text();
  if (response.status !== 200) return { status: response.status };
  const { stored, repeated } = JSON.parse(text) as { stored: number[]; repeated: number[] };
  return { status: 200, seq: stored[0] ?? repeated[0], repeated: repeated.length > 0 };
}

describe('three instances on one PostgreSQL database, behind nginx', { skip }, () => {
  let db: TestDatabase;
  const instances: ServerProcess[] = [];
  let nginx: Nginx;
  const env = () => ({ DATABASE_URL: db.url });

  before(async () => {
    db = await createTestDatabase();
    // The first creates the schema; the others join it.
    instances.push(await startServerProcess(env()));
    instances.push(...(await Promise.all([startServerProcess(env()), startServerProcess(env())])));
    nginx = await startNginx(instances.map(({ url }) => url));
  });

  after(async () => {
    await nginx?.stop();
    for (const instance of instances) instance.child.kill('SIGKILL');
    await Promise.all(instances.map((instance) => instance.exited));
    await db?.drop();
  });

  test('a retry that reaches two instances at once is stored once, under one sequence number', async () => {
    const delivery = meetingStarted();
    const [first, second] = await Promise.all([deliver(instances[0]!.url, delivery), deliver(instances[1]!.url, delivery)]);
    assert.equal(first.status, 200);
    assert.equal(second.status, 200);
    assert.equal(first.seq, second.seq);
    assert.deepEqual([first.repeated, second.repeated].sort(), [false, true], 'one stored it, the other was told it is a repeat');
    const listing = (await (await fetch(`${instances[2]!.url}/api/events?type=meetingStarted`)).json()) as { entries: { seq: number }[] };
    assert.equal(listing.entries.filter((e) => e.seq === first.seq).length, 1);
  });

  test('exactly one instance leads; killed mid-burst, it loses no acknowledged webhook, every stream is identical, its clients resume through nginx, and another leads within seconds', async () => {
    const leaders = async () => Promise.all(instances.map(async ({ url }) => metric(url, 'roomwatch_leader')));
    const leading = await eventually(leaders, (flags) => flags.filter((flag) => flag === 1).length === 1, 10_000);
    const victim = leading.indexOf(1);
    const survivors = instances.filter((_, index) => index !== victim);

    // Clients on each instance directly, and two on the victim that resume through nginx when it dies.
    const direct = survivors.map(({ url }) => new FollowingClient(url, url));
    const resuming = [new FollowingClient(instances[victim]!.url, nginx.url), new FollowingClient(instances[victim]!.url, nginx.url)];
    const throughNginx = new FollowingClient(nginx.url, nginx.url);
    const clients = [...direct, ...resuming, throughNginx];
    await Promise.all(clients.map((client) => client.start()));

    // Senders spread over every instance and nginx, until the victim has been killed and a bit after.
    const acknowledged = new Map<number, string>();
    const targets = [...instances.map(({ url }) => url), nginx.url];
    let stop = false;
    let killed = false;
    let afterKill = 0;
    const senders = Array.from({ length: 12 }, async (_, index) => {
      const target = targets[index % targets.length]!;
      while (!stop) {
        if (target === instances[victim]!.url && killed) return;
        const delivery = meetingStarted();
        try {
          const { status, seq } = await deliver(target, delivery);
          if (status === 200) {
            acknowledged.set(seq!, delivery.body);
            if (killed) afterKill++;
          }
        } catch {
          // the victim died under this request: never acknowledged
        }
      }
    });
    await eventually(async () => acknowledged.size, (count) => count >= 300, 30_000);
    instances[victim]!.child.kill('SIGKILL');
    assert.equal(await instances[victim]!.exited, 'SIGKILL');
    killed = true;
    await eventually(async () => afterKill, (count) => count >= 200, 30_000);
    stop = true;
    await Promise.all(senders);

    // A marker after everything: once a client has it, it has had every entry before it.
    const marker = await deliver(survivors[0]!.url, meetingStarted());
    assert.equal(marker.status, 200);
    acknowledged.set(marker.seq!, '');
    await Promise.all(clients.map((client) => client.waitForId(marker.seq!)));
    for (const client of clients) client.close();

    // No acknowledged webhook missing: each is in the stream with its own bytes.
    const reference = direct[0]!.frames;
    const bodies = new Map(reference.filter((f) => f.id !== undefined && f.event === undefined).map((f) => [Number(f.id), f.data]));
    for (const [seq, body] of acknowledged) {
      assert.ok(bodies.has(seq), `webhook ${seq} was acknowledged but is not in the log`);
      if (body) assert.equal(bodies.get(seq), body);
    }
    // One global order, gap-free: ids strictly increase by one from the first entry.
    const ids = reference.filter((f) => f.id !== undefined).map((f) => Number(f.id));
    ids.forEach((id, index) => assert.equal(id, index === 0 ? id : ids[index - 1]! + 1, `a gap or a repeat at ${id}`));
    // Every client saw exactly the same entries, byte for byte — including those that resumed elsewhere.
    for (const client of clients) assert.deepEqual(entries(client.frames), entries(reference));
    for (const client of resuming) assert.ok(client.reconnects >= 1, 'a client of the killed instance reconnected');

    // A successor leads within seconds; still exactly one.
    const after = await eventually(
      async () => Promise.all(survivors.map(async ({ url }) => metric(url, 'roomwatch_leader'))),
      (flags) => flags.filter((flag) => flag === 1).length === 1,
      15_000,
    );
    assert.equal(after.filter((flag) => flag === 1).length, 1);
  });

  test('PostgreSQL unavailable: webhooks are answered 503 with Retry-After and /readyz says why; then everything resumes', async () => {
    const alive = instances.filter((instance) => instance.child.exitCode === null && instance.child.signalCode === null);
    const watcher = await openSse(`${alive[0]!.url}/events`);
    await db.cutOff();
    try {
      const refused = await eventually(
        async () => {
          // Bounded: an instance must answer (503) while the database is away, never hang.
          const response = await fetch(`${alive[1]!.url}/webhook`, { method: 'POST', ...meetingStarted(), signal: AbortSignal.timeout(25_000) });
          return { status: response.status, retryAfter: response.headers.get('retry-after') };
        },
        ({ status }) => status === 503,
        15_000,
      );
      assert.ok(refused.retryAfter, 'a 503 tells the platform when to retry');
      const ready = await fetch(`${alive[1]!.url}/readyz`, { signal: AbortSignal.timeout(10_000) });
      assert.equal(ready.status, 503);
      assert.match(await ready.text(), /postgres|database|connect/i);
    } finally {
      await db.restore();
    }
    // Back: a webhook is stored again and reaches a client of another instance.
    const back = await eventually(async () => deliver(alive[1]!.url, meetingStarted()), ({ status }) => status === 200, 20_000);
    await watcher.waitFor((frames) => frames.some((frame) => Number(frame.id) === back.seq), 20_000);
    watcher.close();
    assert.equal((await fetch(`${alive[0]!.url}/readyz`)).status, 200);
  });
});
