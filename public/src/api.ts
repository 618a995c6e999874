// roomwatch's JSON API, same origin. Every failure becomes an ApiError whose message a person can act
// on (the server's own message when it sent one); 401 means the session is gone: go to the login page.
import type { DashboardSnapshot, RoomRow } from '../../server/domain/rows.js';
import type { EventDetail, EventPage, ReplayResult } from '../../server/inspector/types.js';
import type { SetupReport } from '../../server/setup/types.js';
import type { EventDeliveries, ForwardingOverview } from '../../server/forward/api-types.js';
import type { UsageSeries } from '../../server/usage/usage-series.js';

/** One way out of a refused room deletion, as the server offers it (409). */
export interface DeleteOption {
  withMeeting?: string;
  withRecordings?: string;
  label: string;
}

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    /** The server's `error` code, or `network` / `bad_response`. */
    readonly code: string,
    message: string,
    readonly options: DeleteOption[] = [],
  ) {
    super(message);
  }
}

export interface DeleteRoomResult {
  /** 202: Meet will delete or close the room when its meeting ends. */
  scheduled: boolean;
  outcome: string;
  message: string;
}

export const api = {
  state: () => request<DashboardSnapshot>('GET', 'api/state'),
  /** The new room's row; null when Meet created it but roomwatch has no row for it yet (its frame will come). */
  createRoom: (roomName: string) => request<{ room?: RoomRow | null }>('POST', 'api/rooms', { roomName }).then((body) => body.room ?? null),
  deleteRoom: async (roomId: string, choice: Omit<DeleteOption, 'label'> = {}): Promise<DeleteRoomResult> => {
    const query = new URLSearchParams();
    if (choice.withMeeting) query.set('withMeeting', choice.withMeeting);
    if (choice.withRecordings) query.set('withRecordings', choice.withRecordings);
    const suffix = query.toString() === '' ? '' : `?${query.toString()}`;
    const { status, body } = await send<{ outcome?: string; message?: string }>('DELETE', `api/rooms/${encodeURIComponent(roomId)}${suffix}`);
    return { scheduled: status === 202, outcome: body.outcome ?? '', message: body.message ?? 'Done.' };
  },
  deleteRecording: (recordingId: string) =>
    request<{ message?: string }>('DELETE', `api/recordings/${encodeURIComponent(recordingId)}`).then((body) => body.message ?? 'Recording deleted.'),
  recordingUrl: (recordingId: string) =>
    request<{ url?: unknown }>('GET', `api/recordings/${encodeURIComponent(recordingId)}/url`).then((body) => {
      if (typeof body.url !== 'string' || body.url === '') throw new ApiError(200, 'bad_response', 'roomwatch gave no playback URL for this recording.');
      return body.url;
    }),
  reconcile: () => request<unknown>('POST', 'api/reconcile'),
  /** One action of a platform's REST API on a room or recording (POST /api/platforms/:id/actions/:name). */
  platformAction: (source: string, action: string, id: string) =>
    request<{ message?: string }>('POST', `api/platforms/${encodeURIComponent(source)}/actions/${encodeURIComponent(action)}`, { id }).then(
      (body) => body.message ?? 'Done.',
    ),
  /** The event inspector: one page of the listing (`query` holds the filter and the `before` cursor). */
  events: (query: URLSearchParams) => request<EventPage>('GET', `api/events?${query.toString()}`),
  event: (seq: number) => request<EventDetail>('GET', `api/events/${seq}`),
  replay: (seq: number) => request<ReplayResult>('POST', `api/events/${seq}/replay`),
  /** Setup health: per platform, the webhook URL, its last delivery and refusal, its API (GET /api/setup). */
  setup: () => request<SetupReport>('GET', 'api/setup'),
  /** Each forwarding target's state (FORWARD_TO). */
  forwarding: () => request<ForwardingOverview>('GET', 'api/forwarding'),
  /** Each target's delivery of one stored webhook. */
  deliveries: (seq: number) => request<EventDeliveries>('GET', `api/forwarding/events/${seq}`),
  /** Sends one stored webhook again, to one target (by its number) or to every target that wants it. */
  redeliver: (seq: number, target?: number) =>
    request<{ queued: number[] }>('POST', `api/forwarding/redeliver/${seq}${target === undefined ? '' : `?target=${target}`}`),
  /** Lets a target stopped by a 410 Gone (by its number) be delivered to again. */
  resumeTarget: (index: number) => request<{ resumed: number }>('POST', `api/forwarding/targets/${index}/resume`),
  /** The usage charts' series (`query`: from, to, bucket). */
  usage: (query: URLSearchParams) => request<UsageSeries>('GET', `api/usage?${query.toString()}`),
};

/** Where the browser goes when the session is missing or expired; it comes back here once signed in. */
export function goToLogin(): void {
  const here = `${window.location.pathname}${window.location.search}${window.location.hash}`;
  window.location.assign(`login?${new URLSearchParams({ next: here }).toString()}`);
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  return (await send<T>(method, path, body)).body;
}

async function send<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? { Accept: 'application/json' } : { Accept: 'application/json', 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network', 'roomwatch is not answering (network error). Is the server running?');
  }
  if (response.status === 401) {
    goToLogin();
    throw new ApiError(401, 'unauthorized', 'Your session has ended; sign in again.');
  }
  const text = await response.text();
  let parsed: unknown = undefined;
  if (text !== '') {
    try {
      parsed = JSON.parse(text) as unknown;
    } catch {
      parsed = undefined;
    }
  }
  if (!response.ok) throw errorFrom(response, parsed);
  if (parsed === undefined && text !== '') {
    throw new ApiError(response.status, 'bad_response', `roomwatch answered ${method} ${path} with something that is not JSON.`);
  }
  return { status: response.status, body: (parsed ?? {}) as T };
}

function errorFrom(response: Response, body: unknown): ApiError {
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const code = typeof fields.error === 'string' ? fields.error : `http_${response.status}`;
  const message =
    typeof fields.message === 'string' && fields.message !== ''
      ? fields.message
      : `roomwatch answered ${response.status}${response.statusText ? ` ${response.statusText}` : ''}.`;
  const options = Array.isArray(fields.options) ? fields.options.filter(isDeleteOption) : [];
  return new ApiError(response.status, code, message, options);
}

function isDeleteOption(value: unknown): value is DeleteOption {
  if (typeof value !== 'object' || value === null) return false;
  const option = value as Record<string, unknown>;
  return (
    typeof option.label === 'string' &&
    (option.withMeeting === undefined || typeof option.withMeeting === 'string') &&
    (option.withRecordings === undefined || typeof option.withRecordings === 'string')
  );
}
