// The platforms a row can come from, as the page names them, and what the page can do with their rows.
import type { SourceId } from '../../server/domain/rows.js';

interface Platform {
  /** The small label on each row (styled in capitals): short, and distinct from Meet's. */
  tag: string;
  /** The full name, for tooltips and sentences. */
  name: string;
}

const PLATFORMS: Record<SourceId, Platform> = {
  meet: { tag: 'meet', name: 'OpenVidu Meet' },
  openvidu: { tag: 'openvidu 2', name: 'OpenVidu 2' },
  livekit: { tag: 'livekit', name: 'LiveKit / OpenVidu 3' },
  liveswitch: { tag: 'liveswitch', name: 'LiveSwitch' },
  enablex: { tag: 'enablex', name: 'EnableX' },
};

/** A source this page does not know yet still gets a readable label. */
export function platform(source: SourceId): Platform {
  return PLATFORMS[source] ?? { tag: String(source), name: String(source) };
}

/**
 * Joining, playing and deleting go through OpenVidu Meet's REST API, so they exist for Meet rows only;
 * the other platforms' rows are watched, not managed.
 */
export const isManagedHere = (source: SourceId): boolean => source === 'meet';
