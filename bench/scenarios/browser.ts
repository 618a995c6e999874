// Figure 5: the dashboard with many rooms, in headless chromium, at 1 000 rooms and at 10 000. The
// project server gets its rooms through real signed webhooks; the page reports how long drawing them took
// (style and layout included) and how long applying one live badge change took (window.roomwatch.timings,
// stamped by the page itself, not polled through the driver).
import { existsSync } from 'node:fs';
import { chromium, type Page } from '@playwright/test';
import { signMeetWebhook } from '../../server/platforms/meet/sign.js';
import { MEET_API_KEY } from '../load/meet-webhooks.js';
import { goal, projectFigure } from '../report/figures.js';
import { formatCount, formatNumber } from '../report/format.js';
import { withServer, type Scenario } from './scenario.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'];

interface Timings {
  firstRenderMs: number;
  lastFrameMs: number;
}

/** Goals per size: the dashboard's everyday size, and the large installation issue 11 asks for. */
const GOALS: Record<'everyday' | 'large', { renderMs: number; badgeMs: number }> = {
  everyday: { renderMs: 200, badgeMs: 5 },
  large: { renderMs: 1500, badgeMs: 50 },
};

export const measureBrowser: Scenario = async ({ settings, progress }) => {
  const { rooms, largeRooms, pageLoads, badgeUpdates } = settings.browser;
  if (!existsSync(CHROMIUM)) {
    return { figures: [], notes: [`browser: skipped, no chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`], details: {} };
  }
  const everyday = await measureAt(rooms, { pageLoads, badgeUpdates, progress });
  const large = await measureAt(largeRooms, { pageLoads, badgeUpdates, progress });
  const figuresOf = (run: BrowserRun, size: number, goals: (typeof GOALS)['large']) => [
    projectFigure(`first render of ${formatCount(size)} rooms, headless chromium (median)`, 'ms', median(run.firstRenders), goal('project', '<', goals.renderMs)),
    projectFigure(`one badge update among ${formatCount(size)} rooms (median)`, 'ms', median(run.updates), goal('project', '<', goals.badgeMs)),
  ];
  return {
    figures: [...figuresOf(everyday, rooms, GOALS.everyday), ...figuresOf(large, largeRooms, GOALS.large)],
    notes: [everyday, large].map(
      (run, index) =>
        `browser, ${formatCount(index === 0 ? rooms : largeRooms)} rooms: badge updates max ${formatNumber(Math.max(...run.updates))} ms over ${run.updates.length}; first renders ${run.firstRenders.map((ms) => formatNumber(ms)).join(', ')} ms`,
    ),
    details: { everyday, large },
  };
};

interface BrowserRun {
  firstRenders: number[];
  updates: number[];
}

async function measureAt(
  rooms: number,
  { pageLoads, badgeUpdates, progress }: { pageLoads: number; badgeUpdates: number; progress: (message: string) => void },
): Promise<BrowserRun> {
  return withServer('project', async (server) => {
    const base = `http://127.0.0.1:${server.port}`;
    const send = (event: string, index: number, status: string) => {
      const creationDate = Date.now();
      const body = JSON.stringify({ event, creationDate, data: { roomId: `room-${index}`, roomName: `Room ${index}`, status, meetingEndAction: 'none' } });
      return fetch(`${base}/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-timestamp': String(creationDate), 'x-signature': signMeetWebhook(MEET_API_KEY, creationDate, body) },
        body,
      });
    };
    for (let index = 0; index < rooms; index += 50) {
      await Promise.all(Array.from({ length: Math.min(50, rooms - index) }, (_, i) => send('meetingStarted', index + i, 'active_meeting')));
    }
    progress(`project: ${rooms} rooms created through webhooks`);

    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      const firstRenders: number[] = [];
      for (let load = 0; load < pageLoads; load++) {
        if (load === 0) await page.goto(`${base}/#/rooms`);
        else await page.reload();
        await page.evaluate(() => (globalThis as unknown as { roomwatch: { ready: Promise<void> } }).roomwatch.ready);
        firstRenders.push((await timings(page)).firstRenderMs);
      }
      progress(`project: first render of ${rooms} rooms: ${firstRenders.map((ms) => formatNumber(ms)).join(', ')} ms`);
      await page.waitForSelector('#live-indicator[data-state="live"]');

      // The oldest rooms end their meeting one by one: each badge flips and its row moves to the top.
      const updates: number[] = [];
      for (let i = 0; i < badgeUpdates; i++) {
        await send('meetingEnded', i, 'open');
        await page.waitForSelector(`.room-row[data-key="meet:room-${i}"] .status-badge:text-is("OPEN")`);
        updates.push((await timings(page)).lastFrameMs);
      }
      progress(`project: badge updates among ${rooms} rooms: median ${formatNumber(median(updates))} ms, max ${formatNumber(Math.max(...updates))} ms`);
      return { firstRenders, updates };
    } finally {
      await browser.close();
    }
  });
}

function timings(page: Page): Promise<Timings> {
  return page.evaluate(() => (globalThis as unknown as { roomwatch: { timings: Timings } }).roomwatch.timings);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
