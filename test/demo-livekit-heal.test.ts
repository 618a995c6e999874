// `npm run demo` as a user runs it (tools/demo.ts, its own process, its demo settings): its LiveKit room
// whose room_finished is lost on purpose heals within one reconcile interval, from LiveKit's API alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SETTING_NAMES } from '../server/config.js';
import type { DashboardSnapshot, RoomRow } from '../server/domain/rows.js';
import type { EventPage, InspectorEntry } from '../server/inspector/types.js';
import { LOST_LIVEKIT_END_MS, LOST_LIVEKIT_ROOM } from '../tools/platform-sim/activity.js';
import { freePort } from './helpers/process.js';
import { eventually } from './helpers/stack.js';

const INTERVAL_MS = 5000;

test(`the demo's "${LOST_LIVEKIT_ROOM}", whose room_finished is lost, turns closed within one reconcile interval of its end`, async (t) => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'roomwatch-demo-'));
  const [port, meetPort, livekitPort] = [await freePort(), await freePort(), await freePort()];
  // The demo's own settings, whatever this shell has: only its ports, its data and the interval are chosen here.
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of SETTING_NAMES) delete env[name];
  Object.assign(env, {
    DATA_DIR: dataDir,
    SERVER_HOST: '127.0.0.1',
    SERVER_PORT: String(port),
    DEMO_MEET_PORT: String(meetPort),
    DEMO_LIVEKIT_PORT: String(livekitPort),
    RECONCILE_INTERVAL_MS: String(INTERVAL_MS),
  });
  const demo = spawn(process.execPath, ['--import', 'tsx', 'tools/demo.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  demo.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  demo.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise((resolve) => demo.once('exit', resolve));
  t.after(async () => {
    demo.kill('SIGINT');
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  });

  const url = `http://127.0.0.1:${port}`;
  const state = async () => (await (await fetch(`${url}/api/state`)).json()) as DashboardSnapshot;
  const lostRoom = (s: DashboardSnapshot) => s.rooms.find((row): row is RoomRow => row.source === 'livekit' && row.roomName === LOST_LIVEKIT_ROOM);
  const started = await eventually(() => state().catch(() => undefined), (s) => s !== undefined && lostRoom(s)?.status === 'active_meeting', 30_000).catch((error: Error) => {
    throw new Error(`${error.message}\ndemo output:\n${output}`);
  });
  assert.equal(started!.platforms.livekit?.api?.url, `http://localhost:${livekitPort}`);
  const sid = lostRoom(started!)!.roomId;

  const healed = await eventually(state, (s) => s.rooms.find((row) => row.roomId === sid)?.status === 'closed', LOST_LIVEKIT_END_MS + INTERVAL_MS + 10_000);
  const closed = healed.rooms.find((row) => row.roomId === sid)!;

  // Its end reached roomwatch only as its participants leaving (ROOM_DELETED): never as room_finished.
  const page = (await (await fetch(`${url}/api/events?source=livekit&room=${sid}&limit=200`)).json()) as EventPage;
  const webhooks = page.entries.filter((entry): entry is Extract<InspectorEntry, { kind: 'event' }> => entry.kind === 'event');
  assert.ok(!webhooks.some((entry) => entry.type === 'room_finished'), webhooks.map((entry) => entry.type).join(', '));
  const endedAt = Math.max(...webhooks.filter((entry) => entry.type === 'participant_left').map((entry) => entry.at));
  assert.ok(Number.isFinite(endedAt), 'its participants left when it ended');
  // Closed by a read of LiveKit's API no later than one interval after it ended (plus the read itself).
  assert.ok(closed.updatedAt - endedAt <= INTERVAL_MS + 1000, `closed ${closed.updatedAt - endedAt} ms after it ended; the interval is ${INTERVAL_MS} ms`);
});
