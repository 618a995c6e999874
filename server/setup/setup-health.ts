// Setup health as app.ts wires it: what the setup screen reports is followed from the store's feed as it
// happens (each platform's last webhook, its meetings now) or read from the store when asked (its last
// refusal), and served by GET /api/setup.
import type { Router } from 'express';
import type { Store } from '../store/store.js';
import { ActiveMeetings } from './active-meetings.js';
import { storedHistory } from './delivery-history.js';
import { DeliveryTracker } from './delivery-tracker.js';
import { setupRoutes, type SetupRoutesOptions } from './routes.js';

export interface SetupHealth {
  routes(options: Omit<SetupRoutesOptions, 'meetings' | 'history'>): Router;
}

export function setupHealth(store: Pick<Store, 'rows' | 'onCommitted' | 'listEvents'>): SetupHealth {
  const deliveries = new DeliveryTracker(storedHistory(store));
  const meetings = new ActiveMeetings(store.rows);
  store.onCommitted((entries) => {
    deliveries.committed(entries);
    meetings.committed(entries);
  });
  return {
    routes: (options) => setupRoutes({ ...options, meetings, history: deliveries }),
  };
}
