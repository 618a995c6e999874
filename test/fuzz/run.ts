// `npm run fuzz [-- "<test name>"]`: the property tests of test/fuzz-*.test.ts, long. FUZZ_RUNS (default
// 20 000) runs per property; FUZZ_SEED and FUZZ_PATH replay the failure a run printed.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const files = readdirSync('test')
  .filter((name) => name.startsWith('fuzz-') && name.endsWith('.test.ts'))
  .map((name) => `test/${name}`);
// A test's name as printed, matched literally (names hold parentheses and dots).
const [name] = process.argv.slice(2);
const namePattern = name === undefined ? undefined : `^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`;
const runs = process.env.FUZZ_RUNS ?? '20000';
console.log(`fuzzing with FUZZ_RUNS=${runs}${process.env.FUZZ_SEED ? ` FUZZ_SEED=${process.env.FUZZ_SEED}` : ''}: ${files.join(' ')}`);
const { status } = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', ...(namePattern ? ['--test-name-pattern', namePattern] : []), ...files],
  { stdio: 'inherit', env: { ...process.env, FUZZ_RUNS: runs } },
);
process.exit(status ?? 1);
