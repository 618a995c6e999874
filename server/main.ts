// Process entry: configuration, the receiver, and a graceful shutdown on SIGINT/SIGTERM.
import dotenv from 'dotenv';
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { LogOutput } from './log-output.js';
import { startRoomwatch } from './roomwatch.js';
import { enabledPlatforms } from './platforms/index.js';
import { StartupError } from './startup-error.js';

dotenv.config({ quiet: true });

let config;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`roomwatch: invalid configuration: ${error.message}`);
  process.exit(1);
}

const logOutput = new LogOutput(1);
const log = createLogger(config.logLevel, undefined, logOutput);
try {
  const roomwatch = await startRoomwatch(config, log, { logOutput });
  const webhooks = enabledPlatforms(config.platforms).map(({ id, platform }) => `${id} ${platform.webhookPaths.join(' ')}`);
  log.info(
    // Where the store is; never the DATABASE_URL itself, which may carry a password.
    { store: config.store.databaseUrl === undefined ? config.store.dataDir : 'PostgreSQL (DATABASE_URL)', meet: config.platforms.meet?.serverUrl, webhooks },
    `roomwatch listening on ${roomwatch.url} (dashboard: ${roomwatch.url}/, webhooks: POST ${roomwatch.url}/webhook, live stream: GET ${roomwatch.url}/events)`,
  );
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log.info({ signal }, 'shutting down');
      // The last lines get a moment to reach the log, never more: the output may be stuck.
      const exit = (code: number) => void logOutput.drain(1000).then(() => process.exit(code));
      roomwatch.stop().then(
        () => exit(0),
        (error: unknown) => {
          log.error({ err: error }, 'shutdown failed');
          exit(1);
        },
      );
    });
  }
} catch (error) {
  console.error(`roomwatch: ${startupFailure(error, config)}`);
  process.exit(1);
}

/** One line for the operator. Only errors of listen() are about the port (a DATA_DIR can be EACCES too). */
function startupFailure(error: unknown, config: { port: number; host: string | undefined }): string {
  if (error instanceof StartupError) return error.message;
  const { code, syscall } = error as { code?: string; syscall?: string };
  if (syscall === 'listen' && code === 'EADDRINUSE') return `port ${config.port} is already in use; stop the other process or set SERVER_PORT`;
  if (syscall === 'listen' && code === 'EACCES') return `not allowed to listen on port ${config.port}; choose a port above 1023 with SERVER_PORT`;
  if (syscall === 'listen' && code === 'EADDRNOTAVAIL') return `SERVER_HOST ${config.host} is not an address of this machine; set SERVER_HOST to one of its addresses, or unset it to listen on all`;
  return `could not start: ${(error as Error).message}`;
}
