// Placeholder for the PostgreSQL backend (branch i9-pg replaces this file with the real one): it keeps
// open-store.ts's import literal, so that the bundle in dist/ carries the backend once it exists.
import { StartupError } from '../../startup-error.js';
import type { OpenPostgresStore } from '../store.js';

export const openPostgresStore: OpenPostgresStore = async () => {
  throw new StartupError('DATABASE_URL is set, but this roomwatch has no PostgreSQL backend built yet; unset DATABASE_URL to use SQLite under DATA_DIR');
};
