// npm run trigger -- [--source S] <event> [options]: sends one realistic webhook of any platform of the
// registry (OpenVidu Meet by default), authenticated as that platform does it, or on purpose a refused
// one (bad signature, missing authentication, stale), or retries of the same bytes. Signing is roomwatch's
// own (server/platforms/<id>/sign.ts), with the settings roomwatch reads (environment or .env).
import dotenv from 'dotenv';
import { parseArgs } from 'node:util';
import { ConfigError } from '../server/config.js';
import type { RejectReason } from '../server/ingest/rejection.js';
import { SOURCE_IDS, isSourceId, type SourceId } from '../server/platforms/catalog.js';
import { platformById } from '../server/platforms/index.js';
import type { MeetVersion } from './meet-sim/model.js';
import { CATALOGUES, LIFECYCLE, catalogueOf, type Tamper } from './platforms/catalogue.js';
import { DeliveryProblem, prepareWebhook, sendWebhook, settingsFromEnv, webhookUrl } from './platforms/deliver.js';

dotenv.config({ quiet: true });

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

S is the platform: ${SOURCE_IDS.map((id) => `${id} (${platformById(id)!.label})`).join(', ')}; meet is the
default. Events of each (lifecycle: a whole session, one event after the other):
${SOURCE_IDS.map((id) => `  ${id.padEnd(13)}${listed(CATALOGUES[id].events)}`).join('\n')}
               (LiveSwitch does not document its event names; those are plausible guesses)

  --room NAME          room name (default "Daily Standup"); the same name is always the same room
                       (meet: the room of that name roomwatch lists, when it lists one, as in the demo;
                       read from its /api/rooms, which needs no sign-in without DASHBOARD_PASSWORD)
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

