// GET /api/events/export over real HTTP with each real store (SQLite, and PostgreSQL when a server is
// reachable): every entry of the current filter as
// JSON Lines or CSV, with download headers, bodies as the text received, CSV cells a spreadsheet will
// not run as formulas, and a bound after which the last line says how to fetch the rest.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestServer } from './helpers/server.js';
import { serverBackends } from './helpers/server-backends.js';
import { meetDelivery, post, storeDelivery, type Delivery } from './helpers/meet.js';
import { manualClock } from './helpers/clock.js';
import { streamExport } from '../server/inspector/export-stream.js';
import { MAX_ROOMS_PER_NAME, parseListingQuery } from '../server/inspector/listing-query.js';
import { CSV_COLUMNS, inertCell } from '../server/inspector/export-format.js';

/** RFC 4180 records: quoted cells may hold commas, doubled quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      record.push(cell);
      cell = '';
    } else if (char === '\r' && text[i + 1] === '\n') {
      record.push(cell);
      records.push(record);
      record = [];
      cell = '';
      i++;
    } else cell += char;
  }
  assert.equal(cell + record.join(''), '', 'the file ends with a complete record');
  return records;
}

async function exported(server: TestServer, query: Record<string, string>) {
  const response = await fetch(`${server.url}/api/events/export?${new URLSearchParams(query)}`);
  return { status: response.status, headers: response.headers, text: await response.text() };
}

const store = (server: TestServer, delivery: Delivery): Promise<number> => storeDelivery(server.url, delivery);

for (const backend of serverBackends) {
  describe(`on ${backend.name}`, { skip: backend.skip }, () => {
    describe('export', () => {
      let server: TestServer;
      const clock = manualClock();
      const seq: Record<string, number> = {};
      const bodies: Record<string, string> = {};

      before(async () => {
        server = await backend.start({}, { now: clock.now });
        const step = async (name: string, delivery: Delivery) => {
          bodies[name] = delivery.body;
          seq[name] = await store(server, delivery);
          clock.advance(5);
        };
        await step('standup', meetDelivery('meetingStarted', { roomId: 'standup-1', roomName: 'Daily, "Standup"\nteam', status: 'active_meeting' }));
        // Names and ids chosen by whoever creates rooms: a spreadsheet must show them, never run them.
        await step('formula', meetDelivery('meetingStarted', { roomId: '=HYPERLINK("http://evil.example","x")', roomName: '@SUM(A1)', status: 'active_meeting' }));
        const forged = meetDelivery('meetingEnded', { roomId: 'standup-1' });
        assert.equal((await post(server.url, { ...forged, headers: { ...forged.headers, 'x-signature': 'ab'.repeat(32) } })).status, 401);
        clock.advance(5);
        await step('ended', meetDelivery('meetingEnded', { roomId: 'standup-1', roomName: 'Daily, "Standup"\nteam', status: 'open' }));
      });
      after(() => server.dispose());

      test('JSON Lines: a download of every entry, newest first, each webhook with its body as the text received', async () => {
        const { status, headers, text } = await exported(server, { format: 'jsonl' });
        assert.equal(status, 200);
        assert.equal(headers.get('content-type'), 'application/x-ndjson; charset=utf-8');
        assert.match(headers.get('content-disposition') ?? '', /^attachment; filename="roomwatch-events-[\dTZ-]+\.jsonl"$/);
        assert.equal(headers.get('cache-control'), 'no-store');
        assert.ok(text.endsWith('\n'));
        const lines = text.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
        assert.deepEqual(
          lines.map((line) => [line.kind, line.seq ?? line.reason, line.body]),
          [
            ['event', seq.ended, bodies.ended],
            ['refusal', 'signature_mismatch', null],
            ['event', seq.formula, bodies.formula],
            ['event', seq.standup, bodies.standup],
          ],
        );
        assert.deepEqual({ ...lines[0], body: undefined }, { kind: 'event', seq: seq.ended, at: lines[0]!.at, source: 'meet', type: 'meetingEnded', roomId: 'standup-1', outcome: 'accepted', repeats: 0, body: undefined });
      });

      test('the export takes the filter of the listing: type, search, room name', async () => {
        const ids = async (query: Record<string, string>) =>
          (await exported(server, { format: 'jsonl', ...query })).text
            .trimEnd()
            .split('\n')
            .filter(Boolean)
            .map((line) => (JSON.parse(line) as { seq?: number }).seq);
        assert.deepEqual(await ids({ type: 'meetingStarted' }), [seq.formula, seq.standup]);
        assert.deepEqual(await ids({ q: 'daily standup team' }), [seq.ended, seq.standup]);
        assert.deepEqual(await ids({ roomName: 'daily, "standup"\nTEAM' }), [seq.ended, seq.standup]);
        assert.deepEqual(await ids({ outcome: 'refused', type: 'meetingStarted' }), []);
      });

      test('CSV: one quoted record per entry, bodies whole, and nothing a spreadsheet would run', async () => {
        const { status, headers, text } = await exported(server, { format: 'csv' });
        assert.equal(status, 200);
        assert.equal(headers.get('content-type'), 'text/csv; charset=utf-8');
        assert.match(headers.get('content-disposition') ?? '', /^attachment; filename="roomwatch-events-[\dTZ-]+\.csv"$/);
        const [columns, ...records] = parseCsv(text);
        assert.deepEqual(columns, [...CSV_COLUMNS]);
        assert.equal(records.length, 4);
        const byColumn = records.map((record) => Object.fromEntries(columns!.map((name, i) => [name, record[i]])));
        assert.deepEqual(
          byColumn.map((row) => [row.kind, row.seq, row.room, row.outcome]),
          [
            ['event', String(seq.ended), 'standup-1', 'accepted'],
            ['refusal', byColumn[1]!.seq, '', 'refused'],
            ['event', String(seq.formula), `'=HYPERLINK("http://evil.example","x")`, 'accepted'],
            ['event', String(seq.standup), 'standup-1', 'accepted'],
          ],
        );
        assert.equal(byColumn[3]!.body, bodies.standup, 'a body with commas, quotes and a line break is one cell, unchanged');
        assert.equal(byColumn[1]!.reason, 'signature_mismatch');
        assert.match(byColumn[0]!.received!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        for (const record of records) for (const cell of record) assert.doesNotMatch(cell, /^[=+\-@\t\r]/, `a cell starts like a formula: ${cell}`);
      });

      test('every cell that starts like a formula is made inert', () => {
        for (const cell of ['=1+1', '+1', '-1', '@SUM(A1)', '\t=1', '\r=1']) assert.equal(inertCell(cell), `'${cell}`);
        for (const cell of ['standup-1', '{"event":"x"}', '', ' =1']) assert.equal(inertCell(cell), cell);
      });

      test('a wrong format, a limit or an unknown parameter is a 400 that says why', async () => {
        const missing = await exported(server, {});
        assert.equal(missing.status, 400);
        assert.match(missing.text, /format must be one of jsonl, csv/);
        assert.equal((await exported(server, { format: 'xlsx' })).status, 400);
        const limited = await exported(server, { format: 'csv', limit: '5' });
        assert.equal(limited.status, 400);
        assert.match(limited.text, /leave out limit/);
        assert.equal((await exported(server, { format: 'csv', colour: 'red' })).status, 400);
      });

      describe('at its bound', () => {
        let exporter: http.Server;
        let bounds = { maxEntries: 2, maxBytes: 1_000_000 };
        let base: string;

        before(async () => {
          // The same store, and the bounds small enough to reach.
          exporter = http.createServer((req, res) => {
            const query = Object.fromEntries(new URL(req.url!, 'http://x').searchParams);
            void streamExport(res, server.store, 'jsonl', parseListingQuery(query), bounds);
          });
          await new Promise<void>((resolve) => exporter.listen(0, '127.0.0.1', resolve));
          base = `http://127.0.0.1:${(exporter.address() as AddressInfo).port}/`;
        });
        after(async () => {
          await new Promise((resolve) => exporter.close(resolve));
        });

        test('stops after maxEntries, and its last line is the cursor that fetches the rest', async () => {
          bounds = { maxEntries: 2, maxBytes: 1_000_000 };
          const first = (await (await fetch(base)).text()).trimEnd().split('\n').map((line) => JSON.parse(line) as { seq?: number; truncated?: string; next?: string });
          assert.equal(first.length, 3);
          assert.deepEqual(first.slice(0, 2).map((line) => line.seq ?? 'refusal'), [seq.ended, 'refusal']);
          assert.equal(first[2]!.truncated, 'an export holds at most 2 entries');
          const rest = (await (await fetch(`${base}?before=${encodeURIComponent(first[2]!.next!)}`)).text()).trimEnd().split('\n').map((line) => JSON.parse(line) as { seq?: number });
          assert.deepEqual(rest.map((line) => line.seq), [seq.formula, seq.standup]);
        });

        test('stops after the entry that reaches maxBytes', async () => {
          bounds = { maxEntries: 100, maxBytes: 1 };
          const lines = (await (await fetch(base)).text()).trimEnd().split('\n').map((line) => JSON.parse(line) as { seq?: number; truncated?: string });
          assert.deepEqual(lines.map((line) => line.seq ?? line.truncated), [seq.ended, 'an export holds at most 1 bytes']);
        });

        test('with nothing past the bound, no truncation line', async () => {
          bounds = { maxEntries: 4, maxBytes: 1_000_000 };
          const lines = (await (await fetch(base)).text()).trimEnd().split('\n');
          assert.equal(lines.length, 4);
        });
      });
    });

    test('a room name shared by too many rooms is a 400 in JSON, not a download', async () => {
      const server = await backend.start();
      try {
        for (let i = 0; i <= MAX_ROOMS_PER_NAME; i++) await store(server, meetDelivery('meetingStarted', { roomId: `room-${i}`, roomName: 'Same Name', status: 'active_meeting' }));
        const { status, headers, text } = await exported(server, { format: 'csv', roomName: 'same name' });
        assert.equal(status, 400);
        assert.equal(headers.get('content-disposition'), null);
        assert.deepEqual(JSON.parse(text), { error: 'invalid_query', message: 'more than 20 rooms are named "same name"; filter by room id instead' });
      } finally {
        await server.dispose();
      }
    });
  });
}
