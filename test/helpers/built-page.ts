// Tests that fetch the page's own files (app.js, index.html) need the built page in dist/public, as
// `npm start` serves it. Builds it once when it is missing (`npm test` builds before the unit tests).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export function ensurePageBuilt(): void {
  if (!existsSync('dist/public/app.js')) execFileSync(process.execPath, ['tools/build.mjs'], { stdio: 'inherit' });
}
