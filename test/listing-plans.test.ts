// Every filter of GET /api/events, alone and in every combination, reads the store through an index in
// the listing's own order: SQLite's EXPLAIN QUERY PLAN for each shows a SEARCH on the expected index
// and no sort of a table's rows ("USE TEMP B-TREE" beside a table read), so the first page costs the
// same however many webhooks are stored. Only the merge of the parts' pages (each at most a page) sorts.
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { makeDataDir } from './helpers/server.js';
import { openDatabase } from '../server/store/database.js';
import { EventCatalog } from '../server/inspector/event-catalog.js';
import { parseListingQuery } from '../server/inspector/listing-query.js';

interface PlanLine {
  id: number;
  parent: number;
  detail: string;
}

const dataDir = makeDataDir();
const db = openDatabase(dataDir);
const catalog = new EventCatalog(db);
after(() => {
  db.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const CHOICES = {
  source: [undefined, 'meet'],
  type: [undefined, 'meetingStarted'],
  room: [undefined, 'standup-1'],
  outcome: [undefined, 'accepted', 'repeat', 'refused', 'replay'],
  from: [undefined, '1700000000000'],
  to: [undefined, '1800000000000'],
  before: [undefined, '1750000000000:w:42', '1750000000000:r:7'],
} as const;

/** Every combination of the choices above: 960 queries. */
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
    const read = /^(SCAN|SEARCH) (events|refusals)\b(?: USING (?:COVERING )?INDEX (\w+))?/.exec(line.detail);
    if (!read) continue;
    reads.push({ table: read[2]!, index: read[3] ?? '', detail: line.detail });
    // Only the refusals, kept to the newest 1 000, may be walked in index order without a bound.
    if (read[1] === 'SCAN' && read[2] !== 'refusals') faults.push(`scans ${read[2]}: ${line.detail}`);
    if (read[3] === undefined) faults.push(`reads ${read[2]} without an index: ${line.detail}`);
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
      const expected: string[] = [];
      if (outcome === undefined || outcome === 'accepted' || outcome === 'repeat') expected.push(`events:${expectedWebhookIndex(query)}`);
      if (outcome === undefined || outcome === 'replay') expected.push('events:events_replays_by_time');
      if ((outcome === undefined || outcome === 'refused') && !query.type && !query.room) expected.push('refusals:refusals_at');
      assert.deepEqual(reads.map((read) => `${read.table}:${read.index}`).sort(), expected.sort(), label);
    }
  });

  test('a time range and the page cursor bound the index range, so a later page starts where the last one ended', () => {
    const plan = catalog.explainPage(parseListingQuery({ source: 'meet', from: '1700000000000', before: '1750000000000:w:42' }));
    const webhooks = inspect(plan).reads.find((read) => read.index === 'events_webhooks_by_source')!;
    assert.match(webhooks.detail, /\(kind=\? AND source=\? AND received_at>\? AND received_at<\?\)/);
  });
});
