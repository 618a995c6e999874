// A room's page (#/rooms/<source>/<roomId>): its timeline from the stored log. Its meetings (start, end,
// duration, people) come from its webhooks (room-timeline.ts), its recordings from the page's state, and
// every webhook is listed, newest first, each opening in the event inspector. The webhooks are read from
// GET /api/events?source=&room= (the newest MAX_WEBHOOKS) and follow the stream while the page shows.
import type { InspectorEntry, ReplayEntry, WebhookEntry } from '../../../server/inspector/types.js';
import { catalogEntry } from '../../../server/platforms/catalog.js';
import type { RecordingRow, RoomRow, SourceId } from '../../../server/domain/rows.js';
import { ApiError, api } from '../api.js';
import { h, icon, ICONS, replaceChildren, setText } from '../dom.js';
import { formatAttendance, formatDuration, formatExactTime, formatParticipants } from '../format.js';
import { formatEventTime } from '../inspector-format.js';
import { platform } from '../platforms.js';
import { formatLasting } from '../relative-time.js';
import { meetingsFrom, type Meeting } from '../room-timeline.js';
import { hrefFor } from '../router.js';
import { recordingKey, roomKey, type DashboardState } from '../state.js';
import { onTick } from '../ticker.js';
import { paintRecordingBadge, paintRoomBadge } from './badges.js';

/** Webhooks read for one room: the timeline of a very busy room is drawn from its newest ones. */
const MAX_WEBHOOKS = 1000;
const PAGE_SIZE = 200;

type RoomWebhook = WebhookEntry | ReplayEntry;

export interface RoomScreen {
  element: HTMLElement;
  enter(source: SourceId, roomId: string): void;
  leave(): void;
  /** A live entry from the stream: kept when it is this room's. */
  receive(entry: InspectorEntry): void;
  /** The room's row or one of its recordings may have changed. */
  changed(): void;
}

