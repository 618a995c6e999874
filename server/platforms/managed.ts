// The platforms roomwatch manages through their REST API: each enabled platform whose descriptor has an
// `api`, with the reconciler that keeps its rows healed and the status the dashboard shows.
import type { ApiStatus } from '../domain/rows.js';
import type { SourceId } from './catalog.js';
import type { Reconciler } from './reconciler.js';
import type { PlatformApi } from './types.js';

export interface ManagedPlatform {
  id: SourceId;
  label: string;
  api: PlatformApi;
  reconciler: Reconciler;
}

/** A platform API's status with what its page needs besides (Meet: webComponentUrl). */
export function apiStatusOf({ api, reconciler }: ManagedPlatform): ApiStatus & Record<string, unknown> {
  return { ...reconciler.status, ...api.details?.() };
}
