// The PostgreSQL backend for the store contract suite and the PostgreSQL tests: a fresh database per
// location, stores opened on it with short timings so tests need not wait production intervals.
import { projectWebhook } from '../../server/domain/projection.js';
import { openPostgresStore, type PostgresTuning } from '../../server/store/postgres/index.js';
import type { Store, StoreOptions } from '../../server/store/store.js';
import type { BackendFactory, StoreLocation } from './store-backends.js';
import { createTestDatabase, postgresSkipReason, type TestDatabase } from './postgres-db.js';

/** Timings for tests: the tailer polls and the leader checks often. */
export const TEST_TUNING: PostgresTuning = { pollMs: 200, leaderCheckMs: 200, lockTimeoutMs: 2000, connectTimeoutSeconds: 2, tailerReadTimeoutMs: 1000 };

export function openOn(database: Pick<TestDatabase, 'url'>, options: Partial<StoreOptions> & PostgresTuning = {}): Promise<Store> {
  return openPostgresStore(database.url, { project: projectWebhook, ...TEST_TUNING, ...options });
}

export const postgresBackend: BackendFactory = {
  name: 'postgres',
  unavailable: async () => postgresSkipReason,
  create: async (): Promise<StoreLocation> => {
    const database = await createTestDatabase();
    return {
      open: (options) => openOn(database, options),
      destroy: () => database.drop(),
    };
  },
};
