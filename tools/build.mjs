// Builds what `npm start` runs: the server (dist/server/main.js) and the browser bundle (dist/public).
// esbuild only transpiles and bundles; type errors are caught by `npm run typecheck`.
import { build } from 'esbuild';
import { cp, mkdir, rm } from 'node:fs/promises';

const started = Date.now();
await rm('dist', { recursive: true, force: true });

await build({
  entryPoints: ['server/main.ts'],
  outdir: 'dist/server',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});

await mkdir('dist/public', { recursive: true });
await build({
  entryPoints: ['public/src/main.ts'],
  outfile: 'dist/public/app.js',
  bundle: true,
  platform: 'browser',
  target: 'es2022',
  format: 'esm',
  minify: true,
  sourcemap: true,
  logLevel: 'warning',
});
await cp('public', 'dist/public', {
  recursive: true,
  filter: (src) => !src.startsWith('public/src') && !src.endsWith('tsconfig.json'),
});
// Bootstrap's stylesheet is served from our own origin (no CDN); its JS is not used.
await mkdir('dist/public/vendor', { recursive: true });
await cp('node_modules/bootstrap/dist/css/bootstrap.min.css', 'dist/public/vendor/bootstrap.min.css');
await cp('node_modules/bootstrap/dist/css/bootstrap.min.css.map', 'dist/public/vendor/bootstrap.min.css.map');

console.log(`built dist/ in ${Date.now() - started} ms`);
