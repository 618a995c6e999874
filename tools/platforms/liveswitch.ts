// LiveSwitch application webhook bodies. CAUTION: LiveSwitch does not publish its application, channel
// and client events (../shared/protocols/providers.md §3, §5.1). What is built here is a plausible guess:
// - the envelope follows the one documented server webhook, `{"timestamp":<ms>,"origin":"gateway",
//   "type":"gateway.started","gateway":{…}}`: `type` is `<origin>.<event>` and the subject sits in an
//   object named after the origin;
// - the event names (channel.activated / channel.deactivated, client.registered / client.unregistered,
//   connection.connected / connection.closed) are NOT confirmed by any doc;
// - the subject objects use the JSON keys of the SDK's ChannelInfo, ClientInfo and ConnectionInfo;
// - `applicationId` (which picks the shared secret) is at the top level and in the subject;
// - a Batch POST is a JSON array of these objects.
// No recording event is built: its name and payload are unknown.
import { BASE62, HEX, derived } from './ids.js';

export type LiveSwitchPayload = Record<string, unknown>;

export interface LiveSwitchChannel {
  /** The application's own channel id; apps usually derive it from the meeting's name. */
  id: string;
  applicationId: string;
}

export interface LiveSwitchClient {
  id: string;
  userId: string;
  userAlias: string;
  deviceId: string;
}

export interface LiveSwitchConnection {
  id: string;
  client: LiveSwitchClient;
}

export const LIVESWITCH_EVENTS = [
  'channel.activated',
  'client.registered',
  'connection.connected',
  'connection.closed',
  'client.unregistered',
  'channel.deactivated',
] as const;
export type LiveSwitchEventType = (typeof LIVESWITCH_EVENTS)[number];

/** A made-up application id, the same everywhere (LiveSwitch Cloud shows them as GUIDs). */
export function liveswitchApplicationId(seed = 'roomwatch-demo'): string {
  const hex = derived(`application:${seed}`, HEX, 32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function liveswitchChannel(roomName: string, applicationId = liveswitchApplicationId()): LiveSwitchChannel {
  const id = roomName.trim().toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || `channel-${derived(`channel:${roomName}`, BASE62, 8)}`;
  return { id, applicationId };
}

/** A client of `name` registered in the channel; `seed` makes a second client of the same name distinct. */
export function liveswitchClient(channel: LiveSwitchChannel, name: string, seed: string = name): LiveSwitchClient {
  const key = `${channel.applicationId}:${channel.id}:${seed}`;
  return {
    id: derived(`client:${key}`, HEX, 32),
    userId: name.trim().toLowerCase().replace(/\s+/g, '.') || 'guest',
    userAlias: name,
    deviceId: derived(`device:${key}`, HEX, 32),
  };
}

export function liveswitchConnection(channel: LiveSwitchChannel, client: LiveSwitchClient, seed = ''): LiveSwitchConnection {
  return { id: derived(`connection:${channel.id}:${client.id}:${seed}`, HEX, 32), client };
}

function envelope(timestamp: number, type: LiveSwitchEventType, channel: LiveSwitchChannel, subject: LiveSwitchPayload): LiveSwitchPayload {
  const origin = type.slice(0, type.indexOf('.'));
  return { timestamp, origin, type, applicationId: channel.applicationId, [origin]: subject };
}

export function channelEvent(type: 'channel.activated' | 'channel.deactivated', channel: LiveSwitchChannel, at: number): LiveSwitchPayload {
  return envelope(at, type, channel, { id: channel.id, applicationId: channel.applicationId });
}

export function clientEvent(type: 'client.registered' | 'client.unregistered', channel: LiveSwitchChannel, client: LiveSwitchClient, at: number): LiveSwitchPayload {
  return envelope(at, type, channel, {
    id: client.id,
    applicationId: channel.applicationId,
    userId: client.userId,
    userAlias: client.userAlias,
    deviceId: client.deviceId,
    deviceAlias: 'Browser',
    tag: channel.id,
    roles: ['participant'],
  });
}

export function connectionEvent(
  type: 'connection.connected' | 'connection.closed',
  channel: LiveSwitchChannel,
  connection: LiveSwitchConnection,
  at: number,
): LiveSwitchPayload {
  return envelope(at, type, channel, {
    id: connection.id,
    applicationId: channel.applicationId,
    channelId: channel.id,
    userId: connection.client.userId,
    deviceId: connection.client.deviceId,
    clientId: connection.client.id,
    state: type === 'connection.connected' ? 'Connected' : 'Closed',
    type: 'sfu',
    recording: false,
  });
}

export interface LiveSwitchLifecycleOptions {
  channel: LiveSwitchChannel;
  participants: string[];
  startAt: number;
  stepMs: number;
}

/** channel.activated → client.registered and connection.connected per person → the reverse → channel.deactivated. */
export function liveswitchLifecycle({ channel, participants, startAt, stepMs }: LiveSwitchLifecycleOptions): LiveSwitchPayload[] {
  let clock = startAt;
  const tick = () => (clock += stepMs);
  const events: LiveSwitchPayload[] = [channelEvent('channel.activated', channel, startAt)];
  const connections = participants.map((name) => {
    const client = liveswitchClient(channel, name);
    const connection = liveswitchConnection(channel, client);
    events.push(clientEvent('client.registered', channel, client, tick()));
    events.push(connectionEvent('connection.connected', channel, connection, tick()));
    return connection;
  });
  for (const connection of connections) {
    events.push(connectionEvent('connection.closed', channel, connection, tick()));
    events.push(clientEvent('client.unregistered', channel, connection.client, tick()));
  }
  events.push(channelEvent('channel.deactivated', channel, tick()));
  return events;
}

/** One POST's bytes: one event, or with Batch on, several in a JSON array. */
export function liveswitchBody(events: LiveSwitchPayload | LiveSwitchPayload[]): string {
  return JSON.stringify(events);
}
