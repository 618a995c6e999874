// The inspector's search in payloads (q) and its filter by room name (roomName), over real HTTP with each
// real store (SQLite, and PostgreSQL when a server is reachable): what a page lists for each, how they
// combine with the other filters and pages, what is refused, and that a pruned webhook is no longer found.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import Database from 'better-sqlite3';
import postgres from 'postgres';
import { makeDataDir, startTestServer, type TestServer } from './helpers/server.js';
import { serverBackends } from './helpers/server-backends.js';
import { createTestDatabase, postgresSkipReason } from './helpers/postgres-db.js';
import { meetDelivery, post, signed, storeDelivery, type Delivery } from './helpers/meet.js';
import { manualClock } from './helpers/clock.js';
import type { EventPage, InspectorEntry } from '../server/inspector/types.js';

async function list(server: TestServer, query: Record<string, string>): Promise<{ status: number; body: EventPage & { error?: string; message?: string } }> {
  const response = await fetch(`${server.url}/api/events?${new URLSearchParams(query)}`);
  return { status: response.status, body: (await response.json()) as EventPage & { error?: string } };
}

/** Every entry of a listing, page after page through its `next` cursor. */
async function walk(server: TestServer, query: Record<string, string>): Promise<(number | string)[]> {
  const walked: (number | string)[] = [];
  let next: string | null = null;
  do {
    const { body } = await list(server, next ? { ...query, before: next } : query);
    walked.push(...seqs(body));
    next = body.next;
  } while (next !== null);
  return walked;
}

const seqs = (page: EventPage) => page.entries.map((entry: InspectorEntry) => (entry.kind === 'refusal' ? `refusal:${entry.id}` : entry.seq));

const store = (server: TestServer, delivery: Delivery): Promise<number> => storeDelivery(server.url, delivery);

