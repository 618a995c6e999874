// One structured logger for the process: JSON lines, or readable lines on a terminal.
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string, pretty = Boolean(process.stdout.isTTY)): Logger {
  return pino({
    level,
    base: undefined,
    // Defence in depth: nothing that could carry a key or a signature is ever written out.
    redact: { paths: ['apiKey', 'apiKeys', '*.apiKeys', 'headers["x-signature"]', 'headers.authorization'], censor: '[redacted]' },
    ...(pretty ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } } } : {}),
  });
}
