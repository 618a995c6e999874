// Every filter of GET /api/events reads PostgreSQL through an index, newest first: EXPLAIN of each page's
// query, on a database filled with 60 000 webhooks (plus row changes, replays, refusals and rooms) and
// ANALYZEd, so the planner chooses with real statistics, shows no sequential scan of events (nor of
// rooms) and no sort of a table's rows — only the merge of the parts' pages, each at most a page, is
// sorted, unless the planner expects few rows of that read (a room's 25, a rare word's). The index each
// filter's webhooks are read through is checked by name where only one fits.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import postgres from 'postgres';
import { createTestDatabase, postgresSkipReason, type TestDatabase } from './helpers/postgres-db.js';
import { migrate } from '../server/store/postgres/schema.js';
import { listingQuery, roomsNamed, ROOMS_NAMED } from '../server/store/postgres/listing.js';
import { MAX_ROOMS_PER_NAME } from '../server/inspector/listing-query.js';
import { parseListingQuery } from '../server/inspector/listing-query.js';
import { SOURCE_IDS } from '../server/platforms/catalog.js';

const skip = postgresSkipReason;

const WEBHOOKS = 60_000;
const PER_ROOM = 25;
const NEWEST_AT = 1_800_000_000_000;
const OLDEST_AT = NEWEST_AT - (WEBHOOKS - 1) * 1000;
const MIDDLE_AT = Math.floor((OLDEST_AT + NEWEST_AT) / 2);
const RECENT_ROOM = Math.floor((WEBHOOKS - 1) / PER_ROOM);

/** A step of a plan (EXPLAIN (FORMAT JSON)), as far as these tests read it. */
interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  /** The planner's estimate of the rows this step yields. */
  'Plan Rows': number;
  Plans?: PlanNode[];
}

interface Read {
  node: string;
  table: string;
  /** The index read ('' for none; a bitmap heap scan's bitmap index scans, joined by +). */
  index: string;
  /** Whether a sort takes this read's rows with no LIMIT in between: it sorts every row the read yields. */
  sorted: boolean;
  /** The rows the planner expects the read to yield. */
  rows: number;
}

/** Rows a sort may take from one read: the few webhooks of one room, or of a rare search, not a log's worth. */
const FEW_ROWS = 1000;

function reads(node: PlanNode, sorting = false, into: Read[] = []): Read[] {
  if (node['Relation Name'] !== undefined) {
    const bitmapIndexes = (node.Plans ?? []).flatMap(function names(child): string[] {
      return [...(child['Index Name'] !== undefined ? [child['Index Name']] : []), ...(child.Plans ?? []).flatMap(names)];
    });
    into.push({ node: node['Node Type'], table: node['Relation Name'], index: node['Index Name'] ?? bitmapIndexes.join('+'), sorted: sorting, rows: node['Plan Rows'] });
  }
  const childSorting = node['Node Type'] === 'Sort' ? true : node['Node Type'] === 'Limit' ? false : sorting;
  for (const child of node.Plans ?? []) reads(child, childSorting, into);
  return into;
}

