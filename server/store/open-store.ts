// Opens the store the settings name: PostgreSQL when DATABASE_URL is set, else SQLite under DATA_DIR.
// The PostgreSQL backend is loaded only then, so the embedded default never loads a client it does not use.
import { StartupError } from '../startup-error.js';
import type { OpenPostgresStore, Store, StoreOptions, StoreSettings } from './store.js';
import { openSqliteStore } from './sqlite/index.js';

// A variable, so that this file compiles before the backend exists; its shape is checked where it is used.
const POSTGRES_BACKEND = './postgres/index.js';

export async function openStore(settings: StoreSettings, options: StoreOptions): Promise<Store> {
  if (settings.databaseUrl === undefined) return openSqliteStore(settings.dataDir, options);
  let backend: { openPostgresStore?: OpenPostgresStore };
  try {
    backend = (await import(POSTGRES_BACKEND)) as { openPostgresStore?: OpenPostgresStore };
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    backend = {};
  }
  if (!backend.openPostgresStore) {
    throw new StartupError('DATABASE_URL is set, but this roomwatch has no PostgreSQL backend built yet; unset DATABASE_URL to use SQLite under DATA_DIR');
  }
  return backend.openPostgresStore(settings.databaseUrl, options);
}
