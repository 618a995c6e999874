// LiveKit's server API, as roomwatch uses it (RoomService: ListRooms, ListParticipants, DeleteRoom; Egress:
// ListEgress, StopEgress), through the vendor's livekit-server-sdk: Twirp JSON under /twirp, each call with
// an access token carrying only the grant LiveKit asks for (roomList, roomAdmin for one room, roomCreate,
// roomRecord). Answers come back as protojson, the JSON a webhook carries (./rows.ts reads both); failures
// as roomwatch's typed errors, saying where roomwatch looked.
//
// ListEgress pages (`page_token` → `next_page_token`, each page older than the one before, as `lk egress
// list` reads them); the SDK drops `next_page_token`, so that one call is made here with the SDK's own token
// and types.
import { AccessToken, EgressClient, EgressInfo, RoomServiceClient, ServerError, type ParticipantInfo, type Room } from 'livekit-server-sdk';
import { isObject, type JsonObject } from '../../domain/payload-fields.js';
import { PlatformApiError, PlatformUnreachableError, describeFetchError } from '../shared/api-errors.js';
import type { LiveKitKey } from './settings.js';

const LIVEKIT = { id: 'livekit', label: 'LiveKit / OpenVidu 3' };
const MAX_EGRESS_PAGES = 1000;

export interface LiveKitClientOptions {
  /** LiveKit's address, http(s). */
  url: string;
  /** The key and secret the calls are signed with. */
  key: LiveKitKey;
  timeoutMs?: number;
}

/** LiveKit answered, but not with its API's JSON (another server at that address, a proxy's page…). */
class NotLiveKitError extends Error {}

export class LiveKitClient {
  readonly url: string;
  private readonly rooms: RoomServiceClient;
  private readonly egress: EgressClient;
  private readonly timeoutMs: number;

  constructor(private readonly options: LiveKitClientOptions) {
    this.url = options.url;
    this.timeoutMs = options.timeoutMs ?? 5000;
    // One host, one answer: the reconciler already reads again on its own schedule (no region failover).
    const sdkOptions = { requestTimeout: this.timeoutMs / 1000, failover: false };
    this.rooms = new RoomServiceClient(options.url, options.key.key, options.key.secret, sdkOptions);
    this.egress = new EgressClient(options.url, options.key.key, options.key.secret, sdkOptions);
  }

  /** The rooms running now (all of them, or those of these names). */
  async listRooms(names?: string[]): Promise<JsonObject[]> {
    return (await this.call('ListRooms', () => this.rooms.listRooms(names))).map((room: Room) => asJson(room));
  }

  /** Who is in the room of this name, egress and agent participants included. A room not running has nobody. */
  async listParticipants(roomName: string): Promise<JsonObject[]> {
    return (await this.call('ListParticipants', () => this.rooms.listParticipants(roomName))).map((participant: ParticipantInfo) => asJson(participant));
  }

  /** Ends the room of this name for everyone in it; LiveKit then sends room_finished. */
  async deleteRoom(roomName: string): Promise<void> {
    await this.call('DeleteRoom', () => this.rooms.deleteRoom(roomName));
  }

  /** Asks the egress to stop; answers the egress as it is now (usually ending). */
  async stopEgress(egressId: string): Promise<JsonObject> {
    return asJson(await this.call('StopEgress', () => this.egress.stopEgress(egressId)));
  }

  /** Every egress LiveKit still knows (running and ended), every page. */
  async listEgress(): Promise<JsonObject[]> {
    const items: JsonObject[] = [];
    let token: string | undefined;
    for (let page = 0; page < MAX_EGRESS_PAGES; page++) {
      const answer = await this.call('ListEgress', () => this.listEgressPage(token));
      items.push(...answer.items);
      token = answer.next;
      if (!token) return items;
    }
    throw new PlatformApiError(502, 'too_many_pages', `LiveKit kept paginating ListEgress past ${MAX_EGRESS_PAGES} pages`);
  }

