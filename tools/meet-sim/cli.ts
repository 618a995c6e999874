// tsx tools/meet-sim/cli.ts [--port 9080] [--host 127.0.0.1] [--api-key meet-api-key]
//   [--webhook-url http://localhost:6080/webhook] [--version 3.4|3.8] [--base-path /meet]
//   [--public-url http://localhost:9080] [--seed] [--quiet]
// Runs the OpenVidu Meet simulator until SIGINT/SIGTERM. Defaults mirror the tutorial's local deployment
// (../../../shared/protocols/openvidu-meet.md §1.7, §4.7): Meet on :9080, key meet-api-key.
import { parseArgs } from 'node:util';
import type { DeliveryAttempt, MeetVersion } from './index.js';
import { seedDemoData, startMeetSimulator } from './index.js';

const USAGE = `Usage: tsx tools/meet-sim/cli.ts [options]
  --port <n>            listen port (default 9080)
  --host <addr>         listen address (default 127.0.0.1)
  --api-key <key>       X-API-KEY and webhook signing key (default meet-api-key)
  --webhook-url <url>   where webhooks go (default: none, webhooks off)
  --version <3.4|3.8>   Meet version to imitate (default 3.8)
  --base-path <path>    route prefix (default '' for 3.4, /meet for 3.8)
  --public-url <url>    start of the links in rooms (default http://<host>:<port>)
  --seed                create a few rooms and one finished recording
  --quiet               do not print each webhook attempt`;

function fail(message: string): never {
  console.error(`meet-sim: ${message}\n\n${USAGE}`);
  process.exit(2);
}

function describeAttempt(attempt: DeliveryAttempt): string {
  const outcome = attempt.status !== undefined ? String(attempt.status) : (attempt.error ?? 'failed');
  const subject = attempt.recordingId ?? attempt.roomId ?? '';
  const extra = attempt.kind === 'event' ? '' : ` (${attempt.kind})`;
  return `webhook #${attempt.delivery} ${attempt.event}${extra} ${subject} → ${outcome}` +
    (attempt.attempt > 1 ? ` [attempt ${attempt.attempt}]` : '');
}

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        port: { type: 'string', default: '9080' },
        host: { type: 'string', default: '127.0.0.1' },
        'api-key': { type: 'string', default: 'meet-api-key' },
        'webhook-url': { type: 'string' },
        version: { type: 'string', default: '3.8' },
        'base-path': { type: 'string' },
        'public-url': { type: 'string' },
        seed: { type: 'boolean', default: false },
        quiet: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }).values;
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  if (parsed.help) {
    console.log(USAGE);
    return;
  }
  const port = Number(parsed.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`invalid --port ${parsed.port}`);
  if (parsed.version !== '3.4' && parsed.version !== '3.8') fail(`--version must be 3.4 or 3.8, not ${parsed.version}`);

  const sim = await startMeetSimulator({
    port,
    host: parsed.host,
    apiKey: parsed['api-key'],
    webhookUrl: parsed['webhook-url'],
    version: parsed.version as MeetVersion,
    basePath: parsed['base-path'],
    publicUrl: parsed['public-url'],
  });
  if (!parsed.quiet) sim.onDelivery((attempt) => console.log(describeAttempt(attempt)));

  console.log(`OpenVidu Meet simulator (${sim.version}) on ${sim.url}`);
  console.log(`  REST API       ${sim.apiUrl}   (X-API-KEY: ${sim.apiKey})`);
  console.log(`  Web component  ${sim.webComponentUrl}`);
  console.log(`  Controls       ${sim.url}/_sim   ·   rooms page ${sim.url}${sim.basePath}/`);
  console.log(`  Webhooks       ${parsed['webhook-url'] ? `→ ${parsed['webhook-url']}` : 'off (no --webhook-url)'}`);
  if (parsed.seed) {
    seedDemoData(sim);
    for (const room of sim.rooms()) console.log(`  ${room.roomName.padEnd(14)} moderator: ${room.links.moderator}`);
  }

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the simulator`);
    sim.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error('meet-sim:', error instanceof Error ? error.message : error);
  process.exit(1);
});
