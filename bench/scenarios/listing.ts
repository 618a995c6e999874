// Figure 6: the event inspector's first page, for every filter, at 10 000 and at 100 000 stored
// webhooks. Each size is a fresh project server on a data dir filled beforehand (bench/load/stored-log.ts);
// each page is GET /api/events over HTTP, timed from the bench (request to last byte), median of many.
// The first search, which indexes every payload of the filled store, is timed apart.
// Goals: a page at 100 000 costs at most twice what it costs at 10 000, and under 20 ms.
import { performance } from 'node:perf_hooks';
import { fillStoredLog, RARE_TYPE, type StoredLog } from '../load/stored-log.js';
import { startProjectServer } from '../servers/server-under-test.js';
import { makeScratchDir } from '../servers/cleanup.js';
import { goal, projectFigure, type Figure } from '../report/figures.js';
import { formatCount, formatNumber } from '../report/format.js';
import type { Scenario } from './scenario.js';
import { SOURCE_IDS } from '../../server/platforms/catalog.js';

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
  const { sizes, requests } = settings.listing;
  const runs: SizeRun[] = [];
  for (const webhooks of sizes) {
    const dataDir = makeScratchDir('roomwatch-bench-listing-');
    const fillStart = performance.now();
    const log = await fillStoredLog(dataDir, webhooks);
    progress(`${formatCount(webhooks)} webhooks stored in ${formatNumber((performance.now() - fillStart) / 1000)} s`);
    const server = await startProjectServer(dataDir);
    try {
      // The first search indexes every webhook stored so far (later ones, only those stored since).
      const firstSearch = performance.now();
      const searched = await fetch(`http://127.0.0.1:${server.port}/api/events?${new URLSearchParams({ q: 'weekly', limit: '50' })}`);
      if (!searched.ok) throw new Error(`the first search answered ${searched.status}`);
      await searched.arrayBuffer();
      const firstSearchMs = performance.now() - firstSearch;
      progress(`${formatCount(webhooks)}: first search (indexes them all) ${formatNumber(firstSearchMs)} ms`);
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
            throw new Error(`GET /api/events (${name}) answered ${response.status} with ${page.entries?.length ?? 'no'} entries`);
          }
          if (round >= WARMUP_ROUNDS) times.get(name)!.push(elapsed);
        }
      }
      const medianMs = Object.fromEntries([...times].map(([name, values]) => [name, median(values)]));
      progress(`${formatCount(webhooks)}: ${Object.entries(medianMs).map(([name, ms]) => `${name} ${formatNumber(ms)} ms`).join(', ')}`);
      runs.push({ webhooks, medianMs, firstSearchMs });
    } finally {
      await server.stop();
    }
  }

  const [small, large] = [runs[0]!, runs.at(-1)!];
  const figures: Figure[] = [];
  const notes: string[] = [];
  for (const name of Object.keys(large.medianMs)) {
    const growth = large.medianMs[name]! / small.medianMs[name]!;
    figures.push(projectFigure(`listing page, ${name}: ${formatCount(small.webhooks)} → ${formatCount(large.webhooks)} webhooks`, '×', growth, goal('project', '≤', 2)));
    notes.push(`listing, ${name}: ${formatNumber(small.medianMs[name]!)} ms at ${formatCount(small.webhooks)}, ${formatNumber(large.medianMs[name]!)} ms at ${formatCount(large.webhooks)}`);
  }
  notes.push(`listing: the first search indexes the payloads stored until then: ${runs.map((run) => `${formatNumber(run.firstSearchMs)} ms for ${formatCount(run.webhooks)}`).join(', ')}`);
  const [slowest, slowestMs] = Object.entries(large.medianMs).reduce((a, b) => (b[1] > a[1] ? b : a));
  figures.push(projectFigure(`listing page at ${formatCount(large.webhooks)} webhooks, slowest filter (${slowest}; median, over HTTP)`, 'ms', slowestMs, goal('project', '<', 20)));
  return { figures, notes, details: { runs } };
};

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
