// The event inspector's API over real HTTP with the real SQLite store: the newest-first listing of
// webhooks, replays and refusals with its filters and pages, the detail with masked headers and a curl
// command that is accepted when run, and replay through the projection.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { startTestServer, makeDataDir, type TestServer } from './helpers/server.js';
import { meetDelivery, post, signed, type Delivery } from './helpers/meet.js';
import { openSse } from './helpers/sse.js';
import { manualClock } from './helpers/clock.js';
import { signLiveKitWebhook } from '../server/platforms/livekit/sign.js';
import { signLiveSwitchWebhook } from '../server/platforms/liveswitch/sign.js';
import { basicAuthorization } from '../server/platforms/enablex/sign.js';
import { openDatabase } from '../server/store/sqlite/database.js';
import { REFUSALS_KEPT, keptRefusal, refusalHeaders } from '../server/inspector/refusal-log.js';
import { openTestStore } from './helpers/sqlite-store.js';
import { parseListingQuery } from '../server/inspector/listing-query.js';
import { shellQuote } from '../server/inspector/curl.js';
import { replaceTopLevelNumber } from '../server/platforms/meet/creation-date.js';
import type { EventDetail, EventPage, InspectorEntry, RefusalEntry, ReplayResult } from '../server/inspector/types.js';
import type { RoomRow } from '../server/domain/rows.js';
import type { Refusal } from '../server/ingest/route.js';
import { prettyJson } from '../public/src/json-pretty.js';
import { entryMatches } from '../public/src/event-filter.js';

const LIVEKIT = { apiKey: 'devkey', apiSecret: 'a-livekit-secret-of-32-characters!' };
const LIVEKIT_KEY = { key: LIVEKIT.apiKey, secret: LIVEKIT.apiSecret };
const LIVESWITCH = 'liveswitch-secret';
const ENABLEX = { user: 'enx', password: 'enx-password' };
const OPENVIDU_AUTH = 'Basic T1BFTlZJRFVBUFA6TVlfU0VDUkVU';
const PLATFORMS = {
  LIVEKIT_API_KEY: LIVEKIT.apiKey,
  LIVEKIT_API_SECRET: LIVEKIT.apiSecret,
  LIVESWITCH_SHARED_SECRET: LIVESWITCH,
  ENABLEX_WEBHOOK_USER: ENABLEX.user,
  ENABLEX_WEBHOOK_PASSWORD: ENABLEX.password,
  OPENVIDU_WEBHOOK_HEADERS: JSON.stringify([`Authorization: ${OPENVIDU_AUTH}`]),
};

async function getJson<T>(url: string, init?: RequestInit): Promise<{ status: number; body: T }> {
  const response = await fetch(url, init);
  return { status: response.status, body: (await response.json()) as T };
}
const list = (server: TestServer, query = '') => getJson<EventPage>(`${server.url}/api/events${query}`);
const withCookie = (cookie?: string): RequestInit => (cookie ? { headers: { cookie } } : {});
const detail = (server: TestServer, seq: number, cookie?: string) => getJson<EventDetail>(`${server.url}/api/events/${seq}`, withCookie(cookie));
const replay = (server: TestServer, seq: number, cookie?: string) =>
  getJson<ReplayResult>(`${server.url}/api/events/${seq}/replay`, { method: 'POST', ...withCookie(cookie) });
const PASSWORD = 'correct horse battery';
async function signIn(server: TestServer): Promise<string> {
  const login = await fetch(`${server.url}/login`, { method: 'POST', body: new URLSearchParams({ password: PASSWORD }), redirect: 'manual' });
  return login.headers.getSetCookie().map((header) => header.split(';')[0]).join('; ');
}

async function postTo(server: TestServer, path: string, body: string, headers: Record<string, string>) {
  const response = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: response.status, json: (await response.json()) as { stored?: number[]; repeated?: number[]; error?: string } };
}
const liveswitchPost = (server: TestServer, body: string) => postTo(server, '/webhook/liveswitch', body, { 'x-applicationsignature': signLiveSwitchWebhook(LIVESWITCH, body) });

/** A Meet delivery whose signature is wrong: refused with signature_mismatch. */
const forged = (delivery: Delivery): Delivery => ({ ...delivery, headers: { ...delivery.headers, 'x-signature': 'ab'.repeat(32) } });

const short = (entry: InspectorEntry) =>
  entry.kind === 'refusal' ? `refused:${entry.reason}` : entry.kind === 'replay' ? `replay:${entry.replayOf}` : `${entry.seq}:${entry.outcome}`;

/**
 * What `sh` makes of the command when `curl` is a function that prints its arguments: the exact words
 * curl would get, quoting and variables resolved by a real shell.
 */
function curlWords(command: string, env: Record<string, string> = {}): string[] {
  const script = `curl() { for word in "$@"; do printf '%s\\0' "$word"; done; }\n${command}`;
  const output = execFileSync('sh', ['-c', script], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env } });
  return output.toString('utf8').split('\0').slice(0, -1);
}

