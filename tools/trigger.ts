// npm run trigger -- <event> [options]: sends one correctly signed, realistic OpenVidu Meet webhook to a
// running roomwatch, or on purpose a refused one (stale, future, bad signature) or Meet-style retries.
import dotenv from 'dotenv';
import { parseArgs } from 'node:util';
import { signMeetWebhook } from '../server/ingest/sources/meet.js';
import { sampleRecording, sampleRoom } from './meet-sim/samples.js';
import type { MeetVersion, RecordingStatus, RoomStatus } from './meet-sim/model.js';

dotenv.config({ quiet: true });

const EVENTS = ['meetingStarted', 'meetingEnded', 'recordingStarted', 'recordingUpdated', 'recordingEnded', 'testEvent'] as const;
type EventName = (typeof EVENTS)[number];

const STATUSES: Record<EventName, readonly string[]> = {
  meetingStarted: ['active_meeting'],
  meetingEnded: ['open', 'closed', 'deleted'],
  recordingStarted: ['starting'],
  recordingUpdated: ['active', 'ending'],
  recordingEnded: ['complete', 'failed', 'aborted', 'limit_reached'],
  testEvent: [''],
};

const USAGE = `usage: npm run trigger -- <event> [options]

events: ${EVENTS.join(', ')}

  --room NAME          room name (default "Daily Standup"); the same name is always the same room
  --status S           meetingEnded: open | closed | deleted; recordingUpdated: active | ending;
                       recordingEnded: complete | failed | aborted | limit_reached (first one is the default)
  --url URL            receiver (default http://localhost:$SERVER_PORT/webhook, port 6080)
  --key KEY            signing key (default the first of $OV_MEET_API_KEY, else meet-api-key)
  --meet-version V     payload shape: 3.8 (default) or 3.4
  --repeat N           deliver the very same bytes N more times, as Meet's retries do
  --stale              timestamp 3 minutes old (refused: stale_timestamp)
  --future             timestamp 3 minutes ahead (refused: future_timestamp)
  --bad-signature      a signature that does not match (refused: signature_mismatch)`;

function fail(message: string): never {
  console.error(`trigger: ${message}\n\n${USAGE}`);
  process.exit(2);
}

const { values, positionals } = (() => {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        room: { type: 'string', default: 'Daily Standup' },
        status: { type: 'string' },
        url: { type: 'string' },
        key: { type: 'string' },
        'meet-version': { type: 'string', default: '3.8' },
        repeat: { type: 'string', default: '0' },
        stale: { type: 'boolean', default: false },
        future: { type: 'boolean', default: false },
        'bad-signature': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    fail((error as Error).message);
  }
})();

if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const requested = positionals[0];
if (!requested || !(EVENTS as readonly string[]).includes(requested)) fail(requested ? `unknown event "${requested}"` : 'which event?');
const event = requested as EventName;
const status = values.status ?? STATUSES[event][0]!;
if (!STATUSES[event].includes(status)) fail(`--status for ${event} is one of: ${STATUSES[event].join(', ')}`);
const version = values['meet-version'] as MeetVersion;
if (version !== '3.4' && version !== '3.8') fail('--meet-version is 3.4 or 3.8');
const repeat = Number(values.repeat);
if (!Number.isInteger(repeat) || repeat < 0 || repeat > 100) fail('--repeat is a whole number from 0 to 100');
if ([values.stale, values.future, values['bad-signature']].filter(Boolean).length > 1) {
  fail('choose one of --stale, --future, --bad-signature');
}

const url = values.url ?? `http://localhost:${process.env.SERVER_PORT || 6080}/webhook`;
const key = values.key ?? (process.env.OV_MEET_API_KEY || 'meet-api-key').split(',')[0]!.trim();
const now = Date.now();
const shift = values.stale ? -180_000 : values.future ? 180_000 : 0;
const creationDate = now + shift;

const sample = { version, baseUrl: `http://localhost:9080${version === '3.4' ? '' : '/meet'}`, now: creationDate };
function payloadData(): object {
  if (event === 'testEvent') return { message: 'This is a test webhook event' };
  // §2.3.2: a meeting that ended with the room's deletion still reports active_meeting, action "delete".
  const roomStatus = event === 'meetingEnded' && status !== 'deleted' ? (status as RoomStatus) : 'active_meeting';
  const room = sampleRoom(values.room!, roomStatus, status === 'deleted' ? 'delete' : 'none', sample);
  return event.startsWith('meeting') ? room : sampleRecording(room, status as RecordingStatus, sample);
}

const body = JSON.stringify({ event, creationDate, data: payloadData() });
let signature = signMeetWebhook(key, creationDate, body);
if (values['bad-signature']) signature = signature.replace(/./, (c) => (c === '0' ? '1' : '0'));
const expectRefusal = shift !== 0 || values['bad-signature'];

const subject = event === 'testEvent' ? '' : ` for room "${values.room}"`;
console.log(`→ POST ${url}  ${event}${status && event !== 'testEvent' ? ` (${status})` : ''}${subject}${expectRefusal ? ' — expecting a refusal' : ''}`);

let unexpected = 0;
for (let attempt = 0; attempt <= repeat; attempt++) {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Timestamp': String(creationDate), 'X-Signature': signature },
      body,
      signal: AbortSignal.timeout(5000),
    });
  } catch (error) {
    console.error(`trigger: could not reach ${url}: ${(error as Error).cause ?? (error as Error).message}. Is roomwatch running (npm start)?`);
    process.exit(1);
  }
  const text = await response.text();
  const label = attempt === 0 ? 'delivery' : `retry ${attempt}`;
  console.log(`← ${label}: ${response.status} ${text}`);
  if (response.ok === Boolean(expectRefusal)) unexpected++;
}
if (unexpected > 0) {
  console.error(`trigger: ${unexpected} answer(s) were not what was expected (${expectRefusal ? 'a refusal' : '2xx'})`);
  process.exit(1);
}
