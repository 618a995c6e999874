// The same results as the table, as JSON in bench/results/latest.json (gitignored), for comparing runs.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const RESULTS_FILE = fileURLToPath(new URL('../results/latest.json', import.meta.url));

export function writeResultsFile(results: unknown): void {
  mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
  writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
}
