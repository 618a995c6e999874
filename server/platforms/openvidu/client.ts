// The OpenVidu 2.x REST client (openvidu-server 2.32's SessionRestController): Basic OPENVIDUAPP:<secret>,
// a timeout on every call, every path segment encoded, and errors that say what OpenVidu meant by its
// bare status codes (404 unknown, 406 not yet, 409 wrong state, 501 recording off). The lists have no
// paging: one GET returns them whole.
import { PlatformApiError, PlatformUnreachableError, describeFetchError } from '../shared/api-errors.js';
import type { OpenViduApiSettings } from './settings.js';
import type { OpenViduRestConnection, OpenViduRestRecording, OpenViduRestSession } from './payloads.js';

const OPENVIDU = { id: 'openvidu', label: 'OpenVidu 2' };
const API_PATH = '/openvidu/api';
/** Where OpenVidu serves recording files (RequestMappings.RECORDINGS). */
export const RECORDINGS_PATH = '/openvidu/recordings/';

export interface OpenViduClientOptions extends OpenViduApiSettings {
  timeoutMs?: number;
}

/** What a status means for one call, when OpenVidu says no more than the status. */
type StatusMeanings = Partial<Record<number, string>>;

export class OpenViduClient {
  private readonly timeoutMs: number;
  private readonly authorization: string;

  constructor(private readonly options: OpenViduClientOptions) {
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.authorization = `Basic ${Buffer.from(`OPENVIDUAPP:${options.secret}`).toString('base64')}`;
  }

  /** Where the API is, for messages and the dashboard. */
  get apiUrl(): string {
    return `${this.options.url}${API_PATH}`;
  }

  /** GET /sessions: every session, with its active connections (pending ones are not asked for). */
  async listSessions(): Promise<OpenViduRestSession[]> {
    const { body } = await this.call('GET', '/sessions');
    if (!Array.isArray(body.content)) throw badAnswer('/sessions', 'a "content" list', body);
    return body.content.filter(isSession);
  }

  /** GET /sessions/{id}; undefined when OpenVidu has no session by that id (404). */
  async getSession(sessionId: string): Promise<OpenViduRestSession | undefined> {
    try {
      const { body } = await this.call('GET', `/sessions/${encodeURIComponent(sessionId)}`);
      if (!isSession(body)) throw badAnswer('/sessions/{id}', 'a session', body);
      return body;
    } catch (error) {
      if (error instanceof PlatformApiError && error.status === 404) return undefined;
      throw error;
    }
  }

  /** GET /recordings: every recording; an empty list when recording is off on that OpenVidu (501). */
  async listRecordings(): Promise<{ recordings: OpenViduRestRecording[]; recordingEnabled: boolean }> {
    try {
      const { body } = await this.call('GET', '/recordings');
      if (!Array.isArray(body.items)) throw badAnswer('/recordings', 'an "items" list', body);
      return { recordings: body.items.filter(isRecording), recordingEnabled: true };
    } catch (error) {
      if (error instanceof PlatformApiError && error.status === 501) return { recordings: [], recordingEnabled: false };
      throw error;
    }
  }

  async getRecording(recordingId: string): Promise<OpenViduRestRecording> {
    const { body } = await this.call('GET', `/recordings/${encodeURIComponent(recordingId)}`, {
      404: `OpenVidu 2 has no recording ${recordingId} (deleted?)`,
      501: 'recording is off on this OpenVidu 2 (OPENVIDU_RECORDING=false)',
    });
    if (!isRecording(body)) throw badAnswer('/recordings/{id}', 'a recording', body);
    return body;
  }

  /** DELETE /sessions/{id}: everyone is evicted, its recording stops, sessionDestroyed follows (204). */
  async closeSession(sessionId: string): Promise<void> {
    await this.call('DELETE', `/sessions/${encodeURIComponent(sessionId)}`, { 404: `OpenVidu 2 has no session ${sessionId}: it has already ended` });
  }

  /** POST /recordings/stop/{id}: the recording as it now is (`stopped`). */
  async stopRecording(recordingId: string): Promise<OpenViduRestRecording> {
    const { body } = await this.call('POST', `/recordings/stop/${encodeURIComponent(recordingId)}`, {
      404: `OpenVidu 2 has no recording ${recordingId} in progress: it has already stopped`,
      406: `recording ${recordingId} is still starting; stop it once it has started`,
      409: `the session of recording ${recordingId} is not being recorded`,
      501: 'recording is off on this OpenVidu 2 (OPENVIDU_RECORDING=false)',
    });
    if (!isRecording(body)) throw badAnswer('/recordings/stop/{id}', 'a recording', body);
    return body;
  }

