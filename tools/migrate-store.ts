// npm run migrate-store -- --to postgres://…  [--data-dir DIR]: copies the SQLite store of a single
// instance (DATA_DIR, ./data by default) into an empty PostgreSQL database, with progress, so that several
// instances can share it (docs/several-instances.md). Stop the instance first.
import dotenv from 'dotenv';
import { parseArgs } from 'node:util';
import { migrateStore, type MigrationProgress } from '../server/store/migrate-store.js';
import { StartupError } from '../server/startup-error.js';
import { redacted } from '../server/store/postgres/connection.js';

dotenv.config({ quiet: true });

const USAGE = `usage: npm run migrate-store -- --to postgres://user:password@host:5432/db [--data-dir DIR]

Copies the SQLite store under DIR (default: DATA_DIR, else ./data) into the empty PostgreSQL database at
--to: the log with its sequence numbers and epoch, the rooms, the recordings and the refusals, in one
transaction. Stop the roomwatch instance that uses DIR first; then start instances with DATABASE_URL.`;

function fail(message: string): never {
  console.error(`migrate-store: ${message}`);
  process.exit(1);
}

let values;
try {
  ({ values } = parseArgs({ options: { to: { type: 'string' }, 'data-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } } }));
} catch (error) {
  fail(`${(error as Error).message}\n${USAGE}`);
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const to = values.to;
if (!to) fail(`--to is missing\n${USAGE}`);
if (!/^postgres(ql)?:\/\//.test(to)) fail('--to must be a postgres:// or postgresql:// URL');
const dataDir = values['data-dir'] ?? process.env.DATA_DIR ?? './data';
const target = redacted(to);

let last = '';
const progress = ({ table, done, total }: MigrationProgress) => {
  const line = `${table}: ${done.toLocaleString('en')} / ${total.toLocaleString('en')}${total > 0 ? ` (${Math.floor((done / total) * 100)}%)` : ''}`;
  if (line !== last) console.log(line);
  last = line;
};

console.log(`copying the store in ${dataDir} to ${target}…`);
try {
  const report = await migrateStore({ dataDir, databaseUrl: to, onProgress: progress });
  console.log(
    `done: ${report.events} log entries (up to #${report.latestSeq}), ${report.rooms} rooms, ${report.recordings} recordings, ${report.refusals} refusals; epoch ${report.epoch}.\n` +
      `Start the instances with DATABASE_URL set to this database.`,
  );
} catch (error) {
  fail(error instanceof StartupError ? error.message : `${(error as Error).message} (nothing was copied: the target is unchanged)`);
}

