// The OpenVidu Meet REST client (../shared/protocols/openvidu-meet.md §4): X-API-KEY, a timeout on every
// call, every path segment and query value encoded, every page read. It finds the API under /api/v1 or,
// from 3.6, /meet/api/v1 by itself unless told where it is.
import type { MeetRecording, MeetRoom } from './payloads.js';
import { PlatformApiError as MeetApiError, PlatformUnreachableError, describeFetchError } from '../shared/api-errors.js';

export { MeetApiError };

const MEET = { id: 'meet', label: 'OpenVidu Meet' };

/** Meet did not answer (refused, timed out, not an API). */
class MeetUnreachableError extends PlatformUnreachableError {
  constructor(url: string, reason: string) {
    super(MEET, url, reason);
  }
}

export interface MeetClientOptions {
  serverUrl: string;
  apiKey: string;
  /** Fixed API path (OV_MEET_API_PATH); otherwise discovered. */
  apiPath?: string;
  timeoutMs?: number;
}

export type DeleteRoomPolicy = { withMeeting?: string; withRecordings?: string };

const API_PATHS = ['/api/v1', '/meet/api/v1'];
const PAGE_SIZE = 100;
const MAX_PAGES = 1000;

export class MeetClient {
  private resolvedPath: string | undefined;
  private readonly timeoutMs: number;

  constructor(private readonly options: MeetClientOptions) {
    this.resolvedPath = options.apiPath;
    this.timeoutMs = options.timeoutMs ?? 5000;
  }

  /** Where the API is (or is looked for first), for messages and the dashboard. */
  get apiUrl(): string {
    return `${this.options.serverUrl}${this.resolvedPath ?? API_PATHS[0]}`;
  }

  /** The `<openvidu-meet>` bundle: `<base>/v1/openvidu-meet.js`, `/meet/v1/…` from 3.6 (§4.6). Null until the API is found. */
  get webComponentUrl(): string | null {
    if (this.resolvedPath === undefined) return null;
    return `${this.options.serverUrl}${this.resolvedPath.replace(/\/api\/v1$/, '')}/v1/openvidu-meet.js`;
  }

  async listRooms(): Promise<MeetRoom[]> {
    return this.readAllPages<MeetRoom>('/rooms', 'rooms');
  }

  async listRecordings(roomId?: string): Promise<MeetRecording[]> {
    return this.readAllPages<MeetRecording>('/recordings', 'recordings', roomId === undefined ? {} : { roomId });
  }

  /**
   * POST /rooms; Meet answers the room itself (201). No `config`: every version then applies its own
   * defaults, which at 3.4 are exactly the tutorial's config (chat, virtual background, recording for
   * admin, moderator and speaker, §2.5), while a config written for one version is wrong for another:
   * 3.4 requires `recording.allowAccessTo`, 3.8 removed it (§2.8, §4.8).
   */
  async createRoom(roomName: string): Promise<MeetRoom> {
    const { body } = await this.call('POST', '/rooms', { body: { roomName } });
    return body as unknown as MeetRoom;
  }

  /** DELETE /rooms/{id}: 200 done, 202 scheduled for when the meeting ends, or a MeetApiError (409 with Meet's options). */
  async deleteRoom(roomId: string, policy: DeleteRoomPolicy): Promise<{ status: number; body: Record<string, unknown> }> {
    const query: Record<string, string> = {};
    if (policy.withMeeting) query.withMeeting = policy.withMeeting;
    if (policy.withRecordings) query.withRecordings = policy.withRecordings;
    return this.call('DELETE', `/rooms/${encodeURIComponent(roomId)}`, { query });
  }

  async deleteRecording(recordingId: string): Promise<Record<string, unknown>> {
    return (await this.call('DELETE', `/recordings/${encodeURIComponent(recordingId)}`)).body;
  }

