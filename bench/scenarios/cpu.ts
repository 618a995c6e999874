// Figure 2: server CPU time per webhook fanned out to 1 000 reading SSE clients at 20 webhooks/s,
// from the kernel's account of the server process (/proc/<pid>/stat) over the measured window.
import { meetWebhookRequest } from '../load/meet-webhooks.js';
import { closeWebhookConnections, openWebhookConnections, runPaced } from '../load/webhook-load.js';
import { goal, ratioFigure } from '../report/figures.js';
import { formatCount, formatNumber } from '../report/format.js';
import { cpuTimeMs, startCoreMeter, type CoreUse } from '../servers/process-stats.js';
import { TAIL_TIMEOUT_MS, alternate, connectAll, disturbanceNote, quietRounds, withServer, withSseClients, type Scenario } from './scenario.js';

/** Enough connections that a slow answer never makes the sender skip a send time. */
const SENDER_CONNECTIONS = 4;

interface CpuRun {
  cpuMs: number;
  /** Webhooks acknowledged in the measured window. */
  acked: number;
  skipped: number;
  problems: string[];
  fewestFramesPerClient: number;
  /** Every acknowledged webhook, warm-up included: what each SSE client should have received. */
  ackedInAll: number;
  coreShare: CoreUse<'server' | 'webhookSender' | 'sseClients'>;
}

export const measureCpu: Scenario = async ({ settings, progress }) => {
  const { sseClients, ratePerSecond, warmupMs, windowMs, rounds } = settings.cpu;
  const notes: string[] = [];

  const runs = await alternate(rounds, (kind, round) =>
    withServer(kind, (server) =>
      withSseClients({ trackLatency: false }, async (clients): Promise<CpuRun> => {
        const label = rounds > 1 ? `${kind} (round ${round} of ${rounds})` : kind;
        const connected = await connectAll(clients, server, sseClients);
        progress(`${label}: ${formatCount(sseClients)} SSE clients connected in ${Math.round(connected.elapsedMs)} ms`);
        const connections = await openWebhookConnections(server.port, SENDER_CONNECTIONS);
        let index = 0;
        const nextRequest = () => meetWebhookRequest(server.port, { index: index++ });
        try {
          const warmup = await runPaced(connections, nextRequest, { ratePerSecond, durationMs: warmupMs });
          progress(`${label}: measuring ${windowMs} ms at ${ratePerSecond} webhooks/s`);
          const cpuBefore = cpuTimeMs(server.pid);
          const stopCoreMeter = startCoreMeter({ server: server.pid, webhookSender: process.pid, sseClients: clients.pid });
          // runPaced returns once every answer is in, and each server answers after its fan-out.
          const window = await runPaced(connections, nextRequest, { ratePerSecond, durationMs: windowMs });
          const cpuMs = cpuTimeMs(server.pid) - cpuBefore;
          const coreShare = stopCoreMeter();
          const ackedInAll = warmup.tally.acked + window.tally.acked;
          const delivery = await clients.waitForFrames(ackedInAll, TAIL_TIMEOUT_MS);
          progress(
            `${label}: ${formatNumber(cpuMs)} ms CPU for ${window.tally.acked} webhooks = ${formatNumber(cpuMs / window.tally.acked)} ms each`,
          );
          notes.push(...disturbanceNote(`cpu, ${label}`, coreShare.everythingElse));
          const problems = [...warmup.tally.problems(), ...window.tally.problems()];
          if (problems.length > 0) notes.push(`cpu, ${label}: not every webhook was acknowledged: ${problems.join('; ')}`);
          if (window.skipped > 0) notes.push(`cpu, ${label}: ${window.skipped} send times skipped: every sender connection was still waiting`);
          if (delivery.fewestPerClient < ackedInAll) {
            notes.push(`cpu, ${label}: an SSE client got only ${formatCount(delivery.fewestPerClient)} of ${formatCount(ackedInAll)} frames`);
          }
          return {
            cpuMs,
            acked: window.tally.acked,
            skipped: window.skipped,
            problems,
            fewestFramesPerClient: delivery.fewestPerClient,
            ackedInAll,
            coreShare,
          };
        } finally {
          closeWebhookConnections(connections);
        }
      }),
    ),
  );

  // Over the quiet rounds: all their CPU time over all their webhooks, so a round with more webhooks weighs more.
  const perWebhook = (kindRuns: CpuRun[]) => {
    const quiet = quietRounds(kindRuns);
    return quiet.reduce((total, run) => total + run.cpuMs, 0) / quiet.reduce((total, run) => total + run.acked, 0);
  };
  return {
    figures: [
      ratioFigure(
        `server CPU per webhook, ${formatCount(sseClients)} SSE clients at ${ratePerSecond}/s`,
        'ms',
        perWebhook(runs.project),
        perWebhook(runs.reference),
        goal('ratio', '≤', 0.9),
      ),
    ],
    notes,
    details: { settings: settings.cpu, runs },
  };
};
