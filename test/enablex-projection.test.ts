import { test } from 'node:test';
import assert from 'node:assert/strict';
import { projectEnableXEvent } from '../server/platforms/enablex/project.js';
import * as enx from './fixtures/enablex.js';
import { MemoryRows } from './fixtures/rows.js';

const rowsWith = (...payloads: unknown[]) => new MemoryRows('enablex', projectEnableXEvent).receiveAll(payloads);
const INDIVIDUAL = `${enx.SESSION_KEY}:individual`;
const TRANSCODED = `${enx.SESSION_KEY}:transcoded`;
const DELIVERED = `${enx.SESSION_KEY}:delivered`;

test('roomdrop closes the session, keyed room_id:conf_num, named room_id, with no participant count', () => {
  const row = rowsWith(enx.roomdrop()).roomRow(enx.SESSION_KEY)!;
  assert.deepEqual(
    { source: row.source, roomName: row.roomName, status: row.status, eventAt: row.eventAt, links: row.links },
    { source: 'enablex', roomName: enx.ROOM_ID, status: 'closed', eventAt: enx.DROPPED_AT_S * 1000, links: {} },
  );
  assert.equal('participants' in row, false);
});

const keyCases: { name: string; payload: object; key: string; eventAt: number }[] = [
  { name: 'a numeric conf_num names the same session as a string one', payload: enx.roomdrop({ conf_num: 123456 }), key: enx.SESSION_KEY, eventAt: enx.DROPPED_AT_S * 1000 },
  { name: 'without conf_num the room id is the key', payload: enx.roomdrop({ conf_num: undefined }), key: enx.ROOM_ID, eventAt: enx.DROPPED_AT_S * 1000 },
  { name: 'a trans_date in ms (≥ 1e12) is kept as ms', payload: enx.roomdrop({ trans_date: 1614321234567 }), key: enx.SESSION_KEY, eventAt: 1614321234567 },
  { name: 'a trans_date given as a string of seconds is read as seconds', payload: enx.roomdrop({ trans_date: '1614321234' }), key: enx.SESSION_KEY, eventAt: enx.DROPPED_AT_S * 1000 },
];
for (const { name, payload, key, eventAt } of keyCases) {
  test(name, () => {
    const row = rowsWith(payload).roomRow(key);
    assert.equal(row?.status, 'closed');
    assert.equal(row?.eventAt, eventAt);
  });
}

test('a roomdrop delivered twice changes nothing the second time', () => {
  const rows = rowsWith(enx.roomdrop());
  assert.deepEqual(rows.receive(enx.roomdrop()), []);
});

test('recording: individual files as URL strings make a complete recording of that session', () => {
  const row = rowsWith(enx.recording()).recordingRow(INDIVIDUAL)!;
  assert.deepEqual(
    { source: row.source, status: row.status, roomId: row.roomId, roomName: row.roomName, files: row.files },
    { source: 'enablex', status: 'complete', roomId: enx.SESSION_KEY, roomName: enx.ROOM_ID, files: enx.INDIVIDUAL_URLS.map((url) => ({ url, kind: 'individual' })) },
  );
});

const entryCases: { name: string; recording: unknown; urls: string[] }[] = [
  { name: 'recording entries given as { url } objects read the same as strings', recording: enx.INDIVIDUAL_URLS.map((url) => ({ url })), urls: enx.INDIVIDUAL_URLS },
  { name: 'a mix of strings and objects, with unreadable entries skipped', recording: [enx.INDIVIDUAL_URLS[0], { url: enx.INDIVIDUAL_URLS[1] }, 42, { href: 'x' }], urls: enx.INDIVIDUAL_URLS },
  { name: 'a single URL instead of a list', recording: enx.INDIVIDUAL_URLS[0], urls: [enx.INDIVIDUAL_URLS[0]!] },
];
for (const { name, recording, urls } of entryCases) {
  test(name, () => {
    const files = rowsWith(enx.recording({ recording })).recordingRow(INDIVIDUAL)?.files;
    assert.deepEqual(files?.map((file) => file.url), urls);
  });
}

test('transcoded with a URL and a size is complete, with that size', () => {
  const row = rowsWith(enx.transcoded()).recordingRow(TRANSCODED)!;
  assert.equal(row.status, 'complete');
  assert.equal(row.size, 12345678);
  assert.deepEqual(row.files, [{ url: enx.TRANSCODED_URL, size: 12345678, kind: 'transcoded' }]);
});

