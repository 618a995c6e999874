// The EnableX Server API client (EnableX's Server API docs, "Server API for Video Application Server";
// ../shared/protocols/providers.md §4): HTTP Basic with the project's APP_ID:APP_KEY, a timeout on every
// call, every path segment encoded, answers bounded in size. EnableX answers JSON whose `result` is 0
// (the docs show it as 0 and as "0") on success, and otherwise carries `result`, `error` and `desc`.
// Only the two reads roomwatch needs are here: a room (for its name) and the call records of a period.
import { PlatformApiError, PlatformUnreachableError, describeFetchError } from '../shared/api-errors.js';
import type { EnableXApiSettings } from './settings.js';

const ENABLEX = { id: 'enablex', label: 'EnableX' };
const BASE_PATH = '/video/v2';
/** A week of a busy project's call records fits; more means reading a shorter period (CLOSED_ROOM_RETENTION_HOURS). */
const MAX_ANSWER_BYTES = 32 * 1024 * 1024;

/** A room as `GET /video/v2/rooms/{room_id}` gives it (only what roomwatch reads). */
export interface EnableXRoom {
  room_id?: unknown;
  name?: unknown;
}

/** One call (one participant's connection) of `GET /video/v2/cdr/…` (only what roomwatch reads). */
export interface CdrRecord {
  conf_num?: unknown;
  call_num?: unknown;
  room?: { room_id?: unknown; connect_dt?: unknown; disconnect_dt?: unknown };
  user?: { name?: unknown; role?: unknown; ref?: unknown };
}

export interface EnableXClientOptions extends EnableXApiSettings {
  timeoutMs?: number;
  maxAnswerBytes?: number;
}

export class EnableXClient {
  private readonly timeoutMs: number;
  private readonly maxAnswerBytes: number;
  private readonly authorization: string;

  constructor(private readonly options: EnableXClientOptions) {
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.maxAnswerBytes = options.maxAnswerBytes ?? MAX_ANSWER_BYTES;
    this.authorization = `Basic ${Buffer.from(`${options.appId}:${options.appKey}`).toString('base64')}`;
  }

  /** Where the API is, for messages and the dashboard: e.g. https://api.enablex.io/video/v2 */
  get apiUrl(): string {
    return `${this.options.url}${BASE_PATH}`;
  }

  /** GET /rooms/{room_id}; null when EnableX has no such room (deleted). */
  async room(roomId: string): Promise<EnableXRoom | null> {
    const answer = await this.get(`/rooms/${encodeURIComponent(roomId)}`, { notFound: 'null' });
    if (answer === null) return null;
    const room = answer.room;
    if (typeof room !== 'object' || room === null) throw this.badAnswer(`/rooms/${roomId}`, 'a "room" object');
    return room as EnableXRoom;
  }

  /** GET /cdr/period/{from}/{to}: the call records of the project between two UTC dates (YYYY-MM-DD). */
  async callRecords(from: string, to: string): Promise<CdrRecord[]> {
    const path = `/cdr/period/${encodeURIComponent(from)}/${encodeURIComponent(to)}`;
    const answer = (await this.get(path, { notFound: 'error' }))!;
    // A period without calls may come back without the list.
    if (answer.cdr === undefined || answer.cdr === null) return [];
    if (!Array.isArray(answer.cdr)) throw this.badAnswer(path, 'a "cdr" list');
    return answer.cdr as CdrRecord[];
  }

  private async get(path: string, { notFound }: { notFound: 'null' | 'error' }): Promise<Record<string, unknown> | null> {
    const url = `${this.apiUrl}${path}`;
    let response: Response;
    try {
      response = await fetch(url, {
        headers: { Authorization: this.authorization, Accept: 'application/json' },
        redirect: 'error',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new PlatformUnreachableError(ENABLEX, this.apiUrl, describeFetchError(error, this.timeoutMs));
    }
    const text = await this.readBounded(response, path);
    let parsed: unknown;
    try {
      parsed = text === '' ? {} : JSON.parse(text);
    } catch {
      if (response.ok) throw new PlatformUnreachableError(ENABLEX, this.apiUrl, `GET ${path} answered something that is not JSON`);
      parsed = {};
    }
    const body = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
    const result = body.result === undefined ? 0 : Number(body.result);
    if (response.ok && result === 0) return body;

    const desc = typeof body.desc === 'string' ? body.desc : typeof body.error === 'string' ? body.error : `EnableX answered ${response.status}`;
    const code = typeof body.error === 'string' ? body.error : `http_${response.status}`;
    if (response.status === 401 || response.status === 403) {
      throw new PlatformApiError(401, code, `EnableX refused ENABLEX_APP_ID and ENABLEX_APP_KEY (${desc}); check them against the project's APP_ID and APP_KEY in the EnableX portal`, body);
    }
    if (response.status === 404 && notFound === 'null') return null;
    throw new PlatformApiError(response.ok ? 502 : response.status, code, `EnableX answered GET ${path} with ${response.ok ? `result ${String(body.result)}` : response.status}: ${desc}`, body);
  }

  /** The answer's text, refused beyond `maxAnswerBytes` without reading the rest. */
  private async readBounded(response: Response, path: string): Promise<string> {
    const declared = Number(response.headers.get('content-length'));
    if (declared > this.maxAnswerBytes) {
      await response.body?.cancel();
      throw this.tooLarge(path);
    }
    if (!response.body) return '';
    const chunks: Uint8Array[] = [];
    let size = 0;
    try {
      for await (const chunk of response.body) {
        size += chunk.byteLength;
        if (size > this.maxAnswerBytes) throw this.tooLarge(path);
        chunks.push(chunk);
      }
    } catch (error) {
      // Leaving the loop early has cancelled the rest of the answer.
      if (error instanceof PlatformApiError) throw error;
      throw new PlatformUnreachableError(ENABLEX, this.apiUrl, describeFetchError(error, this.timeoutMs));
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  private tooLarge(path: string): PlatformApiError {
    const mib = Math.round(this.maxAnswerBytes / 1024 / 1024);
    return new PlatformApiError(502, 'answer_too_large', `EnableX answered GET ${path} with more than ${mib} MiB; a shorter CLOSED_ROOM_RETENTION_HOURS makes roomwatch read fewer days of call records`);
  }

  private badAnswer(path: string, expected: string): PlatformApiError {
    return new PlatformApiError(502, 'bad_answer', `EnableX answered GET ${path} without ${expected}`);
  }
}
