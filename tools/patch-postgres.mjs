// Run by `npm install` (postinstall). postgres (porsager) 3.4.9, the newest release, has an open defect
// that takes a whole roomwatch instance down while PostgreSQL restarts or ends its sessions: a small write
// is deferred to setImmediate, the connection closes first, and the deferred write dereferences a null
// socket — an uncaught TypeError. Teardown also cancels that timer without clearing it, so a connection can
// be left unable to ever flush again, and its queries hang (porsager/postgres#1154, #1208; fixes proposed
// in #1168 and #1209, not released). This applies the guard those fixes propose — a write on a closed
// connection settles its queries with CONNECTION_CLOSED, and teardown forgets the cancelled timer — to the
// installed copy, once, and checks the result. Remove it when a release carries the fix.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../node_modules/postgres/', import.meta.url));
const FILES = ['src/connection.js', 'cjs/src/connection.js'];
const MARK = '/* roomwatch: guarded (porsager/postgres#1154, #1208) */';

const NEXT_WRITE = `  function nextWrite(fn) {
    const x = socket.write(chunk, fn)`;
const NEXT_WRITE_GUARDED = `  function nextWrite(fn) { ${MARK}
    if (socket === null) {
      nextWriteTimer !== null && clearImmediate(nextWriteTimer)
      chunk = nextWriteTimer = null
      error(Errors.connection('CONNECTION_CLOSED', options))
      return false
    }
    const x = socket.write(chunk, fn)`;
// In terminate() and closed(): the timer is cancelled; forget it and its buffered bytes too.
const CANCEL = '    clearImmediate(nextWriteTimer)\n';
const CANCEL_AND_FORGET = '    clearImmediate(nextWriteTimer)\n    chunk = nextWriteTimer = null\n';

const version = existsSync(`${ROOT}package.json`) ? JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')).version : undefined;
if (version === undefined) process.exit(0); // not installed (e.g. a partial install): nothing to patch

for (const file of FILES) {
  const path = ROOT + file;
  if (!existsSync(path)) continue;
  const source = readFileSync(path, 'utf8');
  if (source.includes(MARK)) continue;
  const cancels = source.split(CANCEL).length - 1;
  if (!source.includes(NEXT_WRITE) || cancels !== 2) {
    console.warn(`roomwatch: postgres ${version} ${file} is not the code this patch knows (porsager/postgres#1154); left as it is — check whether the release fixed it`);
    continue;
  }
  writeFileSync(path, source.replace(NEXT_WRITE, NEXT_WRITE_GUARDED).replaceAll(CANCEL, CANCEL_AND_FORGET));
}