for (const backend of serverBackends) {
  describe(`on ${backend.name}`, { skip: backend.skip }, () => {
    describe('search and room name', () => {
      let server: TestServer;
      const clock = manualClock();
      const seq: Record<string, number> = {};

      before(async () => {
        server = await backend.start({}, { now: clock.now });
        const step = async (name: string, delivery: Delivery) => {
          seq[name] = await store(server, delivery);
          clock.advance(5);
        };
        await step('standupStarted', meetDelivery('meetingStarted', { roomId: 'standup-1', roomName: 'Daily Standup', status: 'active_meeting' }));
        await step('reviewStarted', meetDelivery('meetingStarted', { roomId: 'review-2', roomName: 'Quarterly Review', status: 'active_meeting' }));
        await step('standupRecording', meetDelivery('recordingStarted', { roomId: 'standup-1', recordingId: 'standup-1--EG_abc--x1', status: 'starting' }));
        await step('otherStandup', meetDelivery('meetingStarted', { roomId: 'standup-9', roomName: 'daily standup', status: 'active_meeting' }));
        // A refusal mentioning the same words: refusals keep no body and are never found by a search.
        const forged = meetDelivery('meetingEnded', { roomId: 'standup-1', roomName: 'Daily Standup' });
        assert.equal((await post(server.url, { ...forged, headers: { ...forged.headers, 'x-signature': 'ab'.repeat(32) } })).status, 401);
        clock.advance(5);
        await step('standupEnded', meetDelivery('meetingEnded', { roomId: 'standup-1', roomName: 'Daily Standup', status: 'open' }));
      });
      after(() => server.dispose());

      test('q finds the webhooks whose payload holds the words, newest first, in any case', async () => {
        const { status, body } = await list(server, { q: 'DAILY standup' });
        assert.equal(status, 200);
        assert.deepEqual(seqs(body), [seq.standupEnded, seq.otherStandup, seq.standupStarted]);
        assert.equal(body.next, null);
      });

      test('q finds an id with its punctuation, and the start of a word as typed so far', async () => {
        assert.deepEqual(seqs((await list(server, { q: 'standup-1--EG_abc' })).body), [seq.standupRecording]);
        assert.deepEqual(seqs((await list(server, { q: 'review-2' })).body), [seq.reviewStarted]);
        assert.deepEqual(seqs((await list(server, { q: 'Quarter' })).body), [seq.reviewStarted]);
        assert.deepEqual(seqs((await list(server, { q: 'quarterly reviewing' })).body), []);
      });

      test('q is words, never search syntax: OR, quotes and stars are not operators', async () => {
        assert.deepEqual(seqs((await list(server, { q: 'review OR standup' })).body), []);
        assert.deepEqual(seqs((await list(server, { q: '"quarterly" * review' })).body), [seq.reviewStarted]);
        assert.deepEqual(seqs((await list(server, { q: 'NEAR(daily standup)' })).body), []);
      });

      test('q combines with the other filters, and pages through its matches with the next cursor', async () => {
        assert.deepEqual(seqs((await list(server, { q: 'standup', type: 'meetingStarted' })).body), [seq.otherStandup, seq.standupStarted]);
        assert.deepEqual(seqs((await list(server, { q: 'standup', to: String(clock.now() - 20) })).body), [seq.standupRecording, seq.standupStarted]);
        assert.deepEqual(seqs((await list(server, { q: 'standup', outcome: 'refused' })).body), []);

        assert.deepEqual(await walk(server, { q: 'standup', limit: '1' }), [seq.standupEnded, seq.otherStandup, seq.standupRecording, seq.standupStarted]);
      });

      test('a q with no word, or too many words, is refused with a 400 that says why', async () => {
        const empty = await list(server, { q: '*** ---' });
        assert.equal(empty.status, 400);
        assert.match(empty.body.message ?? '', /q must contain a word/);
        const long = await list(server, { q: 'a b c d e f g h i' });
        assert.equal(long.status, 400);
        assert.match(long.body.message ?? '', /at most 8 words/);
      });

      test('roomName lists every entry of the rooms by that name, in any case, including those whose payload has no name', async () => {
        const { status, body } = await list(server, { roomName: 'daily STANDUP' });
        assert.equal(status, 200);
        assert.deepEqual(seqs(body), [seq.standupEnded, seq.otherStandup, seq.standupRecording, seq.standupStarted]);
        assert.deepEqual(seqs((await list(server, { roomName: 'Daily Standup', room: 'standup-9' })).body), [seq.otherStandup]);
        assert.deepEqual(seqs((await list(server, { roomName: 'Quarterly Review', outcome: 'accepted' })).body), [seq.reviewStarted]);
        assert.deepEqual(seqs((await list(server, { roomName: 'Nobody calls a room this' })).body), []);
      });

      test('roomName pages through several rooms newest first', async () => {
        assert.deepEqual(await walk(server, { roomName: 'Daily Standup', limit: '3' }), [seq.standupEnded, seq.otherStandup, seq.standupRecording, seq.standupStarted]);
      });

      test('q finds the words of JSON text values as decoded, whatever escapes the payload used', async () => {
        const now = Date.now();
        const body = `{"event":"meetingStarted","creationDate":${now},"data":{"roomId":"cafe-7","roomName":"Caf\\u00e9\\nOffsite \\"North\\"","status":"active_meeting"}}`;
        const escaped = await store(server, signed(body, now));
        clock.advance(5);
        assert.deepEqual(seqs((await list(server, { q: 'café offsite north' })).body), [escaped]);
        assert.deepEqual(seqs((await list(server, { q: 'cafe offsite' })).body), [escaped]);
        // Keys are not values: every Meet payload has a roomId key. Nor are numbers (times, counts, sizes).
        assert.deepEqual(seqs((await list(server, { q: 'roomId' })).body), []);
        assert.deepEqual(seqs((await list(server, { q: String(now) })).body), []);
      });
    });

    test('a pruned webhook is no longer found by a search', async () => {
      const server = await backend.start({ EVENT_RETENTION: '1' });
      try {
        await store(server, meetDelivery('meetingStarted', { roomId: 'gone-room', roomName: 'Gone', status: 'active_meeting' }));
        const kept = await store(server, meetDelivery('meetingStarted', { roomId: 'kept-room', roomName: 'Kept', status: 'active_meeting' }));
        assert.equal((await list(server, { q: 'gone room' })).body.entries.length, 1);
        await server.pruneNow();
        assert.deepEqual(seqs((await list(server, { q: 'gone room' })).body), []);
        assert.deepEqual(seqs((await list(server, { q: 'kept room' })).body), [kept]);
        // And SQLite's full-text index let go of it too, in the same commit: it does not grow past the log.
        // (PostgreSQL's is an index of the events table: a deleted row leaves it with the row.)
        if (backend.name === 'sqlite') {
          const file = new Database(path.join(server.dataDir, 'roomwatch.db'), { readonly: true });
          try {
            assert.deepEqual(file.prepare("SELECT -rowid FROM events_text WHERE events_text MATCH 'room'").pluck().all(), [kept]);
          } finally {
            file.close();
          }
        }
      } finally {
        await server.dispose();
      }
    });
  });
}

