// Figure 6: GET /api/usage on stores holding 30 days of meetings at two sizes (the request should cost the
// same: the answer comes from the aggregate in memory, not from the log), how long the server takes to
// build that aggregate at start, and the Usage screen's first render in headless chromium.
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { chromium } from '@playwright/test';
import { writeUsageHistory } from '../load/usage-history.js';
import { goal, projectFigure, type Figure } from '../report/figures.js';
import { formatCount, formatNumber } from '../report/format.js';
import { startProjectServer } from '../servers/server-under-test.js';
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
  /** From spawning the server to its first /healthz answer: the aggregate is built before it listens. */
  startMs: number;
  /** Median request time per query, by query name. */
  medians: Record<string, number>;
  firstRenders?: number[];
}

export const measureUsage: Scenario = async ({ settings, progress }) => {
  const { webhookCounts, days, requests, pageLoads } = settings.usage;
  const runs: SizeRun[] = [];
  const notes: string[] = [];
  for (const [index, webhooks] of webhookCounts.entries()) {
    let writeMs = 0;
    let written = 0;
    const spawnClock = { at: 0 };
    const server = await startProjectServer(async (dataDir) => {
      const clock = performance.now();
      written = await writeUsageHistory(dataDir, { webhooks, days, rooms: ROOMS, until: Date.now() });
      writeMs = performance.now() - clock;
      spawnClock.at = performance.now();
    });
    const startMs = performance.now() - spawnClock.at;
    try {
      progress(`${formatCount(written)} webhooks over ${days} days written in ${formatNumber(writeMs)} ms; server ready in ${formatNumber(startMs)} ms`);
      const base = `http://127.0.0.1:${server.port}`;
      const medians: Record<string, number> = {};
      for (const query of QUERIES) {
        const url = () => `${base}/api/usage?${new URLSearchParams({ from: String(Date.now() - query.spanMs), bucket: query.bucket }).toString()}`;
        for (let i = 0; i < 5; i++) await (await fetch(url())).arrayBuffer();
        const times: number[] = [];
        for (let i = 0; i < requests; i++) {
          const clock = performance.now();
          const response = await fetch(url());
          await response.arrayBuffer();
          times.push(performance.now() - clock);
          if (!response.ok) throw new Error(`GET /api/usage answered ${response.status}`);
        }
        medians[query.name] = median(times);
        progress(`${formatCount(written)} webhooks: GET /api/usage ${query.name}: median ${formatNumber(medians[query.name]!)} ms`);
      }
      const run: SizeRun = { webhooks: written, writeMs, startMs, medians };
      if (index === webhookCounts.length - 1) {
        if (existsSync(CHROMIUM)) run.firstRenders = await firstRenders(base, pageLoads);
        else notes.push(`usage: Usage screen render skipped, no chromium at ${CHROMIUM}`);
        if (run.firstRenders) progress(`Usage screen first render: ${run.firstRenders.map((ms) => formatNumber(ms)).join(', ')} ms`);
      }
      runs.push(run);
    } finally {
      await server.stop();
    }
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
  notes.push(...runs.map((run) => `usage: ${formatCount(run.webhooks)} webhooks: server ready in ${formatNumber(run.startMs)} ms (aggregate built from the log at start); history written in ${formatNumber(run.writeMs)} ms`));
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

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
