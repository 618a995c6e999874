// Live frames as event inspector entries: Meet webhooks arrive as default frames (the Meet body, the
// seq as lastEventId), other platforms as `webhook` frames, refusals as `refusal` frames (no id), and
// replays as `replay` frames. A frame carries no receive time: `now` (this browser's clock) stands in.
import type { SourceId } from '../../server/domain/rows.js';
import type { InspectorEntry, RefusalEntry, ReplayBody } from '../../server/inspector/types.js';

export type InspectorFrameName = 'message' | 'webhook' | 'refusal' | 'replay';

export function entryFromFrame(name: InspectorFrameName, data: unknown, lastEventId: string, now: number): InspectorEntry | undefined {
  if (!isObject(data)) return undefined;
  if (name === 'refusal') return typeof data.id === 'number' && typeof data.at === 'number' ? ({ ...data, kind: 'refusal', outcome: 'refused' } as RefusalEntry) : undefined;
  if (!/^\d+$/.test(lastEventId)) return undefined;
  const seq = Number(lastEventId);
  switch (name) {
    case 'message': {
      // Meet's check's own reading (server/platforms/meet/verify.ts).
      const body = isObject(data.data) ? data.data : {};
      return {
        kind: 'event',
        seq,
        at: now,
        source: 'meet',
        type: typeof data.event === 'string' && data.event !== '' ? data.event : 'unrecognised',
        roomId: typeof body.roomId === 'string' ? body.roomId : null,
        outcome: 'accepted',
        repeats: 0,
      };
    }
    case 'webhook':
      return {
        kind: 'event',
        seq,
        at: now,
        source: String(data.source) as SourceId,
        type: String(data.type),
        roomId: typeof data.roomId === 'string' ? data.roomId : null,
        outcome: 'accepted',
        repeats: 0,
      };
    case 'replay': {
      const replay = data as Partial<ReplayBody>;
      return {
        kind: 'replay',
        seq,
        at: now,
        source: String(replay.source) as SourceId,
        type: String(replay.type),
        roomId: typeof replay.roomId === 'string' ? replay.roomId : null,
        outcome: 'replay',
        replayOf: typeof replay.replayOf === 'number' ? replay.replayOf : 0,
      };
    }
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
