// Preloaded with --import (through NODE_OPTIONS, so child processes have it too) by tools/other-node/run.sh
// into every Node process of a run under another Node major: better-sqlite3 then loads the native addon
// named by BETTER_SQLITE3_ADDON, built for that Node, instead of the one in node_modules/better-sqlite3,
// which stays built for the project's main Node.
import * as nodeModule from 'node:module';
import { pathToFileURL } from 'node:url';

const addon = process.env.BETTER_SQLITE3_ADDON;
if (!addon) {
  throw new Error('BETTER_SQLITE3_ADDON is not set: start the run with bash tools/other-node/run.sh <major> <command>');
}
if (typeof nodeModule.registerHooks !== 'function') {
  throw new Error(`Node ${process.version} has no module.registerHooks (22.15 or later has it): tools/other-node/run.sh cannot serve it`);
}
const addonUrl = pathToFileURL(addon).href;

nodeModule.registerHooks({
  resolve(specifier, context, nextResolve) {
    // better-sqlite3 asks `bindings` for its addon, which requires it by absolute path (…/better_sqlite3.node).
    if (specifier.endsWith('/better_sqlite3.node')) return { url: addonUrl, shortCircuit: true };
    return nextResolve(specifier, context);
  },
});
