// Forwarding (FORWARD_TO) must not slow intake: verified webhooks/s of the project server with 1 and
// with 3 forwarding targets, each against the same server with none (closed loop, as the throughput
// scenario, no SSE clients; rounds alternate 0, 1, 3 targets); then the delay from a webhook's send time
// to its arrival at a healthy target, at a steady rate. The targets run in a process of their own.
import { performance } from 'node:perf_hooks';
import { PrebuiltMeetWebhooks, meetWebhookRequest } from '../load/meet-webhooks.js';
import { closeWebhookConnections, openWebhookConnections, runClosedLoop, runPaced } from '../load/webhook-load.js';
import { goal, projectFigure, ratioFigure } from '../report/figures.js';
import { formatCount, formatNumber } from '../report/format.js';
import { startProjectServer } from '../servers/server-under-test.js';
import { startForwardTargets, type ForwardTargets } from '../servers/forward-targets.js';
import { startCoreMeter } from '../servers/process-stats.js';
import { disturbanceNote, quietRounds, type Scenario } from './scenario.js';

const TARGET_COUNTS = [0, 1, 3] as const;
/** Enough connections that a slow answer never makes the paced sender skip a send time. */
const SENDER_CONNECTIONS = 4;

interface IntakeRun {
  targets: number;
  ackedPerSecond: number;
  ackedInWindow: number;
  measuredMs: number;
  /** Deliveries the targets had received when the window closed (they catch up afterwards). */
  deliveredInWindow: number;
  coreShare: { server: number; targets: number; everythingElse: number };
}

export const measureForwarding: Scenario = async ({ settings, progress }) => {
  const { connections, warmupMs, measureMs, prebuiltRequests, rounds } = settings.throughput;
  const notes: string[] = [];
  const targets = await startForwardTargets();
  try {
    const runs: IntakeRun[] = [];
    for (let round = 1; round <= rounds; round++) {
      for (const count of TARGET_COUNTS) {
        runs.push(await measureIntake(targets, count, { connections, warmupMs, measureMs, prebuiltRequests }));
        const run = runs.at(-1)!;
        progress(
          `${count} target${count === 1 ? '' : 's'} (round ${round} of ${rounds}): ${formatNumber(run.ackedPerSecond)} verified webhooks/s; ` +
            `${formatCount(run.deliveredInWindow)} deliveries made meanwhile; cores used: server ${formatNumber(run.coreShare.server)}, ` +
            `targets ${formatNumber(run.coreShare.targets)}, everything else ${formatNumber(run.coreShare.everythingElse)}`,
        );
        notes.push(...disturbanceNote(`forwarding, ${count} targets, round ${round}`, run.coreShare.everythingElse));
      }
    }
    const latency = await measureDeliveryLatency(targets, settings.latency, progress);
    const rate = (count: number) => {
      const quiet = quietRounds(runs.filter((run) => run.targets === count));
      return (quiet.reduce((total, run) => total + run.ackedInWindow, 0) * 1000) / quiet.reduce((total, run) => total + run.measuredMs, 0);
    };
    if (latency.delivered < latency.acked) notes.push(`forwarding latency: only ${latency.delivered} of ${latency.acked} webhooks reached the target`);
    return {
      figures: [
        ratioFigure('verified webhooks/s forwarding to 1 target (÷ none)', '/s', rate(1), rate(0), goal('ratio', '≥', 0.9)),
        ratioFigure('verified webhooks/s forwarding to 3 targets (÷ none)', '/s', rate(3), rate(0), goal('ratio', '≥', 0.9)),
        projectFigure(`forwarding delay p99 to a healthy target at ${settings.latency.ratePerSecond}/s`, 'ms', latency.summary.p99Ms, goal('project', '<', 50)),
      ],
      notes,
      details: { runs, latency },
    };
  } finally {
    await targets.stop();
  }
};

async function measureIntake(
  targets: ForwardTargets,
  count: number,
  { connections, warmupMs, measureMs, prebuiltRequests }: { connections: number; warmupMs: number; measureMs: number; prebuiltRequests: number },
): Promise<IntakeRun> {
  const urls = targets.urls(count);
  const server = await startProjectServer({ env: count === 0 ? {} : { FORWARD_TO: urls.join(','), LOG_LEVEL: 'warn' } });
  try {
    const requests = new PrebuiltMeetWebhooks(server.port, prebuiltRequests);
    const webhookConnections = await openWebhookConnections(server.port, connections);
    const before = await deliveredTo(targets, urls);
    try {
      const stopCoreMeter = startCoreMeter({ server: server.pid, webhookSender: process.pid, targets: targets.pid });
      const { ackedInWindow, measuredMs } = await runClosedLoop(webhookConnections, requests.next, { warmupMs, measureMs });
      const coreShare = stopCoreMeter();
      const deliveredInWindow = (await deliveredTo(targets, urls)) - before;
      return { targets: count, ackedPerSecond: (ackedInWindow * 1000) / measuredMs, ackedInWindow, measuredMs, deliveredInWindow, coreShare };
    } finally {
      closeWebhookConnections(webhookConnections);
    }
  } finally {
    await server.stop();
  }
}

async function deliveredTo(targets: ForwardTargets, urls: string[]): Promise<number> {
  const counts = await targets.counts();
  return urls.reduce((total, url) => total + (counts[new URL(url).pathname] ?? 0), 0);
}

/** One target, webhooks at a steady rate carrying their send time; the target measures their arrival. */
async function measureDeliveryLatency(
  targets: ForwardTargets,
  { ratePerSecond, warmupMs, windowMs }: { ratePerSecond: number; warmupMs: number; windowMs: number },
  progress: (message: string) => void,
) {
  const [url] = targets.urls(1).map((base) => `${base}-latency`);
  const server = await startProjectServer({ env: { FORWARD_TO: url!, LOG_LEVEL: 'warn' } });
  try {
    const connections = await openWebhookConnections(server.port, SENDER_CONNECTIONS);
    let index = 0;
    const nextRequest = () => meetWebhookRequest(server.port, { index: index++, sentAt: performance.timeOrigin + performance.now() });
    try {
      // The warm-up's deliveries (the first opens the connection) are not counted.
      const warmup = await runPaced(connections, nextRequest, { ratePerSecond, durationMs: warmupMs });
      const arrived = (count: number) => waitForDeliveries(targets, count);
      await arrived(warmup.tally.acked);
      await targets.clearLatency();
      progress(`latency: ${windowMs} ms at ${ratePerSecond} webhooks/s to one target`);
      const run = await runPaced(connections, nextRequest, { ratePerSecond, durationMs: windowMs });
      const summary = await arrived(run.tally.acked);
      progress(`latency: p50 ${formatNumber(summary.p50Ms)} ms, p99 ${formatNumber(summary.p99Ms)} ms, max ${formatNumber(summary.maxMs)} ms`);
      return { acked: run.tally.acked, delivered: summary.count, summary };
    } finally {
      closeWebhookConnections(connections);
    }
  } finally {
    await server.stop();
  }
}

/** The delays once `count` deliveries have arrived since the last clear, or after 5 s with what has. */
async function waitForDeliveries(targets: ForwardTargets, count: number) {
  const deadline = Date.now() + 5000;
  let summary = await targets.latency();
  while (summary.count < count && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    summary = await targets.latency();
  }
  return summary;
}
