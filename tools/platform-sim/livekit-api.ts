// The part of LiveKit's server API that roomwatch calls, as a LiveKit server serves it (livekit/livekit
// pkg/service/{server,auth,roomservice,egress}.go, and the Twirp v8 code livekit/protocol generates):
// - Twirp: `POST /twirp/livekit.RoomService/<Method>` and `/twirp/livekit.Egress/<Method>`, a JSON body
//   (proto or JSON field names alike; unknown fields ignored); `application/protobuf` is not spoken here;
// - answers as Twirp writes them by default, which LiveKit keeps: proto field names (`egress_id`), every
//   field, default values included, 64-bit integers as strings, enums by name;
// - `Authorization: Bearer <token>`: HS256 signed with the secret of the key in `iss` (its own `keys`).
//   A header that is not "Bearer …", a token it cannot read, an unknown key or a bad signature: 401 with
//   a plain-text reason, before any routing. A token without the grant a method needs: Twirp
//   `unauthenticated` (401) "permissions denied" — ListRooms needs roomList, ListParticipants roomAdmin
//   for that very room, DeleteRoom roomCreate, ListEgress and StopEgress roomRecord;
// - errors as Twirp's `{"code","msg"}` with its HTTP status: a room or egress that does not exist is
//   `not_found` (404), stopping an egress that has ended `failed_precondition` (412), a LiveKit without
//   an egress service `internal` (500) "egress not connected (redis required)";
// - ListEgress pages when asked to (`egressPageSize`, as LiveKit Cloud does): newest page first, oldest
//   first within a page, `next_page_token: {token}` until the last, where it is null.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { jwtVerify, decodeJwt } from 'jose';
import { EgressInfo, ParticipantInfo, Room } from 'livekit-server-sdk';
import type { LiveKitKey } from '../../server/platforms/livekit/settings.js';

type Json = Record<string, unknown>;

/** Twirp error codes this API answers, and their HTTP status (twitchtv/twirp errors.go). */
const TWIRP_STATUS = {
  bad_route: 404,
  malformed: 400,
  invalid_argument: 400,
  not_found: 404,
  failed_precondition: 412,
  unauthenticated: 401,
  unimplemented: 501,
  internal: 500,
} as const;

export type TwirpCode = keyof typeof TWIRP_STATUS;

export class LiveKitApiError extends Error {
  constructor(
    readonly code: TwirpCode,
    message: string,
  ) {
    super(message);
  }
}

export interface EgressFilter {
  roomName: string;
  egressId: string;
  active: boolean;
}

/** What the API reads and does: the simulator's rooms and egresses, as protojson in webhook form. */
export interface LiveKitApiBackend {
  listRoomInfos(names: string[]): Json[];
  listParticipantInfos(roomName: string): Json[];
  deleteRoomByName(roomName: string): void;
  /** Oldest first. */
  listEgressInfos(filter: EgressFilter): Json[];
  stopEgressById(egressId: string): Json;
}

export interface LiveKitApiOptions {
  /** LiveKit's `keys`: a token is checked with the secret of the key it names. */
  keys: LiveKitKey[];
  port?: number;
  host?: string;
  egressPageSize?: number | undefined;
  /** The server's clock, for token lifetimes. */
  now?: () => number;
}

export interface LiveKitApiServer {
  url: string;
  close(): Promise<void>;
}

/** LiveKit limits API request bodies; roomwatch's are tiny. */
const MAX_BODY_BYTES = 64 * 1024;
/** go-jose's default leeway, which LiveKit's token check keeps. */
const CLOCK_LEEWAY_S = 60;

interface VideoGrant {
  roomList?: boolean;
  roomAdmin?: boolean;
  roomCreate?: boolean;
  roomRecord?: boolean;
  room?: string;
}

/** Writes an answer as LiveKit's Twirp server does: proto names, defaults included. */
const WIRE = { useProtoFieldName: true, emitDefaultValues: true } as const;

