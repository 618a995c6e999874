// The real SQLite store on a test's data dir, with the real projection unless a test gives its own.
import { projectWebhook } from '../../server/domain/projection.js';
import { openSqliteStore } from '../../server/store/sqlite/index.js';
import type { Store, StoreOptions } from '../../server/store/store.js';

export function openTestStore(dataDir: string, options: Partial<StoreOptions> = {}): Promise<Store> {
  return openSqliteStore(dataDir, { project: projectWebhook, ...options });
}
