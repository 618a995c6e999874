// A database of its own for each PostgreSQL test, on the machine's server (127.0.0.1:5432, trust auth,
// user root, database test), dropped afterwards. When no server answers, the tests skip with a plain
// message; with REQUIRE_POSTGRES=1 (.ci/run) they fail instead.
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';

/** Where the tests' server is; TEST_POSTGRES_URL points them at another one. */
const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://root@127.0.0.1:5432/test';
const REQUIRED = process.env.REQUIRE_POSTGRES === '1';

export type Sql = postgres.Sql;

export interface TestDatabase {
  name: string;
  /** The URL an instance uses (DATABASE_URL). */
  url: string;
  /** A connection to the server's admin database, to look at or break the test database's connections. */
  admin: Sql;
  /** Terminates every connection to this database whose application_name starts with `prefix`. */
  terminate(applicationNamePrefix: string): Promise<number>;
  /** Makes the database refuse new connections and ends the open ones: PostgreSQL is "down" for it. */
  cutOff(): Promise<void>;
  /** Lets connections in again. */
  restore(): Promise<void>;
  drop(): Promise<void>;
}

/** Why the PostgreSQL tests skip (no server), or undefined when they run. Throws when they must run. */
export const postgresSkipReason: string | undefined = await probe();

async function probe(): Promise<string | undefined> {
  const sql = postgres(ADMIN_URL, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await sql`SELECT 1`;
    return undefined;
  } catch (error) {
    const reason = `PostgreSQL tests skipped: no server at ${ADMIN_URL} (${(error as Error).message})`;
    if (REQUIRED) throw new Error(`REQUIRE_POSTGRES=1 but ${reason}`, { cause: error });
    // Said once per test file, plainly, so `npm test` shows they did not run.
    console.log(`# ${reason}`);
    return reason;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `roomwatch_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(ADMIN_URL, { max: 2, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const terminate = async (prefix: string) => {
    const ended = await admin`
      SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity
      WHERE datname = ${name} AND application_name LIKE ${`${prefix}%`} AND pid <> pg_backend_pid()`;
    return ended.filter((row) => row.ended).length;
  };
  return {
    name,
    url: url.toString(),
    admin,
    terminate,
    cutOff: async () => {
      await admin.unsafe(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
      await terminate('');
    },
    restore: async () => {
      await admin.unsafe(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
    },
    drop: async () => {
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end({ timeout: 1 });
    },
  };
}
