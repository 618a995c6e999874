// The store backends the contract suite (test/store-contract.test.ts) runs against. SQLite always; PostgreSQL
// when test/helpers/postgres-store.ts exists (it exports `postgresBackend`) — that backend says itself
// when no server is reachable, and the suite then skips it and says so.
import type { Store, StoreOptions } from '../../server/store/store.js';

/** One place a store lives (a data dir, a database), opened and reopened by the suite. */
export interface StoreLocation {
  /** Opens the store here (creating it on the first open). `project` defaults to the real projection. */
  open(options?: Partial<StoreOptions>): Promise<Store>;
  /** Removes the store here (the data dir, the database); stores opened from it must be closed first. */
  destroy(): Promise<void>;
}

export interface BackendFactory {
  name: string;
  /** Why this backend cannot run here (no PostgreSQL reachable), or undefined when it can. */
  unavailable(): Promise<string | undefined>;
  /** A new, empty location. */
  create(): Promise<StoreLocation>;
}

export const storeBackends: BackendFactory[] = [];
