// Figure 6: the event inspector's first page, for every filter, at 10 000 and at 100 000 stored
// webhooks, on SQLite and on PostgreSQL (when a server answers at BENCH_POSTGRES_URL, by default
// postgres://root@127.0.0.1:5432/test; each size on a database of its own, dropped after). Each size is a
// fresh project server on a store filled beforehand (bench/load/stored-log.ts); each page is
// GET /api/events over HTTP, timed from the bench (request to last byte), median of many. The first
// search, which indexes every payload of the filled store on SQLite, is timed apart.
// Goals: a page at 100 000 costs at most twice what it costs at 10 000, and on SQLite under 20 ms.
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import postgres from 'postgres';
import { fillStoredLog, RARE_TYPE, type OpenStoreWithClock, type StoredLog } from '../load/stored-log.js';
import { startProjectServer } from '../servers/server-under-test.js';
import { makeScratchDir } from '../servers/cleanup.js';
import { goal, projectFigure, type Figure } from '../report/figures.js';
import { formatCount, formatNumber } from '../report/format.js';
import type { Scenario } from './scenario.js';
import { SOURCE_IDS } from '../../server/platforms/catalog.js';
import { projectWebhook } from '../../server/domain/projection.js';
import { openSqliteStore } from '../../server/store/sqlite/index.js';
import { openPostgresStore } from '../../server/store/postgres/index.js';

const POSTGRES_ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://root@127.0.0.1:5432/test';

/** Where one size's store lives: how to fill it, the settings the server gets, and how to remove it. */
interface StoreLocation {
  open: OpenStoreWithClock;
  /** After the fill, before the server starts: what a store in use would have done by then. */
  settle(): Promise<void>;
  env: Record<string, string>;
  drop(): Promise<void>;
}

interface BenchBackend {
  name: 'SQLite' | 'PostgreSQL';
  /** Why it cannot run here, or undefined. */
  unavailable(): Promise<string | undefined>;
  locate(dataDir: string): Promise<StoreLocation>;
}

const SQLITE: BenchBackend = {
  name: 'SQLite',
  unavailable: async () => undefined,
  locate: async (dataDir) => ({
    open: (options) => openSqliteStore(dataDir, { project: projectWebhook, ...options }),
    settle: async () => {},
    env: {},
    drop: async () => {},
  }),
};

const POSTGRES: BenchBackend = {
  name: 'PostgreSQL',
  unavailable: async () => {
    const admin = postgres(POSTGRES_ADMIN_URL, { max: 1, connect_timeout: 3, onnotice: () => {} });
    try {
      await admin`SELECT 1`;
      return undefined;
    } catch (error) {
      return `no PostgreSQL at ${new URL(POSTGRES_ADMIN_URL).host} (${(error as Error).message})`;
    } finally {
      await admin.end({ timeout: 1 });
    }
  },
  locate: async () => {
    const admin = postgres(POSTGRES_ADMIN_URL, { max: 1, onnotice: () => {} });
    const name = `roomwatch_bench_${randomBytes(4).toString('hex')}`;
    await admin.unsafe(`CREATE DATABASE ${name}`);
    const url = new URL(POSTGRES_ADMIN_URL);
    url.pathname = `/${name}`;
    return {
      open: (options) => openPostgresStore(url.toString(), { project: projectWebhook, ...options }),
      // The planner's statistics, which autovacuum gathers within a minute or so of a bulk of new rows;
      // a store filled in seconds and read at once would be planned without them (a page then sorts
      // every row of its filter: 20–100 ms here at 100 000 instead of under 1 ms of execution).
      settle: async () => {
        const sql = postgres(url.toString(), { max: 1, onnotice: () => {} });
        try {
          await sql`ANALYZE`;
        } finally {
          await sql.end({ timeout: 1 });
        }
      },
      env: { DATABASE_URL: url.toString() },
      drop: async () => {
        await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await admin.end({ timeout: 1 });
      },
    };
  },
};

const HOUR_MS = 3_600_000;
const WARMUP_ROUNDS = 20;

/** The filters measured, as query parameters, given what the filled log holds. */
function filters(log: StoredLog): Record<string, Record<string, string>> {
  const middle = Math.floor((log.oldestAt + log.newestAt) / 2);
  return {
    'no filter': {},
    'source=<a second platform>': { source: SOURCE_IDS[1]! },
    'type=meetingStarted': { type: 'meetingStarted' },
    [`type=${RARE_TYPE} (1 in 200)`]: { type: RARE_TYPE },
    'room=<a recent room>': { room: log.recentRoomId },
    'outcome=accepted': { outcome: 'accepted' },
    'outcome=repeat (1 in 97)': { outcome: 'repeat' },
    'outcome=refused': { outcome: 'refused' },
    'outcome=replay': { outcome: 'replay' },
    'the last hour': { from: String(log.newestAt - HOUR_MS) },
    'an hour in the middle': { from: String(middle - HOUR_MS), to: String(middle) },
    'source=meet & type=meetingEnded': { source: 'meet', type: 'meetingEnded' },
    'a page from the middle (before=)': { before: `${middle}:w:999999999999999` },
    'search q=<a recent room name>': { q: log.recentRoomName },
    'search q=weekly (every Meet webhook)': { q: 'weekly' },
    'roomName=<a recent room>': { roomName: log.recentRoomName },
  };
}

