// Figure 1: verified webhooks per second with 10 SSE clients connected, as fast as each server answers.
import { PrebuiltMeetWebhooks } from '../load/meet-webhooks.js';
import { closeWebhookConnections, openWebhookConnections, runClosedLoop } from '../load/webhook-load.js';
import { goal, ratioFigure } from '../report/figures.js';
import { formatCount, formatNumber } from '../report/format.js';
import { startCoreMeter, type CoreUse } from '../servers/process-stats.js';
import { TAIL_TIMEOUT_MS, alternate, connectAll, disturbanceNote, quietRounds, withServer, withSseClients, type Scenario } from './scenario.js';

interface ThroughputRun {
  ackedPerSecond: number;
  ackedInWindow: number;
  measuredMs: number;
  sent: number;
  acked: number;
  problems: string[];
  builtDuringRun: number;
  /** Fewest frames any SSE client received, out of `acked`. */
  fewestFramesPerClient: number;
  /**
   * Share of one core each process used during the run: the server should be near or above 1 (one
   * JavaScript thread plus the kernel's work for it) and the bench's own processes well below, or the
   * figure measures the load generator rather than the server.
   */
  coreShare: CoreUse<'server' | 'webhookSender' | 'sseClients'>;
}

export const measureThroughput: Scenario = async ({ settings, progress }) => {
  const { sseClients, connections, warmupMs, measureMs, prebuiltRequests, rounds } = settings.throughput;
  const notes: string[] = [];

  const runs = await alternate(rounds, (kind, round) =>
    withServer(kind, (server) =>
      withSseClients({ trackLatency: false }, async (clients): Promise<ThroughputRun> => {
        const label = rounds > 1 ? `${kind} (round ${round} of ${rounds})` : kind;
        await connectAll(clients, server, sseClients);
        const requests = new PrebuiltMeetWebhooks(server.port, prebuiltRequests);
        const webhookConnections = await openWebhookConnections(server.port, connections);
        try {
          progress(`${label}: ${connections} connections, ${warmupMs} ms warm-up, ${measureMs} ms measured`);
          const stopCoreMeter = startCoreMeter({ server: server.pid, webhookSender: process.pid, sseClients: clients.pid });
          const { tally, ackedInWindow, measuredMs } = await runClosedLoop(webhookConnections, requests.next, { warmupMs, measureMs });
          const coreShare = stopCoreMeter();
          const delivery = await clients.waitForFrames(tally.acked, TAIL_TIMEOUT_MS);
          const ackedPerSecond = (ackedInWindow * 1000) / measuredMs;
          progress(
            `${label}: ${formatNumber(ackedPerSecond)} verified webhooks/s; ` +
              `each SSE client got ≥ ${formatCount(delivery.fewestPerClient)} of ${formatCount(tally.acked)} frames; ` +
              `cores used: server ${formatNumber(coreShare.server)}, sender ${formatNumber(coreShare.webhookSender)}, ` +
              `SSE clients ${formatNumber(coreShare.sseClients)}, everything else ${formatNumber(coreShare.everythingElse)}`,
          );
          notes.push(...disturbanceNote(`throughput, ${label}`, coreShare.everythingElse));
          const problems = tally.problems();
          if (problems.length > 0) notes.push(`throughput, ${label}: not every webhook was acknowledged: ${problems.join('; ')}`);
          if (requests.builtLate > 0) {
            notes.push(`throughput, ${label}: ${formatCount(requests.builtLate)} requests were signed during the run (raise prebuiltRequests)`);
          }
          if (delivery.fewestPerClient < tally.acked) {
            notes.push(`throughput, ${label}: an SSE client got only ${formatCount(delivery.fewestPerClient)} of ${formatCount(tally.acked)} frames`);
          }
          return {
            ackedPerSecond,
            ackedInWindow,
            measuredMs,
            sent: tally.sent,
            acked: tally.acked,
            problems,
            builtDuringRun: requests.builtLate,
            fewestFramesPerClient: delivery.fewestPerClient,
            coreShare,
          };
        } finally {
          closeWebhookConnections(webhookConnections);
        }
      }),
    ),
  );

  // Over the quiet rounds: every acknowledged webhook of their measured windows, over their total time.
  const overall = (kindRuns: ThroughputRun[]) => {
    const quiet = quietRounds(kindRuns);
    return (quiet.reduce((total, run) => total + run.ackedInWindow, 0) * 1000) / quiet.reduce((total, run) => total + run.measuredMs, 0);
  };
  return {
    figures: [
      ratioFigure(
        `verified webhooks/s, ${sseClients} SSE clients`,
        '/s',
        overall(runs.project),
        overall(runs.reference),
        goal('ratio', '≥', 0.7),
      ),
    ],
    notes,
    details: { settings: settings.throughput, runs },
  };
};

