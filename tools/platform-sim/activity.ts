// Made-up activity on the simulated platforms, for `npm run demo`: a few rooms of each platform start
// at once, then every few seconds someone joins or leaves, a recording starts or stops, a session ends
// and another begins, so the rooms screen shows every platform side by side within a minute.
import type { PlatformSimulators } from './index.js';

export interface PlatformActivity {
  /** Ends every session and recording still running (so the dashboard is left tidy), then stops. */
  wrapUp(): void;
  stop(): void;
}

const ROOMS = {
  openvidu: ['Sprint Planning', 'Code Review'],
  livekit: ['Customer Call', 'Product Demo'],
  liveswitch: ['Support Desk', 'Partner Sync'],
  enablex: ['Town Hall', 'Onboarding'],
};
const PEOPLE = ['Ana', 'Bruno', 'Chen', 'Dalia', 'Emeka', 'Freya', 'Goran', 'Hana'];

/** EnableX says nothing until a session ends: its first session is short, so that its room shows early. */
const FIRST_ENABLEX_SESSION_MS = 15_000;

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;

/** One step of one platform: whatever fits its current state. */
type Step = () => void;

export function startPlatformActivity(sims: PlatformSimulators, everyMs: number): PlatformActivity {
  const steps: Step[] = [];
  const later: NodeJS.Timeout[] = [];
  const wrapUps: (() => void)[] = [];

  if (sims.openvidu) {
    const openvidu = sims.openvidu;
    const start = (room: string) => {
      const id = openvidu.createSession(room);
      openvidu.join(id, pick(PEOPLE));
      openvidu.join(id, pick(PEOPLE));
    };
    start(ROOMS.openvidu[0]!);
    steps.push(() => {
      const sessions = openvidu.sessions();
      const idle = ROOMS.openvidu.filter((room) => !sessions.some((session) => session.roomName === room));
      if (sessions.length === 0 || (idle.length > 0 && Math.random() < 0.3)) return start(pick(idle));
      const session = pick(sessions);
      const roll = Math.random();
      if (session.recordingId && roll < 0.5) openvidu.stopRecording(session.recordingId);
      else if (!session.recordingId && roll < 0.4) openvidu.startRecording(session.sessionId);
      else if (session.participants.length < 4 && roll < 0.7) openvidu.join(session.sessionId, pick(PEOPLE));
      else openvidu.leave(pick(session.participants).connectionId);
    });
    wrapUps.push(() => openvidu.sessions().forEach((session) => openvidu.closeSession(session.sessionId)));
  }

  if (sims.livekit) {
    const livekit = sims.livekit;
    const start = (room: string) => {
      livekit.join(room, pick(PEOPLE));
      livekit.join(room, pick(PEOPLE));
    };
    start(ROOMS.livekit[0]!);
    steps.push(() => {
      const rooms = livekit.roomsView();
      const idle = ROOMS.livekit.filter((name) => !rooms.some((room) => room.name === name));
      if (rooms.length === 0 || (idle.length > 0 && Math.random() < 0.3)) return start(pick(idle));
      const room = pick(rooms);
      const roll = Math.random();
      if (room.participants.length === 0) return livekit.join(room.name, pick(PEOPLE));
      if (room.egressIds.length > 0 && roll < 0.5) livekit.stopEgress(room.egressIds[0]!);
      else if (room.egressIds.length === 0 && roll < 0.4) livekit.startEgress(room.name, roll < 0.1 ? 'stream' : 'file');
      else if (room.participants.length < 4 && roll < 0.7) livekit.join(room.name, pick(PEOPLE));
      else livekit.leave(room.name, pick(room.participants).sid);
    });
    wrapUps.push(() => livekit.roomsView().forEach((room) => livekit.finishRoom(room.name)));
  }

  if (sims.liveswitch) {
    const liveswitch = sims.liveswitch;
    liveswitch.join(ROOMS.liveswitch[0]!, pick(PEOPLE));
    steps.push(() => {
      const channels = liveswitch.channelsView();
      const idle = ROOMS.liveswitch.filter((room) => !channels.some((channel) => channel.roomName === room));
      if (channels.length === 0 || (idle.length > 0 && Math.random() < 0.3)) return void liveswitch.join(pick(idle), pick(PEOPLE));
      const channel = pick(channels);
      if (channel.clients.length < 3 && Math.random() < 0.6) liveswitch.join(channel.roomName, pick(PEOPLE));
      else liveswitch.leave(pick(channel.clients).id);
    });
    wrapUps.push(() => liveswitch.channelsView().forEach((channel) => channel.clients.forEach((client) => liveswitch.leave(client.id))));
  }

  if (sims.enablex) {
    const enablex = sims.enablex;
    const start = (room: string) => {
      enablex.startSession(room);
      enablex.join(room, pick(PEOPLE));
      enablex.join(room, pick(PEOPLE));
      enablex.startRecording(room);
    };
    const first = ROOMS.enablex[0]!;
    start(first);
    later.push(
      setTimeout(() => {
        if (enablex.sessionsView().some((session) => session.roomName === first)) enablex.endSession(first);
      }, FIRST_ENABLEX_SESSION_MS),
    );
    steps.push(() => {
      const sessions = enablex.sessionsView();
      const idle = ROOMS.enablex.filter((room) => !sessions.some((session) => session.roomName === room));
      if (sessions.length > 0 && (idle.length === 0 || Math.random() < 0.6)) enablex.endSession(pick(sessions).roomName);
      else if (idle.length > 0) start(pick(idle));
    });
    wrapUps.push(() => enablex.sessionsView().forEach((session) => enablex.endSession(session.roomName)));
  }

  let turn = 0;
  const timer = setInterval(() => {
    if (steps.length === 0) return;
    try {
      steps[turn++ % steps.length]!();
    } catch {
      // A step that no longer fits (the state changed meanwhile) is simply skipped.
    }
  }, everyMs);

  return {
    wrapUp: () => {
      clearInterval(timer);
      later.forEach(clearTimeout);
      for (const wrapUp of wrapUps) {
        try {
          wrapUp();
        } catch {
          // already ended
        }
      }
    },
    stop: () => {
      clearInterval(timer);
      later.forEach(clearTimeout);
    },
  };
}
