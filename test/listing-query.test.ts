// The inspector's query parsing, pure: a search is its words, written as one FTS5 phrase and never FTS5 syntax;
// q and roomName join the listing's filter; the export's format and its refusals. And the page's own
// filter in the route, with which live entries it takes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidQuery, parseExportQuery, parseListingQuery, searchWords } from '../server/inspector/listing-query.js';
import { ftsPhrase } from '../server/store/sqlite/event-catalog.js';
import { entryMatches, filterFromParams, filterToParams, takesLiveEntries } from '../public/src/event-filter.js';
import type { InspectorEntry } from '../server/inspector/types.js';

test('a search is its words as one phrase, any punctuation dropped; a last word of 3 or more letters is also a prefix', () => {
  const cases: [string, string][] = [
    ['standup', '"standup" *'],
    ['Daily Standup', '"Daily Standup" *'],
    ['standup-1', '"standup 1"'],
    ['RM_abc--EG_x', '"RM abc EG x"'],
    ['"quoted" OR NEAR(a b) *', '"quoted OR NEAR a b"'],
    ['  café   Zürich ', '"café Zürich" *'],
    ['会議室 3', '"会議室 3"'],
  ];
  for (const [q, expression] of cases) assert.equal(ftsPhrase(searchWords(q)), expression, q);
});

test('a search with no word or with more than 8 is refused, naming q', () => {
  for (const q of ['***', '" - "', '']) assert.throws(() => searchWords(q), (error: unknown) => error instanceof InvalidQuery && /q must contain a word/.test(error.message));
  assert.throws(() => searchWords('a b c d e f g h i'), /q must have at most 8 words/);
  assert.deepEqual(searchWords('a b c d e f g h'), { words: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'], prefix: false });
});

test('q and roomName join the listing filter; text over 300 characters is refused', () => {
  assert.deepEqual(parseListingQuery({ q: 'daily standup', roomName: 'Daily Standup', source: 'meet' }), {
    limit: 50,
    search: { words: ['daily', 'standup'], prefix: true },
    roomName: 'Daily Standup',
    source: 'meet',
  });
  assert.deepEqual(parseListingQuery({ q: '', roomName: '' }), { limit: 50 });
  assert.throws(() => parseListingQuery({ roomName: 'x'.repeat(301) }), /roomName must be at most 300 characters/);
  assert.throws(() => parseListingQuery({ q: ['a', 'b'] }), /q must be given once/);
});

test('an export needs a format, takes the listing filter, and no limit', () => {
  assert.deepEqual(parseExportQuery({ format: 'csv', type: 'meetingStarted' }), { format: 'csv', filter: { limit: 50, type: 'meetingStarted' } });
  assert.deepEqual(parseExportQuery({ format: 'jsonl' }).format, 'jsonl');
  assert.throws(() => parseExportQuery({}), /format must be one of jsonl, csv/);
  assert.throws(() => parseExportQuery({ format: 'xlsx' }), /format must be one of jsonl, csv/);
  assert.throws(() => parseExportQuery({ format: 'csv', limit: '10' }), /leave out limit/);
  assert.throws(() => parseExportQuery({ format: 'csv', sort: 'asc' }), /unknown parameter sort/);
});

test('the page keeps q and roomName in its route, and a list of either takes no live entries', () => {
  const filter = filterFromParams(new URLSearchParams('q=daily+standup&roomName=Daily+Standup&source=meet'));
  assert.deepEqual(filter, { q: 'daily standup', roomName: 'Daily Standup', source: 'meet' });
  assert.equal(filterToParams(filter).toString(), 'q=daily+standup&source=meet&roomName=Daily+Standup');
  const entry: InspectorEntry = { kind: 'event', seq: 1, at: 1, source: 'meet', type: 'meetingStarted', roomId: 'standup-1', outcome: 'accepted', repeats: 0 };
  assert.equal(takesLiveEntries({ source: 'meet' }), true);
  assert.equal(entryMatches(entry, { source: 'meet' }), true);
  assert.equal(entryMatches(entry, { q: 'daily' }), false);
  assert.equal(entryMatches(entry, { roomName: 'Daily Standup' }), false);
});
