// Figure 4: how long a webhook takes to reach each of 1 000 SSE clients of the project server (from
// the sender's clock before the request is written to each client's clock when its frame arrives),
// and whether every client received every acknowledged webhook.
import { performance } from 'node:perf_hooks';
import { meetWebhookRequest } from '../load/meet-webhooks.js';
import { closeWebhookConnections, openWebhookConnections, runPaced } from '../load/webhook-load.js';
import { goal, projectFigure } from '../report/figures.js';
import { formatCount, formatNumber } from '../report/format.js';
import { startCoreMeter } from '../servers/process-stats.js';
import { TAIL_TIMEOUT_MS, connectAll, disturbanceNote, withServer, withSseClients, type Scenario } from './scenario.js';

/** Enough connections that a slow answer never makes the sender skip a send time. */
const SENDER_CONNECTIONS = 4;

export const measureLatency: Scenario = async ({ settings, progress }) => {
  const { sseClients, ratePerSecond, warmupMs, windowMs } = settings.latency;

  const run = await withServer('project', (server) =>
    withSseClients({ trackLatency: true }, async (clients) => {
      const connected = await connectAll(clients, server, sseClients);
      progress(`project: ${formatCount(sseClients)} SSE clients connected in ${Math.round(connected.elapsedMs)} ms`);
      const connections = await openWebhookConnections(server.port, SENDER_CONNECTIONS);
      let index = 0;
      // Both clocks are performance.timeOrigin + performance.now(): wall-clock based, so comparable across processes.
      const nextRequest = () => meetWebhookRequest(server.port, { index: index++, sentAt: performance.timeOrigin + performance.now() });
      try {
        const warmup = await runPaced(connections, nextRequest, { ratePerSecond, durationMs: warmupMs });
        await clients.waitForFrames(warmup.tally.acked, TAIL_TIMEOUT_MS);
        await clients.clearLatency();
        progress(`project: measuring ${windowMs} ms at ${ratePerSecond} webhooks/s`);
        const stopCoreMeter = startCoreMeter({ server: server.pid, webhookSender: process.pid, sseClients: clients.pid });
        const window = await runPaced(connections, nextRequest, { ratePerSecond, durationMs: windowMs });
        const coreShare = stopCoreMeter();
        const acked = warmup.tally.acked + window.tally.acked;
        const delivery = await clients.waitForFrames(acked, TAIL_TIMEOUT_MS);
        const latency = await clients.latency();
        const expectedFrames = acked * sseClients;
        const lost = expectedFrames - delivery.distinctFrames;
        progress(
          `project: p50 ${formatNumber(latency.p50Ms)} ms, p99 ${formatNumber(latency.p99Ms)} ms, max ${formatNumber(latency.maxMs)} ms; ` +
            `${formatCount(delivery.distinctFrames)} of ${formatCount(expectedFrames)} frames delivered`,
        );
        return {
          latency,
          acked,
          expectedFrames,
          lost,
          delivery,
          skipped: warmup.skipped + window.skipped,
          coreShare,
          problems: [...warmup.tally.problems(), ...window.tally.problems()],
        };
      } finally {
        closeWebhookConnections(connections);
      }
    }),
  );

  const notes = disturbanceNote('latency', run.coreShare.everythingElse);
  if (run.problems.length > 0) notes.push(`latency: not every webhook was acknowledged: ${run.problems.join('; ')}`);
  if (run.skipped > 0) notes.push(`latency: ${run.skipped} send times skipped: every sender connection was still waiting`);
  if (run.delivery.closedByServer > 0) notes.push(`latency: the server closed ${run.delivery.closedByServer} SSE streams during the run`);
  if (run.delivery.repeatedFrames > 0) notes.push(`latency: ${run.delivery.repeatedFrames} frames arrived twice`);
  if (run.delivery.namedFrames > 0) {
    notes.push(
      `latency: besides the webhook frames counted above, each client got ${formatNumber(run.delivery.namedFrames / sseClients)} ` +
        `named frames (room/recording changes) on average`,
    );
  }
  notes.push(
    `latency: p50 ${formatNumber(run.latency.p50Ms)} ms, p90 ${formatNumber(run.latency.p90Ms)} ms, ` +
      `max ${formatNumber(run.latency.maxMs)} ms over ${formatCount(run.latency.samples)} deliveries`,
  );

  return {
    figures: [
      projectFigure(`delivery latency p99, ${formatCount(sseClients)} SSE clients`, 'ms', run.latency.p99Ms, goal('project', '<', 50)),
      projectFigure(
        `deliveries lost (of ${formatCount(run.expectedFrames)})`,
        '',
        run.lost,
        goal('project', '=', 0),
      ),
    ],
    notes,
    details: { settings: settings.latency, run },
  };
};