  /**
   * A recording file OpenVidu serves itself (`/openvidu/recordings/…`), as a streaming response: the
   * caller reads or cancels the body. `range` is passed on (OpenVidu answers 206 to it). The timeout
   * covers the answer's headers only, so that a long file can stream for as long as it takes.
   */
  async recordingFile(path: string, range: string | undefined, signal: AbortSignal): Promise<Response> {
    if (!path.startsWith(RECORDINGS_PATH)) throw new Error(`not a recording file path: ${path}`);
    const url = `${this.options.url}${path}`;
    const headersTimer = AbortSignal.timeout(this.timeoutMs);
    const waiting = AbortSignal.any([signal, headersTimer]);
    const stop = new AbortController();
    const relay = () => stop.abort(waiting.reason);
    waiting.addEventListener('abort', relay, { once: true });
    try {
      const response = await fetch(url, {
        headers: { Authorization: this.authorization, ...(range === undefined ? {} : { Range: range }) },
        redirect: 'error',
        signal: stop.signal,
      });
      // From here only the caller's signal (the browser went away) stops the stream.
      waiting.removeEventListener('abort', relay);
      signal.addEventListener('abort', () => stop.abort(signal.reason), { once: true });
      if (response.status === 401) {
        await response.body?.cancel();
        throw refusedSecret();
      }
      return response;
    } catch (error) {
      if (error instanceof PlatformApiError) throw error;
      throw new PlatformUnreachableError(OPENVIDU, this.options.url, describeFetchError(error, this.timeoutMs));
    }
  }

  private async call(method: string, path: string, meanings: StatusMeanings = {}): Promise<{ status: number; body: Record<string, unknown> }> {
    const url = `${this.apiUrl}${path}`;
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, {
        method,
        headers: { Authorization: this.authorization, Accept: 'application/json' },
        redirect: 'error',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      throw new PlatformUnreachableError(OPENVIDU, this.apiUrl, describeFetchError(error, this.timeoutMs));
    }
    let parsed: unknown = {};
    if (text !== '') {
      try {
        parsed = JSON.parse(text);
      } catch {
        if (response.ok) throw new PlatformUnreachableError(OPENVIDU, this.apiUrl, `${method} ${url} answered something that is not JSON (is OPENVIDU_URL an OpenVidu 2?)`);
      }
    }
    const body = isObject(parsed) ? parsed : {};
    if (response.ok) return { status: response.status, body };
    if (response.status === 401) throw refusedSecret();
    // Most refusals are a bare status; a few carry Spring's { status, error, message, path }.
    const said = typeof body.message === 'string' && body.message !== '' ? body.message : undefined;
    const meaning = meanings[response.status];
    const message = meaning ?? said ?? `OpenVidu 2 answered ${method} ${path} with ${response.status}`;
    throw new PlatformApiError(response.status, response.status === 501 ? 'recording_disabled' : `openvidu_${response.status}`, message);
  }
}

function refusedSecret(): PlatformApiError {
  return new PlatformApiError(401, 'openvidu_unauthorized', 'OpenVidu 2 refused the credentials (401): OPENVIDU_SECRET must be the server’s own OPENVIDU_SECRET');
}

function badAnswer(path: string, expected: string, body: Record<string, unknown>): PlatformApiError {
  return new PlatformApiError(502, 'bad_answer', `OpenVidu 2 answered GET ${path} without ${expected}`, body);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isSession(value: unknown): value is OpenViduRestSession {
  return isObject(value) && typeof value.id === 'string' && value.id !== '' && typeof value.createdAt === 'number' && Number.isFinite(value.createdAt);
}

function isRecording(value: unknown): value is OpenViduRestRecording {
  return (
    isObject(value) &&
    typeof value.id === 'string' &&
    value.id !== '' &&
    typeof value.sessionId === 'string' &&
    typeof value.createdAt === 'number' &&
    typeof value.status === 'string'
  );
}

/** The connections of a session that someone is using now (a listing without ?pendingConnections has only those). */
export function activeConnections(session: OpenViduRestSession): string[] {
  const content = Array.isArray(session.connections?.content) ? session.connections.content : [];
  return content
    .filter((connection): connection is OpenViduRestConnection => isObject(connection) && connection.status === 'active')
    .map((connection) => (typeof connection.id === 'string' ? connection.id : connection.connectionId))
    .filter((id): id is string => typeof id === 'string' && id !== '');
}
