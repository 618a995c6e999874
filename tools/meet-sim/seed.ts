// Demo data for `--seed`: a few rooms and one finished recording, created silently (no webhooks), as if
// they existed before roomwatch started watching.
import type { SimControls } from './controls.js';

export const SEED_ROOM_NAMES = ['Daily Standup', 'Design Review', 'All Hands', 'Customer Demo'] as const;

export interface SeedResult {
  roomIds: string[];
  recordingId: string;
}

export function seedDemoData(controls: SimControls): SeedResult {
  const roomIds = SEED_ROOM_NAMES.map((name) => controls.createRoom(name).roomId);
  const standup = roomIds[0]!;
  const recordingId = controls.addCompletedRecording(standup, 754.32);
  return { roomIds, recordingId };
}