  async recordingUrl(recordingId: string): Promise<string> {
    const { body } = await this.call('GET', `/recordings/${encodeURIComponent(recordingId)}/url`);
    if (typeof body.url !== 'string') throw new MeetApiError(502, 'bad_answer', 'Meet answered without a url', body);
    return body.url;
  }

  private async readAllPages<T>(path: string, key: string, filters: Record<string, string> = {}): Promise<T[]> {
    const items: T[] = [];
    let nextPageToken: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const query: Record<string, string> = { ...filters, maxItems: String(PAGE_SIZE) };
      if (nextPageToken) query.nextPageToken = nextPageToken;
      const { body } = await this.call('GET', path, { query });
      const list = body[key];
      if (!Array.isArray(list)) throw new MeetApiError(502, 'bad_answer', `Meet answered ${path} without a "${key}" list`, body);
      items.push(...(list as T[]));
      const pagination = body.pagination as { isTruncated?: boolean; nextPageToken?: string } | undefined;
      nextPageToken = pagination?.isTruncated ? pagination.nextPageToken : undefined;
      if (!nextPageToken) return items;
    }
    throw new MeetApiError(502, 'too_many_pages', `Meet kept paginating ${path} past ${MAX_PAGES} pages`, {});
  }

  private async call(
    method: string,
    path: string,
    { query = {}, body }: { query?: Record<string, string>; body?: unknown } = {},
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    const apiPath = this.resolvedPath ?? (await this.discover());
    const answer = await this.send(method, `${this.options.serverUrl}${apiPath}${path}`, query, body);
    if (answer.status === 404 && answer.body.error === 'Path Not Found' && this.options.apiPath === undefined) {
      // The Meet behind the URL changed version (and base path): look again, once.
      this.resolvedPath = undefined;
      return this.send(method, `${this.options.serverUrl}${await this.discover()}${path}`, query, body).then((a) => this.checked(a));
    }
    return this.checked(answer);
  }

  /** Finds the API path: the one where GET /rooms answers as Meet does (even a 401 says "here"). */
  private async discover(): Promise<string> {
    for (const candidate of API_PATHS) {
      const answer = await this.send('GET', `${this.options.serverUrl}${candidate}/rooms`, { maxItems: '1' });
      if (Array.isArray(answer.body.rooms) || answer.status === 401) {
        this.resolvedPath = candidate;
        return candidate;
      }
    }
    throw new MeetUnreachableError(
      this.options.serverUrl,
      `no OpenVidu Meet API under ${API_PATHS.join(' or ')} (set OV_MEET_API_PATH if it is elsewhere)`,
    );
  }

  private checked(answer: { status: number; body: Record<string, unknown> }): { status: number; body: Record<string, unknown> } {
    if (answer.status >= 200 && answer.status < 300) return answer;
    const code = typeof answer.body.error === 'string' ? answer.body.error : `http_${answer.status}`;
    const message = typeof answer.body.message === 'string' ? answer.body.message : `Meet answered ${answer.status}`;
    if (answer.status === 401) {
      throw new MeetApiError(401, code, `Meet refused the API key (${message}); check OV_MEET_API_KEY`, answer.body);
    }
    throw new MeetApiError(answer.status, code, message, answer.body);
  }

  private async send(
    method: string,
    url: string,
    query: Record<string, string>,
    body?: unknown,
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    const search = new URLSearchParams(query).toString();
    const target = search ? `${url}?${search}` : url;
    let response: Response;
    try {
      response = await fetch(target, {
        method,
        headers: {
          'X-API-KEY': this.options.apiKey,
          Accept: 'application/json',
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        redirect: 'error',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new MeetUnreachableError(this.options.serverUrl, describeFetchError(error, this.timeoutMs));
    }
    const text = await response.text();
    let parsed: unknown = {};
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        if (response.ok) throw new MeetUnreachableError(this.options.serverUrl, `${method} ${url} answered something that is not JSON`);
      }
    }
    const object = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
    return { status: response.status, body: object };
  }
}