/** Sends what curl would send for those words (-X, -H, --data-raw and the URL are all the command uses). */
async function runCurl(command: string, env: Record<string, string> = {}) {
  const words = curlWords(command, env);
  let method = 'GET';
  let url = '';
  let body: string | undefined;
  const headers: [string, string][] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word === '-X') method = words[++i]!;
    else if (word === '-H') {
      const header = words[++i]!;
      headers.push([header.slice(0, header.indexOf(':')), header.slice(header.indexOf(':') + 1).trim()]);
    } else if (word === '--data-raw') body = words[++i]!;
    else if (word.startsWith('-')) throw new Error(`the command uses an option this test does not know: ${word}`);
    else url = word;
  }
  const response = await fetch(url, { method, headers, body });
  return { status: response.status, json: (await response.json()) as { stored?: number[]; repeated?: number[]; error?: string }, body, headers };
}

describe('the listing', () => {
  let server: TestServer;
  /** seq of each stored webhook, by name. */
  const seq: Record<string, number> = {};
  let all: InspectorEntry[];
  // Receive times come from this clock: each step below is 5 ms after the one before, however fast it runs.
  const clock = manualClock();
  const startedAt = clock.now();
  let middleAt: number;

  before(async () => {
    server = await startTestServer(PLATFORMS, undefined, { now: clock.now });
    const standupStarted = meetDelivery('meetingStarted', { roomId: 'standup-1' }, { timestamp: Date.now() });
    seq.standupStarted = ((await post(server.url, standupStarted)).json.stored as number[])[0]!;
    clock.advance(5);
    seq.reviewStarted = ((await post(server.url, meetDelivery('meetingStarted', { roomId: 'review-2' }))).json.stored as number[])[0]!;
    clock.advance(5);
    assert.equal((await post(server.url, standupStarted)).status, 200); // a retry: standupStarted becomes a repeat
    assert.equal((await post(server.url, forged(meetDelivery('meetingEnded', { roomId: 'standup-1' })))).status, 401);
    clock.advance(5);
    middleAt = clock.now();
    clock.advance(5);
    seq.channel = (await liveswitchPost(server, `{"timestamp":${Date.now()},"type":"channel.activated","channelId":"standup-1"}`)).json.stored![0]!;
    clock.advance(5);
    assert.equal((await postTo(server, '/webhook/liveswitch', '{"type":"x"}', { 'x-applicationsignature': 'nope' })).status, 401);
    clock.advance(5);
    seq.standupEnded = ((await post(server.url, meetDelivery('meetingEnded', { roomId: 'standup-1' }))).json.stored as number[])[0]!;
    all = (await list(server, '?limit=200')).body.entries;
  });
  after(() => server.dispose());

  test('mixes stored webhooks and refusals, newest first, with accepted, repeat and refused outcomes', async () => {
    const { status, body } = await list(server);
    assert.equal(status, 200);
    assert.deepEqual(body.entries.map(short), [
      `${seq.standupEnded}:accepted`,
      'refused:malformed_signature',
      `${seq.channel}:accepted`,
      'refused:signature_mismatch',
      `${seq.reviewStarted}:accepted`,
      `${seq.standupStarted}:repeat`,
    ]);
    assert.equal(body.next, null);
    const repeated = body.entries.at(-1)!;
    assert.deepEqual(repeated, { ...repeated, kind: 'event', source: 'meet', type: 'meetingStarted', roomId: 'standup-1', repeats: 1 });
    const refusal = body.entries[3] as RefusalEntry;
    assert.deepEqual([refusal.kind, refusal.source, refusal.ip], ['refusal', 'meet', '127.0.0.1']);
    const times = body.entries.map((entry) => entry.at);
    assert.deepEqual(times, [...times].sort((a, b) => b - a));
  });

  test('pages with `next` from newest to oldest, without a gap or a repeat, and ends with null', async () => {
    const seen: InspectorEntry[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const { status, body }: { status: number; body: EventPage } = await list(server, `?limit=2${cursor ? `&before=${encodeURIComponent(cursor)}` : ''}`);
      assert.equal(status, 200);
      assert.ok(body.entries.length <= 2);
      seen.push(...body.entries);
      cursor = body.next;
      pages += 1;
    } while (cursor !== null && pages < 10);
    assert.equal(pages, 3);
    assert.deepEqual(seen.map(short), all.map(short));
  });

  test('filters by source', async () => {
    assert.deepEqual((await list(server, '?source=liveswitch')).body.entries.map(short), ['refused:malformed_signature', `${seq.channel}:accepted`]);
    assert.deepEqual((await list(server, '?source=livekit')).body.entries, []);
  });

  test('filters by type (exactly), which leaves refusals out', async () => {
    assert.deepEqual((await list(server, '?type=meetingStarted')).body.entries.map(short), [`${seq.reviewStarted}:accepted`, `${seq.standupStarted}:repeat`]);
    assert.deepEqual((await list(server, '?type=meeting')).body.entries, []);
  });

  test('filters by room, across platforms', async () => {
    assert.deepEqual((await list(server, '?room=standup-1')).body.entries.map(short), [
      `${seq.standupEnded}:accepted`,
      `${seq.channel}:accepted`,
      `${seq.standupStarted}:repeat`,
    ]);
  });

  test('filters by outcome', async () => {
    const outcome = async (name: string) => (await list(server, `?outcome=${name}`)).body.entries.map(short);
    assert.deepEqual(await outcome('accepted'), [`${seq.standupEnded}:accepted`, `${seq.channel}:accepted`, `${seq.reviewStarted}:accepted`]);
    assert.deepEqual(await outcome('repeat'), [`${seq.standupStarted}:repeat`]);
    assert.deepEqual(await outcome('refused'), ['refused:malformed_signature', 'refused:signature_mismatch']);
    assert.deepEqual(await outcome('replay'), []);
  });

  test('filters by receive time, both bounds inclusive, and combines filters', async () => {
    assert.deepEqual((await list(server, `?from=${middleAt}`)).body.entries.map(short), all.slice(0, 3).map(short));
    assert.deepEqual((await list(server, `?from=${startedAt}&to=${middleAt}`)).body.entries.map(short), all.slice(3).map(short));
    const exact = all[2]!.at;
    assert.ok((await list(server, `?from=${exact}&to=${exact}`)).body.entries.some((entry) => short(entry) === short(all[2]!)));
    assert.deepEqual((await list(server, `?source=meet&outcome=accepted&from=${middleAt}`)).body.entries.map(short), [`${seq.standupEnded}:accepted`]);
  });

  test('the page filters live entries the way the server filters a page', async () => {
    const filters: [Parameters<typeof entryMatches>[1], string][] = [
      [{ source: 'liveswitch' }, '?source=liveswitch'],
      [{ type: 'meetingStarted' }, '?type=meetingStarted'],
      [{ room: 'standup-1' }, '?room=standup-1'],
      [{ outcome: 'refused' }, '?outcome=refused'],
      [{ outcome: 'repeat' }, '?outcome=repeat'],
      [{ from: middleAt }, `?from=${middleAt}`],
      [{ to: middleAt }, `?to=${middleAt}`],
    ];
    for (const [filter, query] of filters) {
      const server_ = (await list(server, query)).body.entries.map(short);
      assert.deepEqual(all.filter((entry) => entryMatches(entry, filter)).map(short), server_, query);
      assert.ok(server_.length > 0 && server_.length < all.length, `${query} selects some`);
    }
  });

  test('a bad query value is a 400 that names it', async () => {
    const cases: [string, RegExp][] = [
      ['?source=zoom', /source must be one of meet/],
      ['?outcome=lost', /outcome must be one of accepted/],
      ['?from=yesterday', /from must be a time in milliseconds/],
      ['?to=-5', /to must be a time/],
      ['?from=20&to=10', /from must not be later than to/],
      ['?before=abc', /before must be the `next` value/],
      ['?before=1:x:2', /before must be/],
      ['?limit=0', /limit must be a whole number from 1 to 200/],
      ['?limit=201', /limit must be/],
      ['?limit=ten', /limit must be/],
      ['?source=meet&source=livekit', /source must be given once/],
      ['?rooom=standup-1', /unknown parameter rooom/],
      [`?type=${'t'.repeat(301)}`, /type must be at most 300 characters/],
    ];
    for (const [query, message] of cases) {
      const { status, body } = await getJson<{ error: string; message: string }>(`${server.url}/api/events${query}`);
      assert.equal(status, 400, query);
      assert.equal(body.error, 'invalid_query', query);
      assert.match(body.message, message, query);
    }
  });

  test('limit caps the page, and an empty value counts as no filter', async () => {
    const { body } = await list(server, '?limit=1&source=&type=&outcome=');
    assert.deepEqual(body.entries.map(short), [short(all[0]!)]);
    assert.notEqual(body.next, null);
  });
});

