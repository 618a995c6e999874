// The platforms a row can come from, as the page names them, and what the page can do with their rows:
// all read from the platform catalog (server/platforms/catalog.ts), the same data the server uses.
import { catalogEntry, hasAction, type CatalogAction, type CatalogEntry } from '../../server/platforms/catalog.js';
import type { SourceId } from '../../server/domain/rows.js';

interface Platform {
  /** The small label on each row (styled in capitals): short, and distinct from Meet's. */
  tag: string;
  /** The full name, for tooltips and sentences. */
  name: string;
}

/** A source this page does not know yet still gets a readable label. */
export function platform(source: SourceId): Platform {
  const { tag, label } = catalogEntry(source);
  return { tag, name: label };
}

/**
 * Joining, playing and deleting go through the platform's REST API the way OpenVidu Meet's does (a room
 * deleted, a recording deleted), so they exist for rows of platforms whose API offers those actions; the
 * other platforms' rows are watched, not managed.
 */
export const isManagedHere = (source: SourceId): boolean => hasAction(source, 'deleteRoom') && hasAction(source, 'deleteRecording');

/** How the page plays this platform's finished recordings (see CatalogEntry.playback); undefined: it does not. */
export const playbackOf = (source: SourceId): CatalogEntry['playback'] => catalogEntry(source).playback;

/** Actions with a flow of their own on the page (Meet's Delete buttons, with their options and 409s). */
const DEDICATED_ACTIONS = new Set(['deleteRoom', 'deleteRecording']);

/** The actions of a platform's API the page offers on its rooms or recordings as plain buttons. */
export function platformActions(source: SourceId, target: CatalogAction['target']): readonly CatalogAction[] {
  return catalogEntry(source).actions.filter((action) => action.target === target && !DEDICATED_ACTIONS.has(action.name));
}