Credentials are roomwatch's own settings, from the environment or .env:
${SOURCE_IDS.map((id) => `  ${id.padEnd(13)}${platformById(id)!.settings.enabledBy ?? Object.keys(platformById(id)!.settings.variables).join(', ')}`).join('\n')}
The trigger exits 1 when an answer is not the expected one (2xx, or the refusal asked for).`;

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

if (!isSourceId(values.source)) fail(`unknown --source "${values.source}"; one of: ${SOURCE_IDS.join(', ')}`);
const source: SourceId = values.source;
const catalogue = catalogueOf(source);
const event = positionals[0];
if (!event) fail('which event?');
if (!catalogue.events.includes(event)) fail(`unknown event "${event}" for ${source}; one of: ${catalogue.events.join(', ')}`);

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
const plan = await planPosts(source, event);

let unexpected = 0;
for (const post of plan) {
  console.log(`→ POST ${post.url}  ${post.label}${post.refusal ? ` — expecting a refusal: ${post.refusal}` : ''}`);
  for (let attempt = 0; attempt <= repeat; attempt++) {
    let answer;
    try {
      answer = await sendWebhook(post.url, post);
    } catch (error) {
      console.error(`trigger: could not reach ${post.url}: ${(error as Error).message}. Is roomwatch running (npm start)?`);
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

async function planPosts(platform: SourceId, platformEvent: string): Promise<Planned[]> {
  // Meet's own options: the signing key, and the payload shape of a version.
  if (values['meet-version'] !== undefined && platform !== 'meet') fail('--key and --meet-version apply to meet only');
  if (values.key !== undefined && platform !== 'meet') fail('--key and --meet-version apply to meet only');
  const meetVersion = (values['meet-version'] ?? '3.8') as MeetVersion;
  if (meetVersion !== '3.4' && meetVersion !== '3.8') fail('--meet-version is 3.4 or 3.8');
  const statuses = catalogue.statuses[platformEvent];
  if (values.status !== undefined && !statuses) fail(`--status does not apply to ${platform} ${platformEvent}`);
  if (statuses && values.status !== undefined && !statuses.includes(values.status)) {
    fail(`--status for ${platformEvent} is one of: ${statuses.join(', ')}`);
  }
  const aboutPeople = catalogue.participantEvents.includes(platformEvent) || (platformEvent === LIFECYCLE && catalogue.participantEvents.length > 0);
  if (values.participant !== undefined && !aboutPeople) {
    fail(`--participant does not apply to ${platform} ${platformEvent}${catalogue.participantEvents.length === 0 ? `: ${platform} sends no participant events` : ''}`);
  }
  let batch: number | undefined;
  if (values.batch !== undefined) {
    if (platform !== 'liveswitch') fail('--batch applies to liveswitch only (the other platforms post one event at a time)');
    batch = Number(values.batch);
    if (!Number.isInteger(batch) || batch < 1 || batch > 50) fail('--batch is a whole number from 1 to 50');
  }
  if (tamper !== undefined && catalogue.refusals[tamper] === undefined) {
    const timed = SOURCE_IDS.filter((id) => catalogueOf(id).refusals.stale !== undefined).join(' and ');
    fail(`--${tamper} does not apply to ${platform}: its webhooks carry no timestamp or token lifetime (it applies to ${timed})`);
  }

  let settings;
  try {
    settings = settingsFromEnv({ ...process.env, ...(values.key !== undefined && { OV_MEET_API_KEY: values.key }) });
  } catch (error) {
    if (error instanceof ConfigError) fail(`invalid configuration: ${error.message}`);
    throw error;
  }
  const url = values.url ?? webhookUrl(`http://localhost:${process.env.SERVER_PORT || 6080}`, platform);
  const status = values.status ?? statuses?.[0];
  const roomId = platform === 'meet' && platformEvent !== 'testEvent' ? await listedMeetRoomId(url, values.room!) : undefined;
  const posts = catalogue.posts({
    event: platformEvent,
    room: values.room!,
    participant: values.participant ?? 'Alice',
    status,
    now,
    batch,
    meetVersion,
    roomId,
  });
  const planned: Planned[] = [];
  for (const post of posts) {
    let webhook;
    try {
      webhook = await prepareWebhook(platform, post.body, { settings, tamper, now });
    } catch (error) {
      if (error instanceof DeliveryProblem) fail(error.message);
      throw error;
    }
    const what = post.events.length === 1 ? post.events[0]! : `${post.events.length} events in one POST: ${post.events.join(', ')}`;
    const subject = platformEvent === 'testEvent' ? '' : ` for room "${values.room}"${roomId ? ` (${roomId}, as roomwatch lists it)` : ''}`;
    planned.push({
      url,
      headers: webhook.headers,
      body: webhook.body,
      label: `${platform === 'meet' ? '' : `${platform} `}${what}${status && platformEvent !== LIFECYCLE ? ` (${status})` : ''}${subject}`,
      refusal: tamper ? catalogue.refusals[tamper] : undefined,
    });
  }
  return planned;
}

/**
 * The id of the one Meet room named `name` that the roomwatch at `webhookUrl` lists, so that a webhook about
 * "Daily Standup" changes the room the dashboard shows (one Meet created) rather than a second one with an
 * id made up from the name, which the next read of Meet would drop. Undefined when roomwatch cannot be asked
 * (a sign-in is needed, it is not running) or lists no such room, or several.
 */
async function listedMeetRoomId(webhookUrl: string, name: string): Promise<string | undefined> {
  try {
    const response = await fetch(new URL('/api/rooms', webhookUrl), { signal: AbortSignal.timeout(3000), redirect: 'manual' });
    if (!response.ok) return undefined;
    const { rooms } = (await response.json()) as { rooms?: { source?: string; roomId?: string; roomName?: string }[] };
    const named = (rooms ?? []).filter((room) => room.source === 'meet' && room.roomName === name && typeof room.roomId === 'string');
    return named.length === 1 ? named[0]!.roomId : undefined;
  } catch {
    return undefined;
  }
}