export function roomScreen(state: DashboardState): RoomScreen {
  let shown: { source: SourceId; roomId: string } | undefined;
  let generation = 0;
  let loaded = false;
  let truncated = false;
  const webhooks = new Map<number, RoomWebhook>();

  const back = h('a', { class: 'back-link', attrs: { href: hrefFor.rooms() } }, icon(ICONS.back), h('span', { text: 'All rooms' }));
  const badge = h('span');
  const title = h('h1', { class: 'h4 mb-0 text-break', attrs: { id: 'room-title' } });
  const tag = h('span', { class: 'source-tag' });
  const facts = h('p', { class: 'room-page-facts text-body-secondary small', attrs: { id: 'room-facts' } });
  const problem = h('div', { class: 'alert alert-danger', attrs: { role: 'alert' }, hidden: true });
  const meetings = h('ol', { class: 'list-group room-meetings', attrs: { id: 'room-meetings', 'aria-labelledby': 'room-meetings-title' } });
  const meetingsNote = h('p', { class: 'small text-body-secondary' });
  const recordings = h('ul', { class: 'list-group room-recordings', attrs: { id: 'room-recordings', 'aria-labelledby': 'room-recordings-title' } });
  const recordingsEmpty = h('p', { class: 'small text-body-secondary', text: 'No recordings of this room.' });
  const webhookBody = h('tbody', { attrs: { id: 'room-webhooks' } });
  const webhookStatus = h('p', { class: 'small text-body-secondary mb-2', attrs: { 'aria-live': 'polite', id: 'room-webhooks-status' } });
  const allEvents = h('a', { text: 'Open these in Events' });

  const element = h(
    'section',
    { class: 'screen', attrs: { id: 'room-screen', 'aria-labelledby': 'room-title' }, hidden: true },
    back,
    h('div', { class: 'screen-head' }, badge, title, tag),
    facts,
    problem,
    h('h2', { class: 'h5 mt-3', attrs: { id: 'room-meetings-title' }, text: 'Meetings' }),
    meetingsNote,
    meetings,
    h('h2', { class: 'h5 mt-4', attrs: { id: 'room-recordings-title' }, text: 'Recordings' }),
    recordingsEmpty,
    recordings,
    h('h2', { class: 'h5 mt-4', attrs: { id: 'room-webhooks-title' }, text: 'Webhooks' }),
    webhookStatus,
    h(
      'div',
      { class: 'table-responsive' },
      h(
        'table',
        { class: 'table table-sm table-hover align-middle mb-2 room-webhooks-table', attrs: { 'aria-labelledby': 'room-webhooks-title' } },
        h('thead', {}, h('tr', {}, ...['Received', '#', 'Type', 'Outcome'].map((label) => h('th', { attrs: { scope: 'col' }, text: label })))),
        webhookBody,
      ),
    ),
    h('p', { class: 'small' }, allEvents),
  );

  const rowOf = () => (shown ? state.rooms.get(roomKey(shown)) : undefined);
  const recordingsOf = (): RecordingRow[] =>
    shown ? [...state.recordings.values()].filter((row) => row.source === shown!.source && row.roomId === shown!.roomId).sort((a, b) => (b.startedAt ?? b.updatedAt) - (a.startedAt ?? a.updatedAt)) : [];
  /** Oldest first, as the timeline reads them. */
  const inOrder = () => [...webhooks.values()].sort((a, b) => a.at - b.at || a.seq - b.seq);

  const load = async (source: SourceId, roomId: string) => {
    const mine = ++generation;
    loaded = false;
    truncated = false;
    webhooks.clear();
    problem.hidden = true;
    setText(webhookStatus, 'Loading…');
    paint();
    try {
      let before: string | null = null;
      do {
        const query = new URLSearchParams({ source, room: roomId, limit: String(PAGE_SIZE) });
        if (before) query.set('before', before);
        const page = await api.events(query);
        if (mine !== generation) return;
        for (const entry of page.entries) if (entry.kind !== 'refusal') webhooks.set(entry.seq, entry);
        before = page.next;
      } while (before !== null && webhooks.size < MAX_WEBHOOKS);
      truncated = before !== null;
      loaded = true;
      paint();
    } catch (error) {
      if (mine !== generation) return;
      problem.textContent = `This room's webhooks could not be read: ${error instanceof ApiError ? error.message : String(error)}`;
      problem.hidden = false;
      setText(webhookStatus, '');
    }
  };

  const paint = () => {
    if (!shown) return;
    const { source, roomId } = shown;
    const row = rowOf();
    const now = Date.now();
    const name = row?.roomName ?? recordingsOf()[0]?.roomName ?? roomId;
    setText(title, name);
    paintRoomBadge(badge, row?.status ?? 'closed');
    badge.hidden = !row;
    setText(tag, platform(source).tag);
    tag.title = platform(source).name;
    setText(facts, roomFacts(row, roomId));

    const events = catalogEntry(source).meetingEvents;
    const list = loaded ? meetingsFrom(inOrder(), events, { active: row?.status === 'active_meeting', activeSince: row?.activeSince }) : [];
    replaceChildren(meetings, ...list.slice().reverse().map((meeting) => meetingItem(meeting, source, now)));
    setText(
      meetingsNote,
      !loaded ? '' : list.length === 0 ? 'No meeting seen in this room’s webhooks.' : truncated ? `From the newest ${MAX_WEBHOOKS} webhooks of this room.` : '',
    );
    meetingsNote.hidden = meetingsNote.textContent === '';

    const ofThisRoom = recordingsOf();
    recordingsEmpty.hidden = ofThisRoom.length > 0;
    replaceChildren(recordings, ...ofThisRoom.map(recordingItem));

    if (loaded) {
      const newest = inOrder().reverse();
      replaceChildren(webhookBody, ...newest.map(webhookRow));
      setText(
        webhookStatus,
        newest.length === 0 ? 'No stored webhook names this room.' : `${newest.length} webhook${newest.length === 1 ? '' : 's'}${truncated ? ' (the newest; older ones in Events)' : ''}, newest first · live`,
      );
    } else {
      replaceChildren(webhookBody);
    }
    allEvents.setAttribute('href', hrefFor.events({ source, room: roomId }));
  };

  onTick(() => {
    // The meeting on now shows how long it has lasted so far.
    if (shown && !element.hidden) paint();
  });

  return {
    element,
    enter: (source, roomId) => {
      if (shown?.source === source && shown.roomId === roomId && loaded) {
        paint();
        return;
      }
      shown = { source, roomId };
      void load(source, roomId);
    },
    leave: () => {
      shown = undefined;
      generation += 1;
      webhooks.clear();
      loaded = false;
    },
    receive: (entry) => {
      if (!shown || entry.kind === 'refusal' || entry.source !== shown.source || entry.roomId !== shown.roomId) return;
      // A repeat arrives as the stored entry again, with its count: the map keeps one per sequence number.
      webhooks.set(entry.seq, entry);
      if (loaded) paint();
    },
    changed: () => {
      if (shown) paint();
    },
  };
}

