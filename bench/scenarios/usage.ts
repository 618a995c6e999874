// Figure 6: GET /api/usage on stores holding 30 days of meetings at two sizes (the request should cost the
// same: the answer comes from the aggregate in memory, not from the log), how long after start the first
// answer comes (the aggregate reads the log in the background), and the Usage screen's first render in
// headless chromium.
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { chromium } from '@playwright/test';
import { writeUsageHistory } from '../load/usage-history.js';
import { goal, projectFigure, type Figure } from '../report/figures.js';
import { formatCount, formatNumber } from '../report/format.js';
import { startProjectServer, type ServerUnderTest } from '../servers/server-under-test.js';
import type { Scenario } from './scenario.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'];
const DAY = 86_400_000;
/** Meetings take turns in this many rooms. */
const ROOMS = 200;

/** What the Usage screen asks for, and a month by day. */
const QUERIES = [
  { name: '24 h in 15 min buckets', spanMs: DAY, bucket: '15m' },
  { name: '7 d in 1 h buckets', spanMs: 7 * DAY, bucket: '1h' },
  { name: '30 d in 1 d buckets', spanMs: 30 * DAY, bucket: '1d' },
] as const;

interface SizeRun {
  webhooks: number;
  writeMs: number;
  /** From spawning the server to its first /healthz answer. */
  startMs: number;
  /** From then to the first /api/usage answer: it waits until the log read at start is counted. */
  firstAnswerMs: number;
  /** Median request time per query, by query name. */
  medians: Record<string, number>;
  firstRenders?: number[];
}

export const measureUsage: Scenario = async ({ settings, progress }) => {
  const { webhookCounts, days, requests, pageLoads } = settings.usage;
  const runs: SizeRun[] = [];
  const notes: string[] = [];
  const servers: ServerUnderTest[] = [];
  try {
    // Every size's server runs at once, and the requests alternate between them: a burst of load from
    // something else on this shared machine weighs on all sizes alike.
    for (const webhooks of webhookCounts) {
      let writeMs = 0;
      let written = 0;
      let spawnedAt = 0;
      const server = await startProjectServer({ prepare: async (dataDir) => {
        const clock = performance.now();
        written = await writeUsageHistory(dataDir, { webhooks, days, rooms: ROOMS, until: Date.now() });
        writeMs = performance.now() - clock;
        spawnedAt = performance.now();
      } });
      servers.push(server);
      const startMs = performance.now() - spawnedAt;
      const firstClock = performance.now();
      await (await fetch(`${baseOf(server)}/api/usage`)).arrayBuffer();
      const firstAnswerMs = performance.now() - firstClock;
      progress(
        `${formatCount(written)} webhooks over ${days} days written in ${formatNumber(writeMs)} ms; server ready in ${formatNumber(startMs)} ms, first usage answer ${formatNumber(firstAnswerMs)} ms later`,
      );
      runs.push({ webhooks: written, writeMs, startMs, firstAnswerMs, medians: {} });
    }
    for (const query of QUERIES) {
      const url = (server: ServerUnderTest) => `${baseOf(server)}/api/usage?${new URLSearchParams({ from: String(Date.now() - query.spanMs), bucket: query.bucket }).toString()}`;
      const times: number[][] = servers.map(() => []);
      for (let i = -5; i < requests; i++) {
        for (const [index, server] of servers.entries()) {
          const clock = performance.now();
          const response = await fetch(url(server));
          await response.arrayBuffer();
          if (!response.ok) throw new Error(`GET /api/usage answered ${response.status}`);
          if (i >= 0) times[index]!.push(performance.now() - clock); // the first 5 warm up
        }
      }
      runs.forEach((run, index) => (run.medians[query.name] = median(times[index]!)));
      progress(`GET /api/usage ${query.name}: median ${runs.map((run) => `${formatNumber(run.medians[query.name]!)} ms at ${formatCount(run.webhooks)}`).join(', ')}`);
    }
    const largest = runs.at(-1)!;
    if (existsSync(CHROMIUM)) {
      largest.firstRenders = await firstRenders(baseOf(servers.at(-1)!), pageLoads);
      progress(`Usage screen first render: ${largest.firstRenders.map((ms) => formatNumber(ms)).join(', ')} ms`);
    } else {
      notes.push(`usage: Usage screen render skipped, no chromium at ${CHROMIUM}`);
    }
  } finally {
    for (const server of servers) await server.stop();
  }

  const small = runs[0]!;
  const large = runs.at(-1)!;
  const figures: Figure[] = QUERIES.map((query) =>
    projectFigure(`GET /api/usage, ${query.name}, ${formatCount(large.webhooks)} webhooks (median)`, 'ms', large.medians[query.name]!, goal('project', '<', 50)),
  );
  // Flat: the slowest query's time at the larger store over its time at the smaller one.
  const growth = Math.max(...QUERIES.map((query) => large.medians[query.name]! / small.medians[query.name]!));
  figures.push(projectFigure(`GET /api/usage time, ${formatCount(large.webhooks)} ÷ ${formatCount(small.webhooks)} webhooks (worst query)`, '×', growth, goal('project', '≤', 1.5)));
  if (large.firstRenders) {
    figures.push(projectFigure(`Usage screen (7 d) first render with data, headless chromium (median, ms since navigation)`, 'ms', median(large.firstRenders), goal('project', '<', 1000)));
  }
  notes.push(
    ...runs.map(
      (run) =>
        `usage: ${formatCount(run.webhooks)} webhooks: server ready in ${formatNumber(run.startMs)} ms; its first usage answer ${formatNumber(run.firstAnswerMs)} ms later (the log read at start); history written in ${formatNumber(run.writeMs)} ms`,
    ),
  );
  return { figures, notes, details: { runs } };
};

/** Loads #/usage?range=7d afresh each time; the page stamps when its charts were first drawn with data. */
async function firstRenders(base: string, loads: number): Promise<number[]> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const renders: number[] = [];
    for (let load = 0; load < loads; load++) {
      if (load === 0) await page.goto(`${base}/#/usage?range=7d`);
      else await page.reload();
      const drawn = await page.waitForSelector('#usage-screen[data-first-drawn-at]');
      renders.push(Number(await drawn.getAttribute('data-first-drawn-at')));
    }
    return renders;
  } finally {
    await browser.close();
  }
}

const baseOf = (server: ServerUnderTest) => `http://127.0.0.1:${server.port}`;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