  private async listEgressPage(token: string | undefined): Promise<{ items: JsonObject[]; next: string | undefined }> {
    const grant = new AccessToken(this.options.key.key, this.options.key.secret, { ttl: '10m' });
    grant.addGrant({ roomRecord: true });
    const response = await fetch(`${this.url}/twirp/livekit.Egress/ListEgress`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${await grant.toJwt()}` },
      body: JSON.stringify(token === undefined ? {} : { pageToken: { token } }),
      redirect: 'error',
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    if (!response.ok) throw await serverError(response);
    const body = (await response.json()) as unknown;
    if (!isObject(body) || (body.items !== undefined && !Array.isArray(body.items))) throw new NotLiveKitError('an answer without an "items" list');
    // Twirp writes proto names (next_page_token) unless told to write JSON names; read either.
    const next = body.next_page_token ?? body.nextPageToken;
    return {
      items: ((body.items ?? []) as unknown[]).map((item) => asJson(EgressInfo.fromJson(item as never, { ignoreUnknownFields: true }))),
      next: isObject(next) && typeof next.token === 'string' && next.token !== '' ? next.token : undefined,
    };
  }

  /** Runs one call; turns what can go wrong into roomwatch's errors. */
  private async call<T>(method: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof ServerError) throw apiError(method, error);
      if (error instanceof PlatformApiError) throw error;
      if (isTransportError(error)) throw new PlatformUnreachableError(LIVEKIT, this.url, describeFetchError(error, this.timeoutMs));
      // A 200 whose body is not LiveKit's JSON: whatever answers there is not LiveKit's API.
      throw new PlatformUnreachableError(LIVEKIT, this.url, `${method} was answered with something that is not LiveKit's API (${(error as Error).message})`);
    }
  }
}

/** A message as LiveKit's protojson, the form webhooks carry: JSON names, 64-bit integers as strings, enums by name, zero values left out. */
function asJson(message: { toJson(): unknown }): JsonObject {
  const json = message.toJson();
  return isObject(json) ? json : {};
}

/** fetch rejects with a TypeError (refused, reset, no such host, a redirect), or a TimeoutError at our timeout. */
function isTransportError(error: unknown): boolean {
  const name = (error as Error | undefined)?.name;
  return error instanceof TypeError || name === 'TimeoutError' || name === 'AbortError';
}

/** A Twirp error (`{"code","msg"}`, or LiveKit's plain-text 401 for a token it cannot read) as the SDK reports it. */
async function serverError(response: Response): Promise<ServerError> {
  const text = await response.text();
  let code: string | undefined;
  let message = text;
  if ((response.headers.get('content-type') ?? '').startsWith('application/json')) {
    try {
      const body = JSON.parse(text) as { code?: unknown; msg?: unknown };
      if (typeof body.code === 'string') code = body.code;
      if (typeof body.msg === 'string') message = body.msg;
    } catch {
      // the text is the message
    }
  }
  return new ServerError(response.statusText, message, response.status, code);
}

function apiError(method: string, error: ServerError): PlatformApiError {
  const what = error.message.trim().slice(0, 300) || `HTTP ${error.status}`;
  const code = error.code ?? `http_${error.status}`;
  if (error.status === 401) {
    return new PlatformApiError(
      401,
      code,
      `LiveKit refused roomwatch's token for ${method} (${what}): the first key given (LIVEKIT_API_KEY, else the first of LIVEKIT_KEYS / LIVEKIT_KEY_FILE) must be one of LiveKit's keys, with its secret`,
    );
  }
  return new PlatformApiError(error.status, code, `LiveKit answered ${method}: ${what}${error.code ? ` (${error.code})` : ''}`);
}

/** LiveKit without an egress service (no Redis: `livekit-server --dev`) answers ListEgress with this. */
export function isEgressUnavailable(error: unknown): boolean {
  return error instanceof PlatformApiError && error.status === 500 && /egress not connected/i.test(error.message);
}