function roomFacts(row: RoomRow | undefined, roomId: string): string {
  const parts = [`id ${roomId}`];
  if (!row) return [...parts, 'no longer listed (closed and dropped, or deleted)'].join(' · ');
  if (row.participants !== undefined) parts.push(`${formatParticipants(row.participants)} now`);
  if (row.attendance) parts.push(`last session: ${formatAttendance(row.attendance)}`);
  parts.push(`updated ${formatExactTime(row.updatedAt)}`);
  return parts.join(' · ');
}

function meetingItem(meeting: Meeting, source: SourceId, now: number): HTMLElement {
  const { start, end } = meeting;
  const duration =
    start !== undefined && end !== undefined
      ? formatDuration((end - start) / 1000)
      : start !== undefined && meeting.onNow
        ? `${formatLasting(start, now)} so far`
        : 'unknown';
  const people =
    meeting.joined === undefined
      ? meeting.fromRow
        ? ''
        : `${platform(source).name} does not report who joins`
      : `${meeting.joined} joined${meeting.joined > 0 ? `, at most ${meeting.peak} at once` : ''}`;
  return h(
    'li',
    { class: `list-group-item timeline-meeting${meeting.onNow ? ' on-now' : ''}`, data: { state: meeting.onNow ? 'on' : end === undefined ? 'unended' : 'ended' } },
    h('span', { class: 'meeting-start' }, h('span', { class: 'fw-semibold', text: 'Started ' }), start === undefined ? 'unknown (no start webhook)' : formatExactTime(start)),
    h(
      'span',
      { class: 'meeting-end' },
      h('span', { class: 'fw-semibold', text: 'Ended ' }),
      end !== undefined ? formatExactTime(end) : meeting.onNow ? 'on now' : 'unknown (no end webhook)',
    ),
    h('span', { class: 'meeting-duration' }, h('span', { class: 'fw-semibold', text: 'Lasted ' }), duration),
    people ? h('span', { class: 'meeting-participants', text: people }) : null,
    meeting.fromRow ? h('span', { class: 'meeting-note text-body-secondary', text: 'seen by its platform’s API; no webhook announced it' }) : null,
  );
}

function recordingItem(row: RecordingRow): HTMLElement {
  const badge = h('span');
  paintRecordingBadge(badge, row.status);
  return h(
    'li',
    { class: 'list-group-item timeline-recording', data: { key: recordingKey(row) } },
    badge,
    h('span', { class: 'recording-id text-break', text: row.filename ?? row.recordingId }),
    h('span', { class: 'recording-started', text: `started ${formatExactTime(row.startedAt)}` }),
    h('span', { class: 'recording-duration', text: `lasted ${formatDuration(row.duration)}` }),
    h('a', { attrs: { href: hrefFor.recordings(row.roomId) }, text: 'In Recordings' }),
  );
}

function webhookRow(entry: RoomWebhook): HTMLTableRowElement {
  const opens = entry.kind === 'replay' ? entry.replayOf : entry.seq;
  const outcome = entry.kind === 'replay' ? `replay of #${entry.replayOf}` : entry.outcome === 'repeat' ? `repeat ×${entry.repeats}` : 'accepted';
  return h(
    'tr',
    { data: { seq: String(entry.seq) } },
    h('td', { class: 'text-nowrap', text: formatEventTime(entry.at) }),
    h('td', {}, h('a', { class: 'event-link', attrs: { href: hrefFor.event(opens) }, text: `#${entry.seq}` })),
    h('td', { class: 'text-break', text: entry.type }),
    h('td', { text: outcome }),
  );
}
