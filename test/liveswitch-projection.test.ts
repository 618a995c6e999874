import { test } from 'node:test';
import assert from 'node:assert/strict';
import { projectLiveSwitchEvent } from '../server/platforms/liveswitch/project.js';
import * as ls from './fixtures/liveswitch.js';
import { MemoryRows } from './fixtures/rows.js';

const rowsWith = (...payloads: unknown[]) => new MemoryRows('liveswitch', projectLiveSwitchEvent).receiveAll(payloads);

test('channel.activated shows the channel as an active meeting, keyed and named by its id, with no participant count', () => {
  const row = rowsWith(ls.activated()).roomRow(ls.CHANNEL_ID)!;
  assert.deepEqual(
    { source: row.source, roomName: row.roomName, status: row.status, eventAt: row.eventAt },
    { source: 'liveswitch', roomName: ls.CHANNEL_ID, status: 'active_meeting', eventAt: ls.ACTIVATED_AT },
  );
  assert.equal('participants' in row, false);
});

const cases: { name: string; events: unknown[]; status: string }[] = [
  { name: 'channel.deactivated closes it', events: [ls.activated(), ls.deactivated()], status: 'closed' },
  { name: 'a late channel.activated after channel.deactivated does not reopen it', events: [ls.deactivated(), ls.activated()], status: 'closed' },
  {
    name: 'a channel activated again later opens again',
    events: [ls.activated(), ls.deactivated(), ls.activated(ls.ACTIVATED_AT + 3_600_000)],
    status: 'active_meeting',
  },
  {
    name: 'an old deactivation replayed after the new activation does not close it',
    events: [ls.activated(), ls.deactivated(), ls.activated(ls.ACTIVATED_AT + 3_600_000), ls.deactivated()],
    status: 'active_meeting',
  },
  {
    name: 'a top-level channelId is read when there is no channel object',
    events: [ls.activated(), ls.deactivated(undefined, { channel: undefined, channelId: ls.CHANNEL_ID })],
    status: 'closed',
  },
];
for (const { name, events, status } of cases) {
  test(name, () => {
    assert.equal(rowsWith(...events).roomRow(ls.CHANNEL_ID)?.status, status);
  });
}

test('an event delivered twice changes nothing the second time', () => {
  const rows = rowsWith(ls.activated());
  assert.deepEqual(rows.receive(ls.activated()), []);
});

test('server, client and connection events, unconfirmed names and unreadable payloads are kept but change no row', () => {
  const rows = rowsWith(ls.activated());
  for (const payload of [
    ls.gatewayStarted,
    ls.channelEvent('client.registered', ls.ACTIVATED_AT + 1, { client: { id: 'c1', userId: 'alice' } }),
    ls.channelEvent('connection.connected', ls.ACTIVATED_AT + 2, { connection: { id: 'k1', channelId: ls.CHANNEL_ID } }),
    ls.channelEvent('channel.created', ls.ACTIVATED_AT + 3),
    ls.channelEvent('Channel.Activated', ls.ACTIVATED_AT + 4),
    ls.activated(ls.ACTIVATED_AT + 5, { channel: { applicationId: 'no-id' } }),
    [ls.activated(), ls.deactivated()],
    'channel.deactivated',
    null,
  ]) {
    assert.deepEqual(rows.receive(payload), [], JSON.stringify(payload));
  }
  assert.equal(rows.roomRow(ls.CHANNEL_ID)?.status, 'active_meeting');
});