describe('the listing query plans on PostgreSQL', { skip }, () => {
  let database: TestDatabase;
  let sql: postgres.Sql;

  before(async () => {
    database = await createTestDatabase();
    sql = postgres(database.url, { max: 1, onnotice: () => {} });
    await migrate(sql);
    const sources = SOURCE_IDS.map((id) => `'${id}'`).join(',');
    // Half the webhooks Meet's, the rest spread over the other platforms; one in 200 of a rare type; one
    // in 97 repeated; 25 per room; one a second. Each webhook is followed by a row change, as projection does.
    await sql.unsafe(`
      INSERT INTO events (seq, kind, source, type, created_at, received_at, dedupe_key, room_id, headers, body, repeats)
      SELECT 2 * i - 1, 'webhook', source, type, at, at, 'k' || i, room, '{}',
             convert_to(json_build_object('event', type, 'creationDate', at,
               'data', json_build_object('roomId', room, 'roomName', 'Weekly sync ' || (i / ${PER_ROOM})))::text, 'UTF8'),
             CASE WHEN i % 97 = 96 THEN 1 ELSE 0 END
      FROM generate_series(0, ${WEBHOOKS - 1}) AS i,
        LATERAL (SELECT ${OLDEST_AT}::bigint + i * 1000 AS at,
                        CASE WHEN i % 2 = 0 THEN 'meet' ELSE (ARRAY[${sources}])[2 + (i / 2) % ${SOURCE_IDS.length - 1}] END AS source,
                        -- One room that lives long and has a tenth of every webhook: read in order, not sorted.
                        CASE WHEN i % 10 = 5 THEN 'all-hands' ELSE 'room-' || (i / ${PER_ROOM}) END AS room,
                        CASE WHEN i % 200 = 199 THEN 'recordingFailed' ELSE (ARRAY['meetingStarted','meetingEnded','recordingStarted','recordingUpdated','recordingEnded'])[1 + i % 5] END AS type) AS w;
      INSERT INTO events (seq, kind, source, type, received_at, room_id, headers, body)
      SELECT 2 * i, 'change', 'meet', 'room', ${OLDEST_AT}::bigint + i * 1000, 'room-' || (i / ${PER_ROOM}), '{}', convert_to('{}', 'UTF8')
      FROM generate_series(0, ${WEBHOOKS - 21}) AS i;
      INSERT INTO events (seq, kind, source, type, received_at, room_id, headers, body)
      SELECT 2 * i, 'change', 'meet', 'replay', ${OLDEST_AT}::bigint + i * 1000, 'room-0', '{}',
             convert_to(json_build_object('replayOf', 1, 'type', 'meetingStarted', 'roomId', 'room-0', 'payload', '{}'::json)::text, 'UTF8')
      FROM generate_series(${WEBHOOKS - 20}, ${WEBHOOKS - 1}) AS i;
      INSERT INTO refusals (at, source, reason, headers)
      SELECT ${OLDEST_AT}::bigint + i * ${Math.floor((WEBHOOKS * 1000) / 1000)}, 'meet', 'signature_mismatch', '{}' FROM generate_series(0, 999) AS i;
      INSERT INTO rooms (source, room_id, row)
      SELECT 'meet', 'room-' || r, json_build_object('source', 'meet', 'roomId', 'room-' || r, 'roomName', 'Weekly sync ' || r)::jsonb
      FROM generate_series(0, ${RECENT_ROOM}) AS r;
      ANALYZE;`);
  });
  after(async () => {
    await sql?.end({ timeout: 1 });
    await database?.drop();
  });

  async function plan(query: Record<string, string>): Promise<PlanNode> {
    const filter = parseListingQuery(query);
    const rooms = filter.roomName === undefined ? undefined : await roomsNamed(sql, filter.roomName, filter);
    const listing = listingQuery(filter, rooms);
    assert.ok(listing, 'the filter reads something');
    const [row] = await sql.unsafe<{ 'QUERY PLAN': [{ Plan: PlanNode }] }[]>(`EXPLAIN (FORMAT JSON) ${listing.text}`, listing.params);
    return row!['QUERY PLAN'][0].Plan;
  }

  const FILTERS: Record<string, { query: Record<string, string>; webhooksBy?: string }> = {
    'no filter': { query: {}, webhooksBy: 'events_webhooks_received' },
    'a second platform': { query: { source: SOURCE_IDS[1]! } },
    'a common type': { query: { type: 'meetingStarted' } },
    'a rare type': { query: { type: 'recordingFailed' }, webhooksBy: 'events_webhooks_type' },
    'a recent room': { query: { room: `room-${RECENT_ROOM}` }, webhooksBy: 'events_webhooks_room' },
    'an old room': { query: { room: 'room-3' }, webhooksBy: 'events_webhooks_room' },
    'a room with a tenth of the log': { query: { room: 'all-hands' }, webhooksBy: 'events_webhooks_room' },
    'outcome=accepted': { query: { outcome: 'accepted' }, webhooksBy: 'events_webhooks_received' },
    'outcome=repeat': { query: { outcome: 'repeat' }, webhooksBy: 'events_webhooks_repeated' },
    'outcome=refused': { query: { outcome: 'refused' } },
    'outcome=replay': { query: { outcome: 'replay' } },
    'the last hour': { query: { from: String(NEWEST_AT - 3_600_000) } },
    'an hour in the middle': { query: { from: String(MIDDLE_AT - 3_600_000), to: String(MIDDLE_AT) } },
    'a page from the middle': { query: { before: `${MIDDLE_AT}:w:999999999` } },
    'a rare type from the middle': { query: { type: 'recordingFailed', before: `${MIDDLE_AT}:w:999999999` }, webhooksBy: 'events_webhooks_type' },
    'a search for a room name': { query: { q: `weekly sync ${RECENT_ROOM - 100}` }, webhooksBy: 'events_webhooks_words' },
    'a search for a word in every Meet payload': { query: { q: 'weekly' } },
    'a room name': { query: { roomName: `WEEKLY SYNC ${RECENT_ROOM}` }, webhooksBy: 'events_webhooks_room' },
    'a platform and a type': { query: { source: 'meet', type: 'meetingEnded' } },
  };

  for (const [name, { query, webhooksBy }] of Object.entries(FILTERS)) {
    test(`${name}: every read of events and rooms goes through an index, and no table's rows are sorted`, async () => {
      const found = reads(await plan(query));
      // Only the refusals, kept to the newest 1 000, may be read whole.
      const scans = found.filter((read) => read.index === '' && read.table !== 'refusals');
      assert.deepEqual(scans, [], `reads without an index: ${JSON.stringify(found)}`);
      for (const read of found.filter((read) => read.table === 'events')) assert.match(read.index, /^events_/, JSON.stringify(read));
      // A read whose rows are sorted must be of few rows (a room's, a rare word's): the planner takes
      // them through a bitmap and sorts them when that is cheaper than reading in order. Many rows are
      // read in the listing's order, newest first, and stopped after a page.
      const sorted = found.filter((read) => read.sorted && read.table !== 'refusals' && read.rows > FEW_ROWS);
      assert.deepEqual(sorted, [], `sorts many rows of a read: ${JSON.stringify(found)}`);
      if (webhooksBy !== undefined) {
        assert.ok(
          found.some((read) => read.table === 'events' && read.index === webhooksBy),
          `webhooks read through ${webhooksBy}: ${JSON.stringify(found)}`,
        );
      }
    });
  }

  test('a room name finds its rooms through rooms_by_name', async () => {
    const [row] = await sql.unsafe<{ 'QUERY PLAN': [{ Plan: PlanNode }] }[]>(`EXPLAIN (FORMAT JSON) ${ROOMS_NAMED}`, ['WEEKLY SYNC 7', MAX_ROOMS_PER_NAME + 1]);
    assert.deepEqual(
      reads(row!['QUERY PLAN'][0].Plan).map((read) => `${read.table}:${read.index}`),
      ['rooms:rooms_by_name'],
    );
  });

  test('a page from the middle starts at the cursor: the index range begins there (a row comparison), not at the newest', async () => {
    const filter = parseListingQuery({ source: SOURCE_IDS[1]!, before: `${MIDDLE_AT}:w:999999999` });
    const listing = listingQuery(filter, undefined)!;
    const text = (await sql.unsafe<{ 'QUERY PLAN': string }[]>(`EXPLAIN ${listing.text}`, listing.params)).map((line) => line['QUERY PLAN']).join('\n');
    assert.match(text, /Index Cond: .*ROW\(received_at, seq\) < ROW\(/);
  });
});
