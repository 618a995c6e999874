// npm run trigger -- [--source S] <event> [options]: sends one realistic webhook of OpenVidu Meet (the
// default), OpenVidu 2, LiveKit, LiveSwitch or EnableX to a running roomwatch, authenticated as that
// platform does it, or on purpose a refused one (bad signature, missing authentication, stale), or
// retries of the same bytes. Credentials come from the settings roomwatch reads (environment or .env).
import dotenv from 'dotenv';
import { parseArgs } from 'node:util';
import { ConfigError } from '../server/config.js';
import { RejectReason } from '../server/ingest/rejection.js';
import { signMeetWebhook } from '../server/ingest/sources/meet.js';
import { sampleRecording, sampleRoom } from './meet-sim/samples.js';
import type { MeetVersion, RecordingStatus, RoomStatus } from './meet-sim/model.js';
import { CATALOGUES, LIFECYCLE } from './platforms/catalogue.js';
import {
  DeliveryProblem,
  EXPECTED_REFUSAL,
  PLATFORMS,
  credentialsFromEnv,
  postWebhook,
  prepareWebhook,
  webhookUrl,
  type Platform,
  type Tamper,
} from './platforms/deliver.js';

dotenv.config({ quiet: true });

const SOURCES = ['meet', ...PLATFORMS] as const;
type Source = (typeof SOURCES)[number];

const MEET_EVENTS = ['meetingStarted', 'meetingEnded', 'recordingStarted', 'recordingUpdated', 'recordingEnded', 'testEvent'] as const;
type MeetEvent = (typeof MEET_EVENTS)[number];

const MEET_STATUSES: Record<MeetEvent, readonly string[]> = {
  meetingStarted: ['active_meeting'],
  meetingEnded: ['open', 'closed', 'deleted'],
  recordingStarted: ['starting'],
  recordingUpdated: ['active', 'ending'],
  recordingEnded: ['complete', 'failed', 'aborted', 'limit_reached'],
  testEvent: [''],
};

const MEET_REFUSAL: Record<Tamper, RejectReason> = {
  stale: RejectReason.StaleTimestamp,
  future: RejectReason.FutureTimestamp,
  'bad-signature': RejectReason.SignatureMismatch,
  'missing-auth': RejectReason.MissingHeader,
};

/** Names separated by commas, wrapped under the usage's second column. */
function listed(names: readonly string[]): string {
  const lines = [''];
  for (const name of names) {
    const line = lines.at(-1)!;
    if (line !== '' && line.length + name.length > 84) lines.push(name);
    else lines[lines.length - 1] = line === '' ? name : `${line}, ${name}`;
  }
  return lines.join(',\n               ');
}

const USAGE = `usage: npm run trigger -- [--source S] <event> [options]

S is the platform: meet (default), openvidu (OpenVidu 2.x), livekit (OpenVidu 3 / LiveKit), liveswitch
or enablex. Events of each (lifecycle: a whole session, one event after the other):
  meet         ${listed(MEET_EVENTS)}
  openvidu     ${listed(CATALOGUES.openvidu.events)}
  livekit      ${listed(CATALOGUES.livekit.events)}
  liveswitch   ${listed(CATALOGUES.liveswitch.events)}
               (LiveSwitch does not document these names; they are plausible guesses)
  enablex      ${listed(CATALOGUES.enablex.events)}

  --room NAME          room name (default "Daily Standup"); the same name is always the same room
                       (on the other platforms: the same session, until 00:00 UTC)
  --participant NAME   who joins or leaves (default "Alice"): openvidu, livekit, liveswitch
  --status S           meet: meetingEnded open | closed | deleted; recordingUpdated active | ending;
                         recordingEnded complete | failed | aborted | limit_reached
                       openvidu: recordingStatusChanged started | stopped | ready | failed
                       livekit: egress_updated active | ending;
                         egress_ended complete | failed | aborted | limit_reached
                       (the first one is the default)
  --batch N            liveswitch: N events in one POST, as a JSON array (Batch mode): the event for N
                       channels or N people, or the lifecycle N events at a time
  --repeat N           deliver the very same bytes and credentials N more times, as a retry does
                       (livekit: the same event id)
  --url URL            receiver (default http://localhost:$SERVER_PORT/webhook for meet,
                       /webhook/<source> for the others; port 6080)
  --key KEY            meet: signing key (default the first of $OV_MEET_API_KEY, else meet-api-key)
  --meet-version V     meet: payload shape 3.8 (default) or 3.4

Refused on purpose (the answer must be that refusal):
  --bad-signature      wrong key, secret or credentials: meet, liveswitch signature_mismatch;
                       openvidu header_mismatch (a wrong header value); livekit invalid_token;
                       enablex bad_credentials
  --missing-auth       no authentication header at all: missing_header
  --stale              meet: timestamp 3 minutes old (stale_timestamp);
                       livekit: a token that expired (expired_token); others have no timestamp
  --future             meet: timestamp 3 minutes ahead (future_timestamp);
                       livekit: a token not valid yet (invalid_token); others have no timestamp

Credentials are roomwatch's own settings, from the environment or .env: OV_MEET_API_KEY (meet),
OPENVIDU_WEBHOOK_HEADERS, LIVEKIT_API_KEY and LIVEKIT_API_SECRET, LIVESWITCH_SHARED_SECRET,
ENABLEX_WEBHOOK_USER and ENABLEX_WEBHOOK_PASSWORD. The trigger exits 1 when an answer is not the
expected one (2xx, or the refusal asked for).`;

