// What every scenario gets and gives back, and the setup they share: a fresh server per run and an
// SSE client process, both stopped whatever happens.
import type { BenchSettings } from '../settings.js';
import type { Figure } from '../report/figures.js';
import { startServer, type ServerKind, type ServerUnderTest } from '../servers/server-under-test.js';
import { SseClientProcess } from '../load/sse-client-process.js';
import type { ConnectOutcome } from '../load/sse-clients.js';
import { formatNumber } from '../report/format.js';

export interface ScenarioContext {
  settings: BenchSettings;
  /** One line of progress for the person watching. */
  progress: (message: string) => void;
}

export interface ScenarioOutcome {
  figures: Figure[];
  /** Anything worth reading beside the figures: refused requests, missed send times, dropped clients. */
  notes: string[];
  /** The raw measurements, for bench/results/latest.json. */
  details: Record<string, unknown>;
}

export type Scenario = (context: ScenarioContext) => Promise<ScenarioOutcome>;

/** The reference first: it is the yardstick, and this way both servers meet a machine in the same state. */
export const SERVER_KINDS: readonly ServerKind[] = ['reference', 'project'];

/**
 * Measures each server `rounds` times, alternating (reference, project, reference, project…), so that
 * a burst of load from something else on this shared machine weighs on both rather than on one.
 */
export async function alternate<T>(rounds: number, measure: (kind: ServerKind, round: number) => Promise<T>): Promise<Record<ServerKind, T[]>> {
  const runs: Record<ServerKind, T[]> = { reference: [], project: [] };
  for (let round = 1; round <= rounds; round++) {
    for (const kind of SERVER_KINDS) runs[kind].push(await measure(kind, round));
  }
  return runs;
}

export async function withServer<T>(kind: ServerKind, use: (server: ServerUnderTest) => Promise<T>): Promise<T> {
  const server = await startServer(kind);
  try {
    return await use(server);
  } finally {
    await server.stop();
  }
}

export async function withSseClients<T>(
  options: { trackLatency: boolean },
  use: (clients: SseClientProcess) => Promise<T>,
): Promise<T> {
  const clients = SseClientProcess.start(options);
  try {
    return await use(clients);
  } finally {
    await clients.stop();
  }
}

/** Connects `count` SSE clients and fails the scenario if any of them could not connect. */
export async function connectAll(clients: SseClientProcess, server: ServerUnderTest, count: number, concurrency?: number): Promise<ConnectOutcome> {
  const outcome = await clients.connect(server.port, count, concurrency === undefined ? {} : { concurrency });
  if (outcome.connected < count) {
    throw new Error(`${server.kind} server: only ${outcome.connected} of ${count} SSE clients connected (${outcome.firstFailure})`);
  }
  return outcome;
}

/** How long the tail of a run may take to reach every SSE client. */
export const TAIL_TIMEOUT_MS = 5000;

/** Cores used by other programs above which a measured window is reported as disturbed. */
const DISTURBED_ABOVE_CORES = 0.3;

/** A note when other programs took CPU during a measured window (this machine is shared), else nothing. */
export function disturbanceNote(label: string, everythingElse: number): string[] {
  if (everythingElse <= DISTURBED_ABOVE_CORES) return [];
  return [`${label}: other programs used ${formatNumber(everythingElse)} cores meanwhile; this run is disturbed`];
}

/** The rounds no other program disturbed, when there are some; otherwise all of them (and the notes say so). */
export function quietRounds<Run extends { coreShare: { everythingElse: number } }>(runs: Run[]): Run[] {
  const quiet = runs.filter((run) => run.coreShare.everythingElse <= DISTURBED_ABOVE_CORES);
  return quiet.length > 0 ? quiet : runs;
}
