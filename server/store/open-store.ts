// Opens the store the settings name: PostgreSQL when DATABASE_URL is set, else SQLite under DATA_DIR.
// The PostgreSQL backend is loaded only then, so the embedded default never loads a client it does not use.
// (A literal import: esbuild bundles it into dist/, where a computed path would find nothing.)
import type { Store, StoreOptions, StoreSettings } from './store.js';
import { openSqliteStore } from './sqlite/index.js';

export async function openStore(settings: StoreSettings, options: StoreOptions): Promise<Store> {
  if (settings.databaseUrl === undefined) return openSqliteStore(settings.dataDir, options);
  const { openPostgresStore } = await import('./postgres/index.js');
  return openPostgresStore(settings.databaseUrl, options);
}
