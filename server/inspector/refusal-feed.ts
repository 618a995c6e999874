// Each refused webhook goes into the refusal log and out on /events as a transient `refusal` frame (no
// `id:`: it is not in the event log, so a reconnecting client cannot and need not resume it).
import type { Logger } from '../logger.js';
import type { LiveHub } from '../live/hub.js';
import type { Refusal } from '../ingest/route.js';
import { formatFrame } from '../live/frames.js';
import { withoutHeaderValues, type RefusalLog } from './refusal-log.js';

export function refusalFeed(refusals: RefusalLog, hub: LiveHub, log: Logger): (refusal: Refusal) => void {
  return (refusal) => {
    try {
      const entry = refusals.record(refusal);
      hub.broadcast(formatFrame({ event: 'refusal', data: JSON.stringify(withoutHeaderValues(entry)) }));
    } catch (error) {
      // The refusal is answered whatever happens here.
      log.warn({ err: error }, 'could not record a refused webhook');
    }
  };
}
