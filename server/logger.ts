// One structured logger for the process: JSON lines, or readable lines on a terminal. Lines go through a
// LogOutput, so logging never blocks serving: a full disk or a stalled reader costs log lines, not uptime.
import { isatty } from 'node:tty';
import { pino, type Logger } from 'pino';
import pinoPretty from 'pino-pretty';
import { LogOutput } from './log-output.js';

export type { Logger };

/** `pretty`: readable lines instead of JSON (by default when stdout is a terminal); `output`: where they go. */
export function createLogger(level: string, pretty = isatty(1), output = new LogOutput(1)): Logger {
  // Formatted in this thread, not by a pino transport: while a transport's worker is stuck on a stalled
  // terminal, this thread buffers without bound and then (past 512 MiB, and at exit) waits for the worker.
  const prettify = pretty ? pinoPretty.prettyFactory({ translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname', colorize: true }) : undefined;
  return pino(
    {
      level,
      base: undefined,
      // Defence in depth: nothing that could carry a key or a signature is ever written out.
      redact: { paths: ['apiKey', 'apiKeys', '*.apiKeys', 'headers["x-signature"]', 'headers.authorization'], censor: '[redacted]' },
    },
    { write: prettify ? (line: string) => output.write(prettify(line)) : (line: string) => output.write(line) },
  );
}
