// How every property of the test/fuzz-*.test.ts files runs: a short run inside `npm test`, a long one with
// `npm run fuzz` (FUZZ_RUNS), and any failure replayable from the seed and path it prints.
import fc from 'fast-check';

const REPORT_CHARS = 4000;

/**
 * Runs `property` `shortRuns` times, or FUZZ_RUNS × `share` times when FUZZ_RUNS is set (a slow property,
 * such as one over HTTP, takes a share of the long run). FUZZ_SEED (and FUZZ_PATH) replay a failure.
 */
export async function checkProperty<Ts>(
  test: { name: string },
  property: fc.IProperty<Ts> | fc.IAsyncProperty<Ts>,
  { shortRuns, share = 1 }: { shortRuns: number; share?: number },
): Promise<void> {
  const longRuns = Number(process.env.FUZZ_RUNS);
  const seed = process.env.FUZZ_SEED === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(process.env.FUZZ_SEED);
  const parameters: fc.Parameters<Ts> = {
    seed,
    numRuns: Number.isInteger(longRuns) && longRuns > 0 ? Math.max(1, Math.round(longRuns * share)) : shortRuns,
    ...(process.env.FUZZ_PATH ? { path: process.env.FUZZ_PATH } : {}),
  };
  const details = await fc.check(property as fc.IAsyncProperty<Ts>, parameters);
  if (!details.failed) return;
  const replay = `FUZZ_SEED=${details.seed} FUZZ_PATH=${details.counterexamplePath ?? ''} npm run fuzz -- ${JSON.stringify(test.name)}`;
  // Counterexamples can be megabytes of nesting: the seed and path replay them exactly.
  const report = (await fc.asyncDefaultReportMessage(details)) ?? '';
  const shown = report.length > REPORT_CHARS ? `${report.slice(0, REPORT_CHARS)}… (${report.length - REPORT_CHARS} more characters)` : report;
  throw new Error(`replay with: ${replay}\n${shown}`, { cause: details.errorInstance });
}