function fail(message: string): never {
  console.error(`trigger: ${message}\n\n${USAGE}`);
  process.exit(2);
}

const { values, positionals } = (() => {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        source: { type: 'string', default: 'meet' },
        room: { type: 'string', default: 'Daily Standup' },
        participant: { type: 'string' },
        status: { type: 'string' },
        url: { type: 'string' },
        key: { type: 'string' },
        'meet-version': { type: 'string' },
        repeat: { type: 'string', default: '0' },
        batch: { type: 'string' },
        stale: { type: 'boolean', default: false },
        future: { type: 'boolean', default: false },
        'bad-signature': { type: 'boolean', default: false },
        'missing-auth': { type: 'boolean', default: false },
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

const source = values.source as Source;
if (!(SOURCES as readonly string[]).includes(source)) fail(`unknown --source "${values.source}"; one of: ${SOURCES.join(', ')}`);
const events: readonly string[] = source === 'meet' ? MEET_EVENTS : CATALOGUES[source].events;
const event = positionals[0];
if (!event) fail('which event?');
if (!events.includes(event)) fail(`unknown event "${event}" for ${source}; one of: ${events.join(', ')}`);

const tampers = (['stale', 'future', 'bad-signature', 'missing-auth'] as const).filter((flag) => values[flag]);
if (tampers.length > 1) fail('choose one of --stale, --future, --bad-signature, --missing-auth');
const tamper: Tamper | undefined = tampers[0];
const repeat = Number(values.repeat);
if (!Number.isInteger(repeat) || repeat < 0 || repeat > 100) fail('--repeat is a whole number from 0 to 100');

/** One POST to make (and repeat), and the answer it must get. */
interface Planned {
  url: string;
  headers: Record<string, string>;
  body: string;
  label: string;
  /** The refusal reason it must get, or undefined for a 2xx. */
  refusal: RejectReason | undefined;
}

const now = Date.now();
const plan = source === 'meet' ? planMeet(event as MeetEvent) : await planPlatform(source, event);

let unexpected = 0;
for (const post of plan) {
  console.log(`→ POST ${post.url}  ${post.label}${post.refusal ? ` — expecting a refusal: ${post.refusal}` : ''}`);
  for (let attempt = 0; attempt <= repeat; attempt++) {
    let answer;
    try {
      answer = await postWebhook(post.url, post);
    } catch (error) {
      console.error(`trigger: could not reach ${post.url}: ${(error as Error).cause ?? (error as Error).message}. Is roomwatch running (npm start)?`);
      process.exit(1);
    }
    console.log(`← ${attempt === 0 ? 'delivery' : `retry ${attempt}`}: ${answer.status} ${answer.text}`);
    const expected = post.refusal ? answer.status >= 400 && answer.error === post.refusal : answer.status >= 200 && answer.status < 300;
    if (!expected) unexpected++;
  }
}
if (unexpected > 0) {
  const wanted = [...new Set(plan.map((post) => post.refusal ?? '2xx'))].join(', ');
  console.error(`trigger: ${unexpected} answer(s) were not what was expected (${wanted})`);
  process.exit(1);
}

// ── Meet ──────────────────────────────────────────────────────────────────────────────────────────

function planMeet(meetEvent: MeetEvent): Planned[] {
  if (values.participant !== undefined) fail('--participant does not apply to meet: Meet sends no participant events');
  if (values.batch !== undefined) fail('--batch applies to liveswitch only');
  const status = values.status ?? MEET_STATUSES[meetEvent][0]!;
  if (!MEET_STATUSES[meetEvent].includes(status)) fail(`--status for ${meetEvent} is one of: ${MEET_STATUSES[meetEvent].join(', ')}`);
  const version = (values['meet-version'] ?? '3.8') as MeetVersion;
  if (version !== '3.4' && version !== '3.8') fail('--meet-version is 3.4 or 3.8');

  const url = values.url ?? `http://localhost:${process.env.SERVER_PORT || 6080}/webhook`;
  const key = values.key ?? (process.env.OV_MEET_API_KEY || 'meet-api-key').split(',')[0]!.trim();
  const shift = tamper === 'stale' ? -180_000 : tamper === 'future' ? 180_000 : 0;
  const creationDate = now + shift;

  const sample = { version, baseUrl: `http://localhost:9080${version === '3.4' ? '' : '/meet'}`, now: creationDate };
  const payloadData = (): object => {
    if (meetEvent === 'testEvent') return { message: 'This is a test webhook event' };
    // A meeting that ended with the room's deletion still reports active_meeting, action "delete".
    const roomStatus = meetEvent === 'meetingEnded' && status !== 'deleted' ? (status as RoomStatus) : 'active_meeting';
    const room = sampleRoom(values.room!, roomStatus, status === 'deleted' ? 'delete' : 'none', sample);
    return meetEvent.startsWith('meeting') ? room : sampleRecording(room, status as RecordingStatus, sample);
  };

  const body = JSON.stringify({ event: meetEvent, creationDate, data: payloadData() });
  let signature = signMeetWebhook(key, creationDate, body);
  if (tamper === 'bad-signature') signature = signature.replace(/./, (c) => (c === '0' ? '1' : '0'));
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (tamper !== 'missing-auth') Object.assign(headers, { 'X-Timestamp': String(creationDate), 'X-Signature': signature });

  const subject = meetEvent === 'testEvent' ? '' : ` for room "${values.room}"`;
  const label = `${meetEvent}${status && meetEvent !== 'testEvent' ? ` (${status})` : ''}${subject}`;
  return [{ url, headers, body, label, refusal: tamper ? MEET_REFUSAL[tamper] : undefined }];
}

// ── OpenVidu 2, LiveKit, LiveSwitch, EnableX ──────────────────────────────────────────────────────

async function planPlatform(platform: Platform, platformEvent: string): Promise<Planned[]> {
  const catalogue = CATALOGUES[platform];
  if (values.key !== undefined || values['meet-version'] !== undefined) fail('--key and --meet-version apply to meet only');
  const statuses = catalogue.statuses[platformEvent];
  if (values.status !== undefined && !statuses) fail(`--status does not apply to ${platform} ${platformEvent}`);
  if (statuses && values.status !== undefined && !statuses.includes(values.status)) {
    fail(`--status for ${platformEvent} is one of: ${statuses.join(', ')}`);
  }
  const aboutPeople = catalogue.participantEvents.includes(platformEvent) || (platformEvent === LIFECYCLE && catalogue.participantEvents.length > 0);
  if (values.participant !== undefined && !aboutPeople) fail(`--participant does not apply to ${platform} ${platformEvent}`);
  let batch: number | undefined;
  if (values.batch !== undefined) {
    if (platform !== 'liveswitch') fail('--batch applies to liveswitch only (the other platforms post one event at a time)');
    batch = Number(values.batch);
    if (!Number.isInteger(batch) || batch < 1 || batch > 50) fail('--batch is a whole number from 1 to 50');
  }
  if (tamper !== undefined && EXPECTED_REFUSAL[platform][tamper] === undefined) {
    fail(`--${tamper} does not apply to ${platform}: its webhooks carry no timestamp or token lifetime (it applies to meet and livekit)`);
  }

  let credentials;
  try {
    credentials = credentialsFromEnv(process.env);
  } catch (error) {
    if (error instanceof ConfigError) fail(`invalid configuration: ${error.message}`);
    throw error;
  }
  const url = values.url ?? webhookUrl(`http://localhost:${process.env.SERVER_PORT || 6080}`, platform);
  const posts = catalogue.posts({
    event: platformEvent,
    room: values.room!,
    participant: values.participant ?? 'Alice',
    status: values.status ?? statuses?.[0],
    now,
    batch,
  });
  const status = values.status ?? statuses?.[0];
  const planned: Planned[] = [];
  for (const post of posts) {
    let webhook;
    try {
      webhook = await prepareWebhook(platform, post.body, { credentials, tamper, now });
    } catch (error) {
      if (error instanceof DeliveryProblem) fail(error.message);
      throw error;
    }
    const what = post.events.length === 1 ? post.events[0]! : `${post.events.length} events in one POST: ${post.events.join(', ')}`;
    planned.push({
      url,
      headers: webhook.headers,
      body: webhook.body,
      label: `${platform} ${what}${status && platformEvent !== LIFECYCLE ? ` (${status})` : ''} for room "${values.room}"`,
      refusal: tamper ? EXPECTED_REFUSAL[platform][tamper] : undefined,
    });
  }
  return planned;
}