interface SizeRun {
  webhooks: number;
  /** Median ms per page, by filter name. */
  medianMs: Record<string, number>;
  /** The first search on the freshly filled store, which indexes every webhook in it. */
  firstSearchMs: number;
}

export const measureListing: Scenario = async ({ settings, progress }) => {
  const figures: Figure[] = [];
  const notes: string[] = [];
  const details: Record<string, SizeRun[]> = {};
  for (const backend of [SQLITE, POSTGRES]) {
    const unavailable = await backend.unavailable();
    if (unavailable !== undefined) {
      notes.push(`listing on ${backend.name} skipped: ${unavailable}`);
      continue;
    }
    const runs = await measureBackend(backend, settings.listing, progress);
    details[backend.name] = runs;
    const [small, large] = [runs[0]!, runs.at(-1)!];
    for (const name of Object.keys(large.medianMs)) {
      const growth = large.medianMs[name]! / small.medianMs[name]!;
      figures.push(projectFigure(`listing page on ${backend.name}, ${name}: ${formatCount(small.webhooks)} → ${formatCount(large.webhooks)} webhooks`, '×', growth, goal('project', '≤', 2)));
      notes.push(`listing on ${backend.name}, ${name}: ${formatNumber(small.medianMs[name]!)} ms at ${formatCount(small.webhooks)}, ${formatNumber(large.medianMs[name]!)} ms at ${formatCount(large.webhooks)}`);
    }
    notes.push(`listing on ${backend.name}: the first search after filling: ${runs.map((run) => `${formatNumber(run.firstSearchMs)} ms for ${formatCount(run.webhooks)}`).join(', ')}`);
    const [slowest, slowestMs] = Object.entries(large.medianMs).reduce((a, b) => (b[1] > a[1] ? b : a));
    const slowestName = `listing page on ${backend.name} at ${formatCount(large.webhooks)} webhooks, slowest filter (${slowest}; median, over HTTP)`;
    // The 20 ms goal is SQLite's (issue 9); PostgreSQL's page is held to its growth only.
    if (backend === SQLITE) figures.push(projectFigure(slowestName, 'ms', slowestMs, goal('project', '<', 20)));
    else notes.push(`${slowestName}: ${formatNumber(slowestMs)} ms`);
  }
  return { figures, notes, details };
};

async function measureBackend(backend: BenchBackend, { sizes, requests }: { sizes: number[]; requests: number }, progress: (line: string) => void): Promise<SizeRun[]> {
  const runs: SizeRun[] = [];
  for (const webhooks of sizes) {
    const dataDir = makeScratchDir('roomwatch-bench-listing-');
    const location = await backend.locate(dataDir);
    try {
      const fillStart = performance.now();
      const log = await fillStoredLog(location.open, webhooks);
      await location.settle();
      progress(`${backend.name}: ${formatCount(webhooks)} webhooks stored in ${formatNumber((performance.now() - fillStart) / 1000)} s`);
      const server = await startProjectServer({ dataDir, env: location.env });
      try {
        // On SQLite the first search indexes every webhook stored so far (later ones, only those stored since).
        const firstSearch = performance.now();
        const searched = await fetch(`http://127.0.0.1:${server.port}/api/events?${new URLSearchParams({ q: 'weekly', limit: '50' })}`);
        if (!searched.ok) throw new Error(`the first search answered ${searched.status}`);
        await searched.arrayBuffer();
        const firstSearchMs = performance.now() - firstSearch;
        progress(`${backend.name}, ${formatCount(webhooks)}: first search ${formatNumber(firstSearchMs)} ms`);
        // Round by round, each filter once per round: a burst of load from elsewhere on this shared
        // machine then weighs on every filter alike rather than on the one being timed.
        const urls = Object.entries(filters(log)).map(([name, query]) => [name, `http://127.0.0.1:${server.port}/api/events?${new URLSearchParams({ ...query, limit: '50' })}`] as const);
        const times = new Map<string, number[]>(urls.map(([name]) => [name, []]));
        for (let round = 0; round < WARMUP_ROUNDS + requests; round++) {
          for (const [name, url] of urls) {
            const start = performance.now();
            const response = await fetch(url);
            const page = (await response.json()) as { entries?: unknown[] };
            const elapsed = performance.now() - start;
            if (!response.ok || !Array.isArray(page.entries) || page.entries.length === 0) {
              throw new Error(`GET /api/events (${name}) on ${backend.name} answered ${response.status} with ${page.entries?.length ?? 'no'} entries`);
            }
            if (round >= WARMUP_ROUNDS) times.get(name)!.push(elapsed);
          }
        }
        const medianMs = Object.fromEntries([...times].map(([name, values]) => [name, median(values)]));
        progress(`${backend.name}, ${formatCount(webhooks)}: ${Object.entries(medianMs).map(([name, ms]) => `${name} ${formatNumber(ms)} ms`).join(', ')}`);
        runs.push({ webhooks, medianMs, firstSearchMs });
      } finally {
        await server.stop();
      }
    } finally {
      await location.drop();
    }
  }
  return runs;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