export async function serveLiveKitApi(backend: LiveKitApiBackend, options: LiveKitApiOptions): Promise<LiveKitApiServer> {
  const server = http.createServer((req, res) => {
    void handle(backend, options, req, res).catch((error: unknown) => {
      if (!res.headersSent) twirpError(res, new LiveKitApiError('internal', (error as Error).message));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { address, port } = server.address() as AddressInfo;
  return {
    url: `http://${address.includes(':') ? `[${address}]` : address}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(backend: LiveKitApiBackend, options: LiveKitApiOptions, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  // The API-key middleware runs before any route.
  const grants = await authenticate(req.headers.authorization, options.keys, options.now?.() ?? Date.now());
  if (typeof grants === 'string') return plainError(res, 401, grants);

  const url = new URL(req.url ?? '/', 'http://livekit');
  const route = /^\/twirp\/livekit\.(RoomService|Egress)\/([A-Za-z]+)$/.exec(url.pathname);
  if (req.method !== 'POST') return twirpError(res, new LiveKitApiError('bad_route', `unsupported method "${req.method}" (only POST is allowed)`));
  if (!route) return twirpError(res, new LiveKitApiError('bad_route', `no handler for path "${url.pathname}"`));
  const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (contentType === 'application/protobuf') {
    return twirpError(res, new LiveKitApiError('unimplemented', 'this simulator speaks Twirp JSON only, which livekit-server-sdk sends'));
  }
  if (contentType !== 'application/json') {
    return twirpError(res, new LiveKitApiError('bad_route', `unexpected Content-Type: "${req.headers['content-type'] ?? ''}"`));
  }
  const body = await readJson(req);
  if (body === undefined) return twirpError(res, new LiveKitApiError('malformed', 'the json request could not be decoded'));

  const [, service, method] = route as unknown as [string, string, string];
  try {
    const answer = call(backend, options, `${service}.${method}`, body, grants);
    if (answer === undefined) return twirpError(res, new LiveKitApiError('bad_route', `no handler for path "${url.pathname}"`));
    const bytes = JSON.stringify(answer);
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(bytes) });
    res.end(bytes);
  } catch (error) {
    if (error instanceof LiveKitApiError) return twirpError(res, error);
    throw error;
  }
}

/** One method: its grant first (as LiveKit's Ensure…Permission), then its work. Undefined: no such method. */
function call(backend: LiveKitApiBackend, options: LiveKitApiOptions, method: string, body: Json, grants: VideoGrant | undefined): Json | undefined {
  const need = (granted: boolean | undefined) => {
    if (!granted) throw new LiveKitApiError('unauthenticated', 'permissions denied');
  };
  switch (method) {
    case 'RoomService.ListRooms': {
      need(grants?.roomList);
      const names = field(body, 'names');
      return { rooms: backend.listRoomInfos(Array.isArray(names) ? names.filter((name) => typeof name === 'string') : []).map((room) => wire(Room, room)) };
    }
    case 'RoomService.ListParticipants': {
      const room = stringField(body, 'room');
      need(grants?.roomAdmin && grants.room === room);
      return { participants: backend.listParticipantInfos(room).map((participant) => wire(ParticipantInfo, participant)) };
    }
    case 'RoomService.DeleteRoom':
      need(grants?.roomCreate);
      backend.deleteRoomByName(stringField(body, 'room'));
      return {};
    case 'Egress.ListEgress': {
      need(grants?.roomRecord);
      const filter = { roomName: stringField(body, 'room_name', 'roomName'), egressId: stringField(body, 'egress_id', 'egressId'), active: field(body, 'active') === true };
      const page = field(body, 'page_token', 'pageToken');
      return egressPage(backend.listEgressInfos(filter), typeof page === 'object' && page !== null ? String((page as Json).token ?? '') : '', options.egressPageSize);
    }
    case 'Egress.StopEgress':
      need(grants?.roomRecord);
      return wire(EgressInfo, backend.stopEgressById(stringField(body, 'egress_id', 'egressId')));
    default:
      return undefined;
  }
}

/** One page: the newest `size` egresses older than the token's, oldest first; a token for the rest while there is more. */
function egressPage(all: Json[], token: string, size: number | undefined): Json {
  let end = all.length;
  if (token !== '') {
    const before = Buffer.from(token, 'base64url').toString('utf8');
    end = all.findIndex((info) => info.egressId === before);
    if (end < 0) throw new LiveKitApiError('invalid_argument', 'invalid page token');
  }
  const start = size === undefined ? 0 : Math.max(0, end - size);
  const items = all.slice(start, end).map((info) => wire(EgressInfo, info));
  const next = start > 0 ? { token: Buffer.from(String(all[start]!.egressId), 'utf8').toString('base64url') } : null;
  return { items, next_page_token: next };
}

/**
 * The grants of a token LiveKit accepts, undefined when there is none (then every method refuses), or
 * the plain-text reason of its 401 (pkg/service/auth.go).
 */
async function authenticate(header: string | undefined, keys: LiveKitKey[], now: number): Promise<VideoGrant | undefined | string> {
  if (header === undefined || header === '') return undefined;
  if (!header.startsWith('Bearer ')) return 'invalid authorization header. Must start with Bearer ';
  const token = header.slice('Bearer '.length);
  let issuer: unknown;
  try {
    issuer = decodeJwt(token).iss;
  } catch {
    return 'invalid authorization token';
  }
  const key = keys.find((candidate) => candidate.key === issuer);
  if (!key) return 'invalid API key';
  try {
    // LiveKit refuses a token without an expiry (auth/verifier.go).
    const { payload } = await jwtVerify(token, new TextEncoder().encode(key.secret), {
      algorithms: ['HS256'],
      issuer: key.key,
      requiredClaims: ['exp'],
      clockTolerance: CLOCK_LEEWAY_S,
      currentDate: new Date(now),
    });
    const video = payload.video;
    return typeof video === 'object' && video !== null ? (video as VideoGrant) : {};
  } catch (error) {
    return `invalid authorization token: ${(error as Error).message}`;
  }
}

/** A webhook-form message (JSON names, defaults left out) as the API writes it; strict, so a wrong field name fails here. */
function wire(type: { fromJson(json: never): { toJson(options: typeof WIRE): unknown } }, json: Json): Json {
  return type.fromJson(json as never).toJson(WIRE) as Json;
}

/** A request field by its proto name or its JSON name (protojson reads both). */
function field(body: Json, ...names: string[]): unknown {
  for (const name of names) if (body[name] !== undefined) return body[name];
  return undefined;
}

function stringField(body: Json, ...names: string[]): string {
  const value = field(body, ...names);
  return typeof value === 'string' ? value : '';
}

async function readJson(req: http.IncomingMessage): Promise<Json | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk);
  }
  try {
    const value = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
  } catch {
    return undefined;
  }
}

function twirpError(res: http.ServerResponse, error: LiveKitApiError): void {
  const bytes = JSON.stringify({ code: error.code, msg: error.message });
  res.writeHead(TWIRP_STATUS[error.code], { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(bytes) });
  res.end(bytes);
}

/** What LiveKit's middleware writes: a status and the reason as text (Go's http sniffs it as text/plain). */
function plainError(res: http.ServerResponse, status: number, reason: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(reason);
}