describe('the listing order, read from the store directly', () => {
  test('entries received in the same millisecond page correctly: webhooks and replays before refusals, then by id', async () => {
    const dataDir = makeDataDir();
    const events = await openTestStore(dataDir, { now: () => 1_000 });
    try {
      const refusal = (at: number): Refusal => ({ source: 'meet', reason: 'signature_mismatch', detail: undefined, ip: '10.0.0.1', at, headers: {} });
      const webhook = (n: number) => ({
        source: 'meet' as const,
        type: 'meetingStarted',
        createdAt: n,
        dedupeKey: `k${n}`,
        roomId: 'r',
        headers: {},
        body: Buffer.from('{}'),
      });
      await events.append([webhook(1), webhook(2)]);
      await events.recordRefusal(keptRefusal(refusal(1_000)));
      await events.recordRefusal(keptRefusal(refusal(1_000)));
      await events.recordRefusal(keptRefusal(refusal(999)));
      await events.append([webhook(3)]);
      await events.writeRows(() => [], {
        note: { source: 'meet', type: 'replay', roomId: 'r', body: Buffer.from('{"replayOf":1,"source":"meet","type":"meetingStarted","roomId":"r","payload":{}}') },
      });

      const full = (await events.listEvents(parseListingQuery({ limit: '200' }))).entries.map(short);
      assert.deepEqual(full, ['replay:1', '3:accepted', '2:accepted', '1:accepted', 'refused:signature_mismatch', 'refused:signature_mismatch', 'refused:signature_mismatch']);
      const ids = (await events.listEvents(parseListingQuery({ outcome: 'refused' }))).entries.map((entry) => (entry as RefusalEntry).id);
      assert.deepEqual(ids, [2, 1, 3]);
      for (const limit of [1, 2, 3, 4]) {
        const seen: string[] = [];
        let before: string | undefined;
        for (let pages = 0; pages < 10; pages++) {
          const page = await events.listEvents(parseListingQuery({ limit: String(limit), ...(before && { before }) }));
          seen.push(...page.entries.map((entry) => `${short(entry)}#${entry.kind === 'refusal' ? entry.id : entry.seq}`));
          if (page.next === null) break;
          before = page.next;
        }
        assert.deepEqual(seen.map((s) => s.split('#')[0]), full, `pages of ${limit}`);
        assert.equal(new Set(seen).size, seen.length, `pages of ${limit} repeat nothing`);
      }
    } finally {
      await events.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test('the refusal log keeps only the newest entries', async () => {
    const dataDir = makeDataDir();
    const store = await openTestStore(dataDir);
    try {
      for (let at = 1; at <= REFUSALS_KEPT + 2; at++) {
        await store.recordRefusal(keptRefusal({ source: 'livekit', reason: 'invalid_token', detail: `n${at}`, ip: undefined, at, headers: {} }));
      }
      const kept = (await store.listEvents(parseListingQuery({ limit: '3' }))).entries as RefusalEntry[];
      assert.deepEqual(kept.map((entry) => entry.detail), [`n${REFUSALS_KEPT + 2}`, `n${REFUSALS_KEPT + 1}`, `n${REFUSALS_KEPT}`]);
    } finally {
      await store.close();
    }
    const db = openDatabase(dataDir);
    try {
      assert.equal((db.prepare('SELECT count(*) AS n FROM refusals').get() as { n: number }).n, REFUSALS_KEPT);
    } finally {
      db.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('refusals', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer(PLATFORMS);
  });
  after(() => server.dispose());

  test('keep no body and no header value but content-type, user-agent and content-length, in the store or on the stream', async () => {
    const sse = await openSse(`${server.url}/events`);
    const marker = 'BODY-MARKER-7d1f2a';
    const token = 'TOKEN-VALUE-93be51';
    const body = JSON.stringify({ event: 'room_started', note: marker });
    const answer = await postTo(server, '/webhook/livekit', body, { authorization: `Bearer ${token}.x.y`, 'user-agent': 'Go-http-client/1.1', 'x-extra': token });
    assert.equal(answer.status, 401);

    const frames = await sse.waitFor((all) => all.some((frame) => frame.event === 'refusal'));
    sse.close();
    const frame = frames.find((f) => f.event === 'refusal')!;
    assert.equal(frame.id, undefined, 'a refusal frame is transient: no id');
    const live = JSON.parse(frame.data) as RefusalEntry;
    assert.deepEqual([live.kind, live.source, live.reason, live.outcome], ['refusal', 'livekit', 'invalid_token', 'refused']);
    assert.equal(live.headers.authorization, '[masked]');
    assert.ok(Object.values(live.headers).every((value) => value === '[masked]'), 'the frame carries header names only');

    const { body: page } = await list(server, '?outcome=refused');
    const stored = page.entries[0] as RefusalEntry;
    assert.equal(stored.id, live.id);
    assert.deepEqual(
      [stored.headers['content-type'], stored.headers['user-agent'], stored.headers['content-length'], stored.headers.authorization, stored.headers['x-extra']],
      ['application/json', 'Go-http-client/1.1', String(Buffer.byteLength(body)), '[masked]', '[masked]'],
    );

    const everywhere = [JSON.stringify(page), sse.raw(), ...storeFiles(server.dataDir)];
    for (const text of everywhere) {
      assert.ok(!text.includes(marker), 'the refused body is kept nowhere');
      assert.ok(!text.includes(token), 'the refused credential is kept nowhere');
    }
  });

  test('a refused body is not kept even when it is the refusal reason (bad JSON)', async () => {
    const marker = 'NOT-AN-OBJECT-MARKER-5c2e';
    const meet = signed(`[${JSON.stringify(marker)}]`, Date.now());
    assert.equal((await post(server.url, meet)).status, 400);
    const { body: page } = await list(server, '?source=meet&outcome=refused');
    assert.equal((page.entries[0] as RefusalEntry).reason, 'bad_json');
    assert.ok(!JSON.stringify(page).includes(marker));
  });

  test('refusalHeaders keeps three harmless values and the names of the rest', () => {
    assert.deepEqual(
      refusalHeaders({ 'content-type': 'text/plain', 'user-agent': 'x'.repeat(300), 'content-length': '12', authorization: 'Basic c2VjcmV0', 'x-signature': 'ab', cookie: 'sid=1', host: 'h' }),
      { 'content-type': 'text/plain', 'user-agent': `${'x'.repeat(200)}…`, 'content-length': '12', authorization: '[masked]', 'x-signature': '[masked]', cookie: '[masked]', host: '[masked]' },
    );
  });
});

/** The SQLite file and its WAL, as text: what a refusal leaves on disk. */
function storeFiles(dataDir: string): string[] {
  return readdirSync(dataDir)
    .filter((name) => name.startsWith('roomwatch.db'))
    .map((name) => readFileSync(path.join(dataDir, name)).toString('latin1'));
}

describe('the detail and its curl command, signed in', () => {
  let server: TestServer;
  let cookie: string;
  before(async () => {
    server = await startTestServer({ ...PLATFORMS, DASHBOARD_PASSWORD: PASSWORD });
    cookie = await signIn(server);
  });
  after(() => server.dispose());

  test('shows the stored headers (no signature, credentials masked) and the body as received', async () => {
    const delivery = meetDelivery('meetingStarted', { roomId: 'standup-1', creationDate: 1700000000000 });
    const seq = ((await post(server.url, delivery)).json.stored as number[])[0]!;
    const { status, body } = await detail(server, seq, cookie);
    assert.equal(status, 200);
    assert.deepEqual(
      { ...body, curl: undefined, curlNotes: undefined, createdAt: undefined, receivedAt: undefined },
      {
        seq,
        source: 'meet',
        type: 'meetingStarted',
        roomId: 'standup-1',
        repeats: 0,
        lastRepeatAt: null,
        headers: { 'x-timestamp': delivery.headers['x-timestamp'], 'content-type': 'application/json', 'user-agent': 'node' },
        body: delivery.body,
        bodyIsJson: true,
        curl: undefined,
        curlNotes: undefined,
        createdAt: undefined,
        receivedAt: undefined,
      },
    );
    assert.equal(body.createdAt, Number(delivery.headers['x-timestamp']));
    assert.ok(!JSON.stringify(body.headers).includes(delivery.headers['x-signature']!));

    const livekitBody = `{"event":"room_started","id":"EV_detail","createdAt":"${Math.floor(Date.now() / 1000)}","room":{"sid":"RM_1","name":"standup"}}`;
    const token = await signLiveKitWebhook(LIVEKIT_KEY, livekitBody);
    const stored = (await postTo(server, '/webhook/livekit', livekitBody, { authorization: token })).json.stored![0]!;
    const livekit = (await detail(server, stored, cookie)).body;
    assert.equal(livekit.headers.authorization, '[masked]');
    assert.equal(livekit.roomId, 'RM_1');
    // (The curl command carries a token made now, which is the very same one within the same second.)
    assert.ok(!JSON.stringify({ ...livekit, curl: null }).includes(token), 'the token received is not kept');
  });

  test('Meet: the curl command, run, is accepted as a new delivery, with only creationDate changed', async () => {
    const delivery = meetDelivery('meetingStarted', { roomId: 'curl-room', creationDate: 1700000000000, note: "it's \"quoted\" $HOME `x` \\ ñ" });
    const seq = ((await post(server.url, delivery)).json.stored as number[])[0]!;
    const { body } = await detail(server, seq, cookie);
    assert.ok(body.curl?.startsWith(`curl -X POST '${server.url}/webhook'`));
    const sent = await runCurl(body.curl!);
    assert.equal(sent.status, 200, JSON.stringify(sent.json));
    assert.equal(sent.json.stored?.length, 1, 'stored as a new delivery');
    const timestamp = sent.headers.find(([name]) => name === 'X-Timestamp')![1];
    assert.equal(sent.body, delivery.body.replace(`"creationDate":${delivery.headers['x-timestamp']}`, `"creationDate":${timestamp}`));
    assert.ok(sent.body!.includes('"creationDate":1700000000000'), "the room's own creationDate is left alone");
    assert.equal((await detail(server, sent.json.stored![0]!, cookie)).body.body, sent.body);
    assert.match(body.curlNotes.join(' '), /new delivery/);
  });

  test('LiveSwitch: a single event is acknowledged as a repeat, a batch element alone is stored anew', async () => {
    const single = `{"timestamp":${Date.now()},"type":"channel.activated","channelId":"c1"}`;
    const seq = (await liveswitchPost(server, single)).json.stored![0]!;
    const again = await runCurl((await detail(server, seq, cookie)).body.curl!);
    assert.deepEqual([again.status, again.json.repeated], [200, [seq]]);

    const batch = `[{"timestamp":${Date.now()},"type":"client.joined","channelId":"c1"},{"timestamp":${Date.now()},"type":"client.left","channelId":"c1"}]`;
    const elements = (await liveswitchPost(server, batch)).json.stored!;
    const { body } = await detail(server, elements[1]!, cookie);
    assert.equal(body.body, JSON.stringify(JSON.parse(batch)[1]));
    const sent = await runCurl(body.curl!);
    assert.equal(sent.status, 200, JSON.stringify(sent.json));
    assert.equal(sent.json.stored?.length, 1);
    assert.match(body.curlNotes.join(' '), /repeat/);
  });

  test('LiveKit: a fresh token is accepted; the event id makes it a repeat, as the note says', async () => {
    const livekitBody = `{"event":"room_finished","id":"EV_curl","createdAt":"${Math.floor(Date.now() / 1000)}","room":{"sid":"RM_2","name":"standup"}}`;
    const seq = (await postTo(server, '/webhook/livekit', livekitBody, { authorization: await signLiveKitWebhook(LIVEKIT_KEY, livekitBody) })).json.stored![0]!;
    const { body } = await detail(server, seq, cookie);
    assert.match(body.curlNotes.join(' '), /repeat of #\d+ unless the id is changed/);
    const sent = await runCurl(body.curl!);
    assert.deepEqual([sent.status, sent.json.repeated], [200, [seq]]);
  });

  test('an event of a platform that is no longer configured has no command, and a note says why', async () => {
    const dataDir = makeDataDir();
    let first: TestServer | undefined = await startTestServer({ LIVESWITCH_SHARED_SECRET: LIVESWITCH }, dataDir);
    try {
      const seq = (await liveswitchPost(first, '{"type":"channel.activated","channelId":"c9"}')).json.stored![0]!;
      await first.stop();
      first = await startTestServer({}, dataDir);
      const { body } = await detail(first, seq);
      assert.equal(body.curl, null);
      assert.match(body.curlNotes[0]!, /liveswitch webhooks are not enabled here: set LIVESWITCH_SHARED_SECRET/);
    } finally {
      await first?.dispose();
    }
  });

  test('an unknown sequence number is a 404, a malformed one a 400, and a change entry is not a webhook', async () => {
    assert.equal((await detail(server, 999_999, cookie)).status, 404);
    assert.equal((await replay(server, 999_999, cookie)).status, 404);
    assert.equal((await getJson(`${server.url}/api/events/abc`, withCookie(cookie))).status, 400);
    const seq = ((await post(server.url, meetDelivery('meetingStarted', { roomId: 'change-room' }))).json.stored as number[])[0]!;
    // The room change this webhook caused is the next entry of the log.
    const { status, body } = await getJson<{ error: string }>(`${server.url}/api/events/${seq + 1}`, withCookie(cookie));
    assert.deepEqual([status, body.error], [404, 'not_found']);
  });
});

describe('the curl command on an open dashboard', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer(PLATFORMS);
  });
  after(() => server.dispose());

  test('EnableX and OpenVidu 2 without a dashboard password: placeholders, which work once set', async () => {
    const enablexBody = '{"type":"roomdrop","trans_date":1614321234,"room_id":"60a1"}';
    const enx = (await postTo(server, '/webhook/enablex', enablexBody, { authorization: basicAuthorization(ENABLEX) })).json.stored![0]!;
    const { body } = await detail(server, enx);
    assert.ok(!body.curl!.includes(basicAuthorization(ENABLEX)), 'no credential in the command');
    assert.match(body.curl!, /"\$ENABLEX_AUTHORIZATION"/);
    assert.match(body.curlNotes.join(' '), /set ENABLEX_AUTHORIZATION/);
    const sent = await runCurl(body.curl!, { ENABLEX_AUTHORIZATION: basicAuthorization(ENABLEX) });
    assert.deepEqual([sent.status, sent.json.repeated], [200, [enx]]);
    assert.equal((await runCurl(body.curl!)).status, 401, 'without the variable the placeholder is empty');

    const openviduBody = `{"sessionId":"ses_A","timestamp":${Date.now()},"event":"sessionCreated"}`;
    const ov = (await postTo(server, '/webhook/openvidu', openviduBody, { authorization: OPENVIDU_AUTH })).json.stored![0]!;
    const openvidu = (await detail(server, ov)).body;
    assert.ok(!openvidu.curl!.includes(OPENVIDU_AUTH));
    const ovSent = await runCurl(openvidu.curl!, { OPENVIDU_AUTHORIZATION: OPENVIDU_AUTH });
    assert.deepEqual([ovSent.status, ovSent.json.repeated], [200, [ov]]);
  });

  test('Meet, LiveKit and LiveSwitch: no fresh signature is handed out, only a placeholder and how to fill it', async () => {
    const delivery = meetDelivery('meetingStarted', { roomId: 'open-room' });
    const meet = (await detail(server, ((await post(server.url, delivery)).json.stored as number[])[0]!)).body;
    assert.match(meet.curl!, /"\$MEET_SIGNATURE"/);
    assert.doesNotMatch(meet.curl!, /X-Signature: [0-9a-f]{64}/);
    assert.match(meet.curlNotes.join(' '), /no password .* set MEET_SIGNATURE/);
    assert.equal((await runCurl(meet.curl!)).status, 401, 'unsigned, it is refused');
    const timestamp = /X-Timestamp: (\d+)/.exec(meet.curl!)![1]!;
    const words = curlWords(meet.curl!);
    const sentBody = words[words.indexOf('--data-raw') + 1]!;
    const accepted = await runCurl(meet.curl!, { MEET_SIGNATURE: createHmac('sha256', 'meet-api-key').update(`${timestamp}.${sentBody}`).digest('hex') });
    assert.equal(accepted.json.stored?.length, 1, 'signed by hand as the note says, it is a new delivery');

    const livekitBody = `{"event":"room_started","id":"EV_open","createdAt":"${Math.floor(Date.now() / 1000)}","room":{"sid":"RM_9","name":"open"}}`;
    const lk = (await postTo(server, '/webhook/livekit', livekitBody, { authorization: await signLiveKitWebhook(LIVEKIT_KEY, livekitBody) })).json.stored![0]!;
    const livekit = (await detail(server, lk)).body;
    assert.match(livekit.curl!, /"\$LIVEKIT_TOKEN"/);
    assert.doesNotMatch(livekit.curl!, /Authorization: ey/);

    const single = `{"timestamp":${Date.now()},"type":"channel.activated","channelId":"open"}`;
    const ls = (await detail(server, (await liveswitchPost(server, single)).json.stored![0]!)).body;
    assert.match(ls.curl!, /"\$LIVESWITCH_SIGNATURE"/);
    assert.ok(!ls.curl!.includes(signLiveSwitchWebhook(LIVESWITCH, single)));
  });
});

describe('with a dashboard password', () => {
  let server: TestServer;
  let cookie = '';
  before(async () => {
    server = await startTestServer({ ...PLATFORMS, DASHBOARD_PASSWORD: 'correct horse battery' });
    const login = await fetch(`${server.url}/login`, { method: 'POST', body: new URLSearchParams({ password: 'correct horse battery' }), redirect: 'manual' });
    cookie = login.headers.getSetCookie().map((header) => header.split(';')[0]).join('; ');
  });
  after(() => server.dispose());

  test('the API needs a session', async () => {
    assert.equal((await fetch(`${server.url}/api/events`)).status, 401);
    assert.equal((await fetch(`${server.url}/api/events`, { headers: { cookie } })).status, 200);
  });

  test('the EnableX command carries the real credentials, and is accepted', async () => {
    const enablexBody = '{"type":"recording","trans_date":1614321299,"room_id":"60a2"}';
    const seq = (await postTo(server, '/webhook/enablex', enablexBody, { authorization: basicAuthorization(ENABLEX) })).json.stored![0]!;
    const { body } = await getJson<EventDetail>(`${server.url}/api/events/${seq}`, { headers: { cookie } });
    assert.ok(body.curl!.includes(`Authorization: ${basicAuthorization(ENABLEX)}`));
    const sent = await runCurl(body.curl!);
    assert.deepEqual([sent.status, sent.json.repeated], [200, [seq]]);
  });

  test('replay from another site is refused like any other write', async () => {
    const seq = ((await post(server.url, meetDelivery('meetingStarted', { roomId: 'x-site' }))).json.stored as number[])[0]!;
    const response = await fetch(`${server.url}/api/events/${seq}/replay`, { method: 'POST', headers: { cookie, origin: 'https://evil.example' } });
    assert.equal(response.status, 403);
  });
});

describe('replay', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer(PLATFORMS);
  });
  after(() => server.dispose());

  const room = async (roomId: string) =>
    (await getJson<{ rooms: RoomRow[] }>(`${server.url}/api/rooms`)).body.rooms.find((row) => row.roomId === roomId);

  test('re-creates a room whose row was lost, streams a `replay` frame (never a default frame), and lists it', async () => {
    const started = meetDelivery('meetingStarted', { roomId: 'lost-room', roomName: 'lost', status: 'active_meeting' });
    const seq = ((await post(server.url, started)).json.stored as number[])[0]!;
    assert.equal((await room('lost-room'))?.status, 'active_meeting');

    // Lose the row behind roomwatch's back (a second connection on the same WAL database).
    const db = new Database(path.join(server.dataDir, 'roomwatch.db'));
    db.prepare('DELETE FROM rooms WHERE room_id = ?').run('lost-room');
    db.close();
    assert.equal(await room('lost-room'), undefined);

    const sse = await openSse(`${server.url}/events`);
    const { status, body } = await replay(server, seq);
    assert.equal(status, 200);
    assert.ok(body.replayedAs > seq);
    assert.equal(body.changes, 1);
    assert.equal((await room('lost-room'))?.status, 'active_meeting');

    await sse.waitFor((all) => all.some((frame) => frame.event === 'room' && frame.id === String(body.replayedAs + 1)));
    sse.close();
    // The stored entries streamed (frames without an id, such as the Meet API status, are not entries).
    const frames = sse.frames.filter((frame) => frame.id !== undefined);
    assert.deepEqual(
      frames.map((frame) => [frame.event, Number(frame.id)]),
      [
        ['replay', body.replayedAs],
        ['room', body.replayedAs + 1],
      ],
    );
    const note = JSON.parse(frames[0]!.data) as { replayOf: number; source: string; type: string; roomId: string; payload: unknown };
    assert.deepEqual(note, { replayOf: seq, source: 'meet', type: 'meetingStarted', roomId: 'lost-room', payload: JSON.parse(started.body) });
    assert.ok(frames[0]!.data.endsWith(`"payload":${started.body}}`), 'the payload is the body as received');
    assert.ok(!sse.frames.some((frame) => frame.event === undefined), 'no default frame: Meet tutorial clients see no new webhook');

    const { body: page } = await list(server, '?outcome=replay');
    assert.deepEqual(page.entries, [
      { kind: 'replay', seq: body.replayedAs, at: page.entries[0]!.at, source: 'meet', type: 'meetingStarted', roomId: 'lost-room', outcome: 'replay', replayOf: seq },
    ]);
    assert.deepEqual((await list(server, '?outcome=replay&type=meetingStarted&room=lost-room')).body.entries.length, 1);
    assert.deepEqual((await list(server, '?outcome=replay&type=meetingEnded')).body.entries, []);
  });

  test('an older event replayed over a newer row changes nothing; the newest one applies again', async () => {
    const now = Date.now();
    const started = meetDelivery('meetingStarted', { roomId: 'order-room', roomName: 'order', status: 'active_meeting' }, { timestamp: now - 2000 });
    const ended = meetDelivery('meetingEnded', { roomId: 'order-room', roomName: 'order', status: 'open' }, { timestamp: now - 1000 });
    const startedSeq = ((await post(server.url, started)).json.stored as number[])[0]!;
    const endedSeq = ((await post(server.url, ended)).json.stored as number[])[0]!;
    assert.equal((await room('order-room'))?.status, 'open');

    const old = await replay(server, startedSeq);
    assert.deepEqual([old.status, old.body.changes], [200, 0]);
    assert.equal((await room('order-room'))?.status, 'open', 'a replayed old event never moves a row back');

    // Someone else set the row to an older state (a stale REST read would): replaying the newer event fixes it.
    const db = new Database(path.join(server.dataDir, 'roomwatch.db'));
    const stored = db.prepare<[string], { row: string }>("SELECT row FROM rooms WHERE source = 'meet' AND room_id = ?").get('order-room')!;
    const row = JSON.parse(stored.row) as RoomRow;
    db.prepare("UPDATE rooms SET row = ? WHERE source = 'meet' AND room_id = ?").run(JSON.stringify({ ...row, status: 'active_meeting', eventAt: now - 2000 }), 'order-room');
    db.close();
    const newer = await replay(server, endedSeq);
    assert.equal(newer.status, 200, JSON.stringify(newer.body));
    assert.equal(newer.body.changes, 1);
    assert.equal((await room('order-room'))?.status, 'open');
  });
});

