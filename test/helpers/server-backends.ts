// A real roomwatch on each store backend, for HTTP tests that must hold on both: SQLite under a data dir,
// and PostgreSQL (DATABASE_URL) on a database of its own, dropped with the server. The PostgreSQL one
// says why it skips when no server is reachable (test/helpers/postgres-db.ts).
import type { RoomwatchOptions } from '../../server/roomwatch.js';
import { createTestDatabase, postgresSkipReason } from './postgres-db.js';
import { startTestServer, type TestServer } from './server.js';

export interface ServerBackend {
  name: 'sqlite' | 'postgres';
  /** Why this backend's tests skip here, or undefined when they run. */
  skip: string | undefined;
  /** startTestServer on this backend; `dispose` also removes its store. */
  start(env?: Record<string, string>, options?: RoomwatchOptions): Promise<TestServer>;
}

export const serverBackends: ServerBackend[] = [
  { name: 'sqlite', skip: undefined, start: (env = {}, options = {}) => startTestServer(env, undefined, options) },
  {
    name: 'postgres',
    skip: postgresSkipReason,
    start: async (env = {}, options = {}) => {
      const database = await createTestDatabase();
      try {
        const server = await startTestServer({ ...env, DATABASE_URL: database.url }, undefined, options);
        const dispose = server.dispose;
        return Object.assign(server, {
          dispose: async () => {
            await dispose();
            await database.drop();
          },
        });
      } catch (error) {
        await database.drop();
        throw error;
      }
    },
  },
];
