// The store backends the contract suite (test/store-contract.test.ts) runs against. SQLite always; PostgreSQL
// when test/helpers/postgres-store.ts exists (it exports `postgresBackend: BackendFactory`) — that backend
// says itself when no server is reachable (`unavailable`), and the suite then skips it and says why.
import { rmSync } from 'node:fs';
import type { Store, StoreOptions } from '../../server/store/store.js';
import { makeDataDir } from './server.js';
import { openTestStore } from './sqlite-store.js';

/** One place a store lives (a data dir, a database), opened and reopened by the suite. */
export interface StoreLocation {
  /** Opens a store here (creating it on the first open). `project` defaults to the real projection. */
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

export const sqliteBackend: BackendFactory = {
  name: 'sqlite',
  unavailable: async () => undefined,
  create: async () => {
    const dataDir = makeDataDir();
    return {
      open: (options) => openTestStore(dataDir, options),
      destroy: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  },
};

/** The PostgreSQL backend's factory, when this checkout has one. */
async function postgresBackend(): Promise<BackendFactory[]> {
  // A variable, so that this file compiles before that helper exists.
  const helper = './postgres-store.js';
  try {
    const { postgresBackend: backend } = (await import(helper)) as { postgresBackend?: BackendFactory };
    return backend ? [backend] : [];
  } catch (error) {
    // Only the helper itself missing means "no such backend here"; anything it imports missing is an error.
    if ((error as { code?: unknown }).code === 'ERR_MODULE_NOT_FOUND' && String((error as Error).message).includes('postgres-store')) return [];
    throw error;
  }
}

export const storeBackends: BackendFactory[] = [sqliteBackend, ...(await postgresBackend())];
