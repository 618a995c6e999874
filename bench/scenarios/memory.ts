// Figure 3: resident memory each idle SSE client costs a fresh server, and how long the project
// server takes to accept 10 000 of them.
import { setTimeout as sleep } from 'node:timers/promises';
import { meetWebhookRequest } from '../load/meet-webhooks.js';
import { closeWebhookConnections, openWebhookConnections, runPaced } from '../load/webhook-load.js';
import { goal, projectFigure, ratioFigure } from '../report/figures.js';
import { formatCount, formatMs, formatNumber } from '../report/format.js';
import { residentBytes } from '../servers/process-stats.js';
import type { ServerKind, ServerUnderTest } from '../servers/server-under-test.js';
import { SERVER_KINDS, connectAll, withServer, withSseClients, type Scenario } from './scenario.js';

/** Before measuring, a few webhooks and SSE connects run each code path once (JIT, lazy modules). */
const WARMUP_WEBHOOKS = 20;
const WARMUP_SSE_CLIENTS = 10;

interface MemoryRun {
  bytesPerClient: number;
  rssBeforeBytes: number;
  rssAfterBytes: number;
  connectMs: number;
}

export const measureMemory: Scenario = async ({ settings, progress }) => {
  const { idleClients, settleMs, connectClients, connectConcurrency } = settings.memory;
  const runs = {} as Record<ServerKind, MemoryRun>;

  for (const kind of SERVER_KINDS) {
    runs[kind] = await withServer(kind, async (server) => {
      await warmUp(server);
      await sleep(settleMs);
      const rssBeforeBytes = residentBytes(server.pid);
      return withSseClients({ trackLatency: false }, async (clients) => {
        const connected = await connectAll(clients, server, idleClients, connectConcurrency);
        await sleep(settleMs);
        const rssAfterBytes = residentBytes(server.pid);
        const bytesPerClient = (rssAfterBytes - rssBeforeBytes) / idleClients;
        progress(
          `${kind}: VmRSS ${formatNumber(rssBeforeBytes / 2 ** 20)} → ${formatNumber(rssAfterBytes / 2 ** 20)} MiB ` +
            `with ${formatCount(idleClients)} idle SSE clients = ${formatNumber(bytesPerClient / 1024)} KiB each`,
        );
        return { bytesPerClient, rssBeforeBytes, rssAfterBytes, connectMs: connected.elapsedMs };
      });
    });
  }

  const connectRun = await withServer('project', (server) =>
    withSseClients({ trackLatency: false }, async (clients) => {
      progress(`project: connecting ${formatCount(connectClients)} SSE clients, ${connectConcurrency} at a time`);
      const connected = await connectAll(clients, server, connectClients, connectConcurrency);
      const serverCountedClients = (await server.health())?.sseClients;
      const rssBytes = residentBytes(server.pid);
      progress(
        `project: ${formatCount(connectClients)} SSE clients connected in ${formatMs(connected.elapsedMs)}; ` +
          `the server counts ${String(serverCountedClients)}; VmRSS ${formatNumber(rssBytes / 2 ** 20)} MiB`,
      );
      return { connectMs: connected.elapsedMs, serverCountedClients, rssBytes };
    }),
  );
  const notes =
    connectRun.serverCountedClients === connectClients
      ? []
      : [`memory: after ${formatCount(connectClients)} connects the project server counted ${String(connectRun.serverCountedClients)} SSE clients`];

  return {
    figures: [
      ratioFigure(
        `RSS growth per idle SSE client (${formatCount(idleClients)} clients)`,
        'KiB',
        runs.project.bytesPerClient / 1024,
        runs.reference.bytesPerClient / 1024,
        goal('ratio', '≤', 1.5),
      ),
      projectFigure(`time to connect ${formatCount(connectClients)} SSE clients`, 's', connectRun.connectMs / 1000, goal('project', '<', 5)),
    ],
    notes,
    details: { settings: settings.memory, runs, connect: connectRun },
  };
};

async function warmUp(server: ServerUnderTest): Promise<void> {
  const [connection] = await openWebhookConnections(server.port, 1);
  let index = 0;
  try {
    await runPaced([connection!], () => meetWebhookRequest(server.port, { index: index++ }), {
      ratePerSecond: 100,
      durationMs: (WARMUP_WEBHOOKS * 1000) / 100,
    });
  } finally {
    closeWebhookConnections([connection!]);
  }
  await withSseClients({ trackLatency: false }, (clients) => connectAll(clients, server, WARMUP_SSE_CLIENTS));
}
