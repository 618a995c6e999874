// Setup health as app.ts wires it: what the setup screen reports is followed as it happens (each platform's
// last webhook and refusal, its meetings now), and served by GET /api/setup.
import type { Router } from 'express';
import type { EventCatalog } from '../inspector/event-catalog.js';
import type { Refusal } from '../ingest/route.js';
import type { EventLog } from '../store/event-log.js';
import type { RowStore } from '../store/row-store.js';
import { ActiveMeetings } from './active-meetings.js';
import { catalogHistory } from './delivery-history.js';
import { DeliveryTracker } from './delivery-tracker.js';
import { setupRoutes, type SetupRoutesOptions } from './routes.js';

export interface SetupHealth {
  /** A webhook was just refused (the intake's onRefused). */
  refused(refusal: Refusal): void;
  routes(options: Omit<SetupRoutesOptions, 'meetings' | 'history'>): Router;
}

export function setupHealth({ events, rows, catalog }: { events: EventLog; rows: RowStore; catalog: EventCatalog }): SetupHealth {
  const deliveries = new DeliveryTracker(catalogHistory(catalog));
  const meetings = new ActiveMeetings(() => rows.allRooms());
  events.onCommitted((entries) => {
    deliveries.committed(entries);
    meetings.committed(entries);
  });
  return {
    refused: (refusal) => deliveries.refused(refusal),
    routes: (options) => setupRoutes({ ...options, meetings, history: deliveries }),
  };
}