test('a store from before search existed is searchable: its webhooks are indexed at the first search', async () => {
  const dataDir = makeDataDir();
  const first = await startTestServer({}, dataDir);
  const seqBefore = await store(first, meetDelivery('meetingStarted', { roomId: 'old-room', roomName: 'Old Planning', status: 'active_meeting' }));
  await first.stop();
  // Back to the schema before migration 6: no full-text index, no room-name index (nor what later
  // migrations add).
  const file = new Database(path.join(dataDir, 'roomwatch.db'));
  file.exec(
    "DROP TRIGGER events_text_pruned; DROP TABLE events_text; DROP INDEX rooms_by_name; DELETE FROM meta WHERE key = 'search_indexed_through'; " +
      'ALTER TABLE forward_targets DROP COLUMN stopped_at; ALTER TABLE forward_targets DROP COLUMN stopped_reason; PRAGMA user_version = 5;',
  );
  file.close();
  const reopened = await startTestServer({}, dataDir);
  try {
    assert.deepEqual(seqs((await list(reopened, { q: 'old planning' })).body), [seqBefore]);
    const seqAfter = await store(reopened, meetDelivery('meetingEnded', { roomId: 'old-room', roomName: 'Old Planning', status: 'open' }));
    assert.deepEqual(seqs((await list(reopened, { q: 'old planning' })).body), [seqAfter, seqBefore]);
  } finally {
    await reopened.dispose();
  }
});

test('a PostgreSQL store from before search existed is searchable at once: its migration indexes the stored webhooks', { skip: postgresSkipReason }, async (t) => {
  const database = await createTestDatabase();
  t.after(() => database.drop());
  const env = { DATABASE_URL: database.url };
  const first = await startTestServer(env);
  const seqBefore = await store(first, meetDelivery('meetingStarted', { roomId: 'old-room', roomName: 'Old Planning', status: 'active_meeting' }));
  await first.dispose();
  // Back to the schema before migration 3: no words index, no room-name index (nor what later migrations add).
  const admin = postgres(database.url, { max: 1, onnotice: () => {} });
  await admin.unsafe(
    'DROP INDEX events_webhooks_words; DROP INDEX rooms_by_name; DROP FUNCTION roomwatch_payload_words; DROP FUNCTION roomwatch_append; ' +
      'ALTER TABLE forward_targets DROP COLUMN stopped_at, DROP COLUMN stopped_reason; UPDATE schema_version SET version = 2;',
  );
  await admin.end();
  const reopened = await startTestServer(env);
  try {
    assert.deepEqual(seqs((await list(reopened, { q: 'old planning' })).body), [seqBefore]);
    assert.deepEqual(seqs((await list(reopened, { roomName: 'OLD PLANNING' })).body), [seqBefore]);
  } finally {
    await reopened.dispose();
  }
});