describe('helpers', () => {
  test('shellQuote survives sh for every awkward character', () => {
    const text = `it's "q" $HOME \`id\` \\ \n ñ !`;
    assert.deepEqual(curlWords(`curl ${shellQuote(text)}`), [text]);
  });

  test('replaceTopLevelNumber changes the top-level key only, every other byte kept', () => {
    assert.equal(replaceTopLevelNumber('{"event":"x", "creationDate" : 12,"data":{"creationDate":12}}', 'creationDate', 99), '{"event":"x", "creationDate" : 99,"data":{"creationDate":12}}');
    assert.equal(replaceTopLevelNumber('{"data":{"creationDate":12},"creation\\u0044ate":12}', 'creationDate', 7), '{"data":{"creationDate":12},"creation\\u0044ate":7}');
    assert.equal(replaceTopLevelNumber('{"note":"\\"creationDate\\":5","creationDate":5}', 'creationDate', 6), '{"note":"\\"creationDate\\":5","creationDate":6}');
    assert.equal(replaceTopLevelNumber('{"data":{"creationDate":12}}', 'creationDate', 7), undefined);
  });

  test('prettyJson indents without re-reading numbers or reordering keys', () => {
    assert.equal(prettyJson('{"b":12345678901234567890,"1":[],"a":{"x":[1,2.50]},"s":"a,{b}:\\"c"}'), [
      '{',
      '  "b": 12345678901234567890,',
      '  "1": [],',
      '  "a": {',
      '    "x": [',
      '      1,',
      '      2.50',
      '    ]',
      '  },',
      '  "s": "a,{b}:\\"c"',
      '}',
    ].join('\n'));
  });
});
