// `npm run bench`: starts the project server and the bare reference server, puts each through the
// scenarios below on a fresh process, and prints every figure with its goal. A tool, not a test: it
// exits 0 whether goals are met or missed, and 1 only when a scenario could not run.
// Flags: --quick (smaller and shorter, under ~40 s), --only=<throughput|cpu|memory|latency|browser|instances|forwarding|usage|listing>.
import { existsSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { FULL_RUN, QUICK_RUN } from './settings.js';
import type { Figure } from './report/figures.js';
import { formatMs } from './report/format.js';
import { renderTable } from './report/table.js';
import { RESULTS_FILE, writeResultsFile } from './report/results-file.js';
import { cleanUpEverything, cleanUpEverythingNow } from './servers/cleanup.js';
import type { Scenario } from './scenarios/scenario.js';
import { measureThroughput } from './scenarios/throughput.js';
import { measureCpu } from './scenarios/cpu.js';
import { measureMemory } from './scenarios/memory.js';
import { measureLatency } from './scenarios/latency.js';
import { measureBrowser } from './scenarios/browser.js';
import { measureInstances } from './scenarios/instances.js';
import { measureForwarding } from './scenarios/forwarding.js';
import { measureUsage } from './scenarios/usage.js';
import { measureListing } from './scenarios/listing.js';

const SCENARIOS = {
  throughput: measureThroughput,
  cpu: measureCpu,
  memory: measureMemory,
  latency: measureLatency,
  browser: measureBrowser,
  instances: measureInstances,
  forwarding: measureForwarding,
  usage: measureUsage,
  listing: measureListing,
} satisfies Record<string, Scenario>;
type ScenarioName = keyof typeof SCENARIOS;

const USAGE = `usage: npm run bench -- [--quick] [--only=${Object.keys(SCENARIOS).join('|')}]`;
const PROJECT_MAIN = fileURLToPath(new URL('../dist/server/main.js', import.meta.url));

const startedAt = new Date();
const clock = performance.now();
const progress = (message: string) => console.error(`[bench ${((performance.now() - clock) / 1000).toFixed(1).padStart(5)} s] ${message}`);

const { quick, only } = parseArguments(process.argv.slice(2));
const settings = quick ? QUICK_RUN : FULL_RUN;

// Ctrl-C or a kill: stop every server and client process before going.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    progress(`${signal}: stopping the servers`);
    void cleanUpEverything().finally(() => process.exit(130));
  });
}
process.once('exit', cleanUpEverythingNow);

if (!existsSync(PROJECT_MAIN)) {
  console.error(`bench: ${path.relative(process.cwd(), PROJECT_MAIN)} is missing; run \`npm run build\` first (npm run bench does).`);
  process.exit(1);
}

const figures: Figure[] = [];
const notes: string[] = [];
const details: Partial<Record<ScenarioName, unknown>> = {};
const failures: Partial<Record<ScenarioName, string>> = {};

progress(`${quick ? 'quick run' : 'full run'}: ${only ?? Object.keys(SCENARIOS).join(', ')} (Node ${process.version}, ${os.cpus().length} CPUs)`);
for (const name of only ? [only] : (Object.keys(SCENARIOS) as ScenarioName[])) {
  const scenarioClock = performance.now();
  progress(`${name}: starting`);
  try {
    const outcome = await SCENARIOS[name]({ settings, progress: (message) => progress(`${name}: ${message}`) });
    figures.push(...outcome.figures);
    notes.push(...outcome.notes);
    details[name] = outcome.details;
    progress(`${name}: done in ${formatMs(performance.now() - scenarioClock)}`);
  } catch (error) {
    failures[name] = error instanceof Error ? (error.stack ?? error.message) : String(error);
    progress(`${name}: FAILED after ${formatMs(performance.now() - scenarioClock)}: ${failures[name]}`);
    await cleanUpEverything();
  }
}

const durationMs = performance.now() - clock;
console.log('');
console.log(`roomwatch bench — ${quick ? 'quick run (indicative figures only)' : 'full run'}, ${formatMs(durationMs)}, project ÷ reference`);
console.log('');
console.log(renderTable(figures));
for (const note of notes) console.log(`  · ${note}`);
for (const [name, failure] of Object.entries(failures)) console.log(`  ✗ ${name} could not run: ${failure.split('\n')[0]}`);

writeResultsFile({
  startedAt: startedAt.toISOString(),
  durationSeconds: Math.round(durationMs / 100) / 10,
  mode: quick ? 'quick' : 'full',
  only: only ?? null,
  machine: { node: process.version, cpus: os.cpus().length, loadAverage: os.loadavg() },
  figures,
  notes,
  failures,
  scenarios: details,
});
console.log(`\nresults: ${path.relative(process.cwd(), RESULTS_FILE)}`);
process.exit(Object.keys(failures).length > 0 ? 1 : 0);

function parseArguments(args: string[]): { quick: boolean; only: ScenarioName | undefined } {
  let quick = false;
  let only: ScenarioName | undefined;
  for (const arg of args) {
    if (arg === '--quick') quick = true;
    else if (arg.startsWith('--only=') && Object.hasOwn(SCENARIOS, arg.slice('--only='.length))) only = arg.slice('--only='.length) as ScenarioName;
    else {
      console.error(`bench: unknown argument "${arg}"\n${USAGE}`);
      process.exit(2);
    }
  }
  return { quick, only };
}
