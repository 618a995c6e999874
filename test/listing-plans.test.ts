// Every filter of GET /api/events, alone and in every combination, reads the store through an index in
// the listing's own order: SQLite's EXPLAIN QUERY PLAN for each shows a SEARCH on the expected index
// and no sort of a table's rows ("USE TEMP B-TREE" beside a table read), so the first page costs the
// same however many webhooks are stored. Only the merge of the parts' pages (each at most a page) sorts.
// A search reads the full-text index through its MATCH, newest first; a room name, the rooms by name.
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { makeDataDir } from './helpers/server.js';
import { openDatabase } from '../server/store/sqlite/database.js';
import { EventCatalog, type PlanLine } from '../server/store/sqlite/event-catalog.js';
import { parseListingQuery } from '../server/inspector/listing-query.js';

const dataDir = makeDataDir();
const db = openDatabase(dataDir);
// Two rooms share a name (in any case): a filter by that name reads each of them through the room index.
const NAMED = [
  { source: 'meet', roomId: 'standup-1', name: 'Standup' },
  { source: 'livekit', roomId: 'standup', name: 'standup' },
];
for (const room of NAMED) {
  db.prepare('INSERT INTO rooms (source, room_id, row) VALUES (?, ?, ?)').run(room.source, room.roomId, JSON.stringify({ source: room.source, roomId: room.roomId, roomName: room.name }));
}
const catalog = new EventCatalog(db);
after(() => {
  db.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const CHOICES = {
  q: [undefined, 'daily standup'],
  roomName: [undefined, 'STANDUP'],
  source: [undefined, 'meet'],
  type: [undefined, 'meetingStarted'],
  room: [undefined, 'standup-1'],
  outcome: [undefined, 'accepted', 'repeat', 'refused', 'replay'],
  from: [undefined, '1700000000000'],
  to: [undefined, '1800000000000'],
  before: [undefined, '1750000000000:w:42', '1750000000000:r:7'],
} as const;

/** Every combination of the choices above: 1 920 queries. */
function everyQuery(): Record<string, string>[] {
  let queries: Record<string, string>[] = [{}];
  for (const [name, values] of Object.entries(CHOICES)) {
    queries = queries.flatMap((query) => values.map((value) => (value === undefined ? query : { ...query, [name]: value })));
  }
  return queries;
}

/** The index that should lead a webhook read: the most selective filter given (see EventCatalog.page). */
function expectedWebhookIndex(query: Record<string, string>): string {
  if (query.room) return 'events_webhooks_by_room';
  if (query.type) return 'events_webhooks_by_type';
  if (query.source) return 'events_webhooks_by_source';
  if (query.outcome === 'repeat') return 'events_webhooks_repeated';
  return 'events_webhooks_by_time';
}

/** The reads of stored tables, each with the index it uses ('' for none), and the faults of the plan. */
function inspect(plan: PlanLine[]): { reads: { table: string; index: string; detail: string }[]; faults: string[] } {
  const reads: { table: string; index: string; detail: string }[] = [];
  const faults: string[] = [];
  for (const line of plan) {
    const read = /^(SCAN|SEARCH) (events|refusals|events_text|rooms)\b(?: USING (?:(?:COVERING )?INDEX (\w+)|(INTEGER PRIMARY KEY) \(rowid=\?\))| VIRTUAL TABLE INDEX \d+:(M)\d)?/.exec(line.detail);
    if (!read) continue;
    const index = read[3] ?? (read[4] ? 'rowid' : read[5] ? 'match' : undefined);
    reads.push({ table: read[2]!, index: index ?? '', detail: line.detail });
    // Only the refusals, kept to the newest 1 000, may be walked in index order without a bound; the
    // full-text index is always read through a MATCH.
    if (read[1] === 'SCAN' && read[2] === 'events') faults.push(`scans ${read[2]}: ${line.detail}`);
    if (index === undefined) faults.push(`reads ${read[2]} without an index: ${line.detail}`);
    const sorted = plan.find((other) => other.parent === line.parent && other.detail.startsWith('USE TEMP B-TREE'));
    if (sorted) faults.push(`sorts the rows of ${read[2]}: ${sorted.detail}`);
  }
  return { reads, faults };
}

describe('the listing query plans', () => {
  const queries = everyQuery();

  test('no filter combination scans a table or sorts its rows', () => {
    const failing: string[] = [];
    for (const query of queries) {
      const { faults } = inspect(catalog.explainPage(parseListingQuery(query)));
      if (faults.length > 0) failing.push(`${new URLSearchParams(query).toString() || '(no filter)'}: ${faults.join('; ')}`);
    }
    assert.deepEqual(failing.slice(0, 10), [], `${failing.length} of ${queries.length} filter combinations`);
  });

  test('each part is read through the index that serves its leading filter', () => {
    for (const query of queries) {
      const { reads } = inspect(catalog.explainPage(parseListingQuery(query)));
      const label = new URLSearchParams(query).toString() || '(no filter)';
      const outcome = query.outcome;
      const named = NAMED.filter((room) => (!query.source || room.source === query.source) && (!query.room || room.roomId === query.room));
      const expected: string[] = [];
      if (query.roomName) expected.push('rooms:rooms_by_name');
      if (query.roomName && named.length === 0) {
        // No room of that name within the filter: nothing to read.
      } else {
        if (outcome === undefined || outcome === 'accepted' || outcome === 'repeat') {
          if (query.q) expected.push('events_text:match', 'events:rowid');
          else if (query.roomName) expected.push(...named.map(() => 'events:events_webhooks_by_room'));
          else expected.push(`events:${expectedWebhookIndex(query)}`);
        }
        if ((outcome === undefined || outcome === 'replay') && !query.q) expected.push('events:events_replays_by_time');
        if ((outcome === undefined || outcome === 'refused') && !query.type && !query.room && !query.roomName && !query.q) expected.push('refusals:refusals_at');
      }
      assert.deepEqual(reads.map((read) => `${read.table}:${read.index}`).sort(), expected.sort(), label);
    }
  });

  test('a time range and the page cursor bound the index range, so a later page starts where the last one ended', () => {
    const plan = catalog.explainPage(parseListingQuery({ source: 'meet', from: '1700000000000', before: '1750000000000:w:42' }));
    const webhooks = inspect(plan).reads.find((read) => read.index === 'events_webhooks_by_source')!;
    assert.match(webhooks.detail, /\(kind=\? AND source=\? AND received_at>\? AND received_at<\?\)/);
  });
});
