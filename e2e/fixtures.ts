// What every browser test stands on: the Meet simulator and a real roomwatch (real SQLite file, real
// HTTP on 127.0.0.1) wired together, a fresh pair per test, and helpers to reach the dashboard.
import { test as base, expect, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { DashboardSnapshot } from '../server/domain/rows.js';
import { startStack as startBaseStack, type Stack as BaseStack, type StackOptions } from '../test/helpers/stack.js';
import { runningClock, type TestClock } from '../test/helpers/clock.js';

export type { StackOptions };

export interface Stack extends BaseStack {
  /** roomwatch's base URL, e.g. http://127.0.0.1:41234 (the same across restarts). */
  url: string;
  /** roomwatch's clock: real time, and `advance(1)` between two webhooks gives them distinct receive times. */
  clock: TestClock;
  /** Asks roomwatch to re-read Meet now and waits until its state satisfies `check`. */
  reconcileUntil(check: (snapshot: DashboardSnapshot) => boolean): Promise<DashboardSnapshot>;
  /** Creates rooms in Meet (no webhook exists for that) and waits until roomwatch lists them. */
  createRooms(...names: string[]): Promise<string[]>;
}

/** The stack of the node tests (test/helpers/stack.ts), with the helpers browser tests need. */
export async function startStack({ env = {}, meet: meetOptions = {} }: StackOptions = {}): Promise<Stack> {
  const clock = runningClock();
  const base = await startBaseStack({ env, meet: { timing: { startMs: 300, stopMs: 300 }, ...meetOptions }, now: clock.now });
  const { meet } = base;

  // With a dashboard password, the helpers below sign in once, like a browser would.
  let cookie: string | undefined;
  const api = async (path: string, init: RequestInit = {}) => {
    if (env.DASHBOARD_PASSWORD && cookie === undefined) {
      const login = await fetch(`${stack.url}/login`, {
        method: 'POST',
        body: new URLSearchParams({ password: env.DASHBOARD_PASSWORD }),
        redirect: 'manual',
      });
      cookie = login.headers.getSetCookie().map((header) => header.split(';')[0]).join('; ');
    }
    return fetch(`${stack.url}${path}`, { ...init, headers: cookie ? { cookie } : {} });
  };

  const extras: Omit<Stack, keyof BaseStack> = {
    url: base.roomwatch.url,
    clock,
    reconcileUntil: async (check) => {
      const deadline = Date.now() + 10_000;
      for (;;) {
        await api('/api/reconcile', { method: 'POST' });
        const snapshot = (await (await api('/api/state')).json()) as DashboardSnapshot;
        if (check(snapshot)) return snapshot;
        if (Date.now() > deadline) throw new Error(`roomwatch did not reach the expected state; it has ${JSON.stringify(snapshot).slice(0, 1000)}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    createRooms: async (...names) => {
      const ids = names.map((name) => meet.createRoom(name).roomId);
      await stack.reconcileUntil((snapshot) => ids.every((id) => snapshot.rooms.some((row) => row.roomId === id)));
      return ids;
    },
  };
  const stack: Stack = Object.assign(base, extras);
  return stack;
}

/** Opens a dashboard route and waits until the snapshot is drawn and the stream is live. */
export async function openDashboard(page: Page, stack: Stack, hash = '#/rooms'): Promise<void> {
  await page.goto(`${stack.url}/${hash}`);
  await page.evaluate(() => (globalThis as unknown as { roomwatch: { ready: Promise<void> } }).roomwatch.ready);
  await expect(page.locator('#live-indicator')).toHaveAttribute('data-state', 'live');
}

/** The CSS selector of a room's list item, found by its id (for code that runs in the page). */
export const roomRowSelector = (roomId: string) => `.room-row[data-key="meet:${roomId}"]`;

/** The list item of a room, found by its id. */
export function roomRow(page: Page, stack: Stack, roomId: string) {
  return page.locator(roomRowSelector(roomId));
}

export function recordingRow(page: Page, recordingId: string) {
  return page.locator(`.recording-row[data-key="meet:${recordingId}"]`);
}

/** roomwatch serves the page from dist/public: rebuild it when public/ (or the catalog it bundles) changed since the last build. */
function buildPageIfStale(): void {
  const built = (() => {
    try {
      return statSync('dist/public/app.js').mtimeMs;
    } catch {
      return 0;
    }
  })();
  const newest = (dir: string): number =>
    readdirSync(dir, { withFileTypes: true }).reduce((latest, entry) => {
      const file = path.join(dir, entry.name);
      return Math.max(latest, entry.isDirectory() ? newest(file) : statSync(file).mtimeMs);
    }, 0);
  if (built === 0 || Math.max(newest('public'), statSync('tools/build.mjs').mtimeMs, statSync('server/platforms/catalog.ts').mtimeMs) > built) {
    execFileSync(process.execPath, ['tools/build.mjs'], { stdio: 'inherit' });
  }
}

interface Fixtures {
  stackOptions: StackOptions;
  stack: Stack;
}

interface WorkerFixtures {
  freshBuild: void;
}

export const test = base.extend<Fixtures, WorkerFixtures>({
  freshBuild: [
    // Playwright reads a fixture's dependencies from this pattern; this one has none.
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      buildPageIfStale();
      await use();
    },
    { scope: 'worker', auto: true },
  ],
  stackOptions: [{}, { option: true }],
  stack: async ({ stackOptions }, use) => {
    const stack = await startStack(stackOptions);
    await use(stack);
    await stack.dispose();
  },
  page: async ({ page }, use) => {
    // A script that ran from data would most likely show itself with alert(): fail loudly on any dialog.
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(`${dialog.type()}: ${dialog.message()}`);
      void dialog.dismiss();
    });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await use(page);
    expect(dialogs, 'the page opened a browser dialog').toEqual([]);
    expect(errors, 'uncaught errors in the page').toEqual([]);
  },
});

export { expect };
