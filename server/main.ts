// Process entry: configuration, the receiver, and a graceful shutdown on SIGINT/SIGTERM.
import dotenv from 'dotenv';
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { startRoomwatch } from './roomwatch.js';
import { enabledSources } from './ingest/sources/index.js';

dotenv.config({ quiet: true });

let config;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`roomwatch: invalid configuration: ${error.message}`);
  process.exit(1);
}

const log = createLogger(config.logLevel);
try {
  const roomwatch = await startRoomwatch(config, log);
  const webhooks = enabledSources(config).map(({ adapter, paths }) => `${adapter.id} ${paths.join(' ')}`);
  log.info(
    { dataDir: config.store.dataDir, meet: config.meet.serverUrl, webhooks },
    `roomwatch listening on ${roomwatch.url} (dashboard: ${roomwatch.url}/, webhooks: POST ${roomwatch.url}/webhook, live stream: GET ${roomwatch.url}/events)`,
  );
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log.info({ signal }, 'shutting down');
      roomwatch.stop().then(
        () => process.exit(0),
        (error: unknown) => {
          log.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
} catch (error) {
  const code = (error as { code?: string }).code;
  const message =
    code === 'EADDRINUSE'
      ? `port ${config.port} is already in use; stop the other process or set SERVER_PORT`
      : code === 'EACCES'
        ? `not allowed to listen on port ${config.port}; choose a port above 1023 with SERVER_PORT`
        : `could not start: ${(error as Error).message}`;
  console.error(`roomwatch: ${message}`);
  process.exit(1);
}