const transcodedCases: { name: string; events: unknown[]; status: string }[] = [
  { name: 'transcoded without a size is still processing', events: [enx.transcoded({ file_size: undefined, stage: 'transcoding' })], status: 'processing' },
  {
    name: 'transcoded processing, then with its size: complete',
    events: [enx.transcoded({ file_size: 0, stage: 'transcoding', trans_date: 1614321500 }), enx.transcoded()],
    status: 'complete',
  },
  {
    name: 'a late transcoded without a size does not undo complete',
    events: [enx.transcoded(), enx.transcoded({ file_size: undefined, trans_date: 1614321500 })],
    status: 'complete',
  },
  {
    name: 'transcoded as an object holding url, stage and file_size',
    events: [enx.transcoded({ recording: { url: enx.TRANSCODED_URL, stage: 'completed', file_size: 99 }, file_size: undefined, stage: undefined })],
    status: 'complete',
  },
];
for (const { name, events, status } of transcodedCases) {
  test(name, () => {
    assert.equal(rowsWith(...events).recordingRow(TRANSCODED)?.status, status);
  });
}

// `stage` is the file's sequence within the session (issue 8): a long session is transcoded into several
// files, each announced by its own notification. The recording is all of them.
const stageOf = (stage: number, size: number, trans_date: number) =>
  enx.transcoded({ recording: enx.TRANSCODED_URL.replace('transcoded.mov', `transcoded_${stage}.mov`), stage, file_size: size, trans_date });
for (const [name, events] of [
  ['in order', [stageOf(1, 1000, 1614321600), stageOf(2, 2500, 1614321660)]],
  ['the later stage first', [stageOf(2, 2500, 1614321660), stageOf(1, 1000, 1614321600)]],
  ['and a stage delivered twice', [stageOf(1, 1000, 1614321600), stageOf(2, 2500, 1614321660), stageOf(1, 1000, 1614321600)]],
] as const) {
  test(`several transcoded files of one recording add up, ${name}: its size is the sum of its files`, () => {
    const row = rowsWith(...events).recordingRow(TRANSCODED)!;
    assert.equal(row.status, 'complete');
    assert.equal(row.size, 3500);
    assert.deepEqual(row.files?.map((file) => [file.url.replace(/.*\//, ''), file.size]).sort(), [
      ['transcoded_1.mov', 1000],
      ['transcoded_2.mov', 2500],
    ]);
  });
}

test('file-transfer lists the delivered copies, each destination added, even when an older one arrives last', () => {
  const ftp = enx.fileTransfer({ trans_date: 1614321650, destination: { name: 'ftp', host: 'ftp.example.com' }, files: ['ftp://ftp.example.com/rec/transcoded.mp4'] });
  const rows = rowsWith(enx.fileTransfer(), ftp);
  const row = rows.recordingRow(DELIVERED)!;
  assert.equal(row.status, 'complete');
  assert.deepEqual(row.files, [
    { url: 's3://my-bucket/60a1b2c3d4e5f6a7b8c9d0e1/123456/transcoded.mp4', kind: 'awss3' },
    { url: 'ftp://ftp.example.com/rec/transcoded.mp4', kind: 'ftp' },
  ]);
  assert.deepEqual(rows.receive(enx.fileTransfer()), [], 'the same delivery again adds nothing');
});

test('recordings that arrive after roomdrop still apply, and the session stays closed', () => {
  const rows = rowsWith(enx.roomdrop(), enx.recording(), enx.transcoded(), enx.fileTransfer());
  assert.equal(rows.roomRow(enx.SESSION_KEY)?.status, 'closed');
  assert.deepEqual([INDIVIDUAL, TRANSCODED, DELIVERED].map((id) => rows.recordingRow(id)?.status), ['complete', 'complete', 'complete']);
  assert.deepEqual(rows.recordingsOfRoom('enablex', enx.SESSION_KEY).length, 3);
});

test('unknown types and payloads without a room change nothing', () => {
  const rows = rowsWith(enx.roomdrop());
  for (const payload of [
    { type: 'cdr-available', trans_date: 1614321800, app_id: enx.APP_ID, room_id: enx.ROOM_ID, conf_num: enx.CONF_NUM },
    { type: 'session-started', trans_date: 1614321000, app_id: enx.APP_ID, room_id: enx.ROOM_ID, conf_num: enx.CONF_NUM },
    enx.roomdrop({ room_id: undefined }),
    enx.recording({ room_id: { id: 'nested' } }),
    'roomdrop',
    [enx.roomdrop()],
    null,
  ]) {
    assert.deepEqual(rows.receive(payload), [], JSON.stringify(payload));
  }
});
