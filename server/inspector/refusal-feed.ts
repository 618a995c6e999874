// Each refused webhook goes into the store's refusal log and out on /events as a transient `refusal` frame
// (no `id:`: it is not in the event log, so a reconnecting client cannot and need not resume it).
import type { Logger } from '../logger.js';
import type { LiveHub } from '../live/hub.js';
import type { Refusal } from '../ingest/route.js';
import { formatFrame } from '../live/frames.js';
import type { Store } from '../store/store.js';
import { keptRefusal, withoutHeaderValues } from './refusal-log.js';

export function refusalFeed(store: Pick<Store, 'recordRefusal'>, hub: LiveHub, log: Logger): (refusal: Refusal) => void {
  return (refusal) => {
    // The refusal is answered whatever happens here.
    const failed = (error: unknown) => log.warn({ err: error }, 'could not record a refused webhook');
    try {
      store.recordRefusal(keptRefusal(refusal)).then((entry) => {
        hub.broadcast(formatFrame({ event: 'refusal', data: JSON.stringify(withoutHeaderValues(entry)) }));
      }, failed);
    } catch (error) {
      failed(error);
    }
  };
}
