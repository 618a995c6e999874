// One room in the list: badge, name, platform, how long its meeting has been on, participants (or, for a
// past session, who took part), whether it is recording, what else it sends out (LiveKit streams and
// images), when it last changed, what is scheduled, and the actions its platform supports. Built once
// per room; a change repaints only the parts of that one element that differ, and the shared ticker
// repaints only its times. Buttons carry data-action and are handled by one listener on the list (rooms.ts).
import { isFinished, type RoomOutput, type RoomRow } from '../../../server/domain/rows.js';
import { h, setText } from '../dom.js';
import { formatAttendance, formatExactTime, formatParticipants } from '../format.js';
import { isManagedHere, platform } from '../platforms.js';
import { formatAgo, formatLasting } from '../relative-time.js';
import { hrefFor, type JoinRole } from '../router.js';
import { paintRoomBadge } from './badges.js';
import { drawPlatformActions, paintPlatformActions } from './platform-actions.js';

/** What a row shows besides its own fields. */
export interface RoomRowContext {
  /** The room has a recording in progress. */
  recording: boolean;
  now: number;
}

/** The parts of a row element that change, found once when it is built. */
interface RoomParts {
  badge: HTMLElement;
  name: HTMLElement;
  source: HTMLElement;
  meeting: HTMLElement;
  participants: HTMLElement;
  attendance: HTMLElement;
  recording: HTMLElement;
  outputs: HTMLElement;
  updated: HTMLTimeElement;
  schedule: HTMLElement;
  joinGroup: HTMLElement;
  copyGroup: HTMLElement;
  join: Record<JoinRole, HTMLButtonElement>;
  copy: Record<JoinRole, HTMLButtonElement>;
  recordings: HTMLAnchorElement;
  /** Buttons for what the platform's API offers on a room (ending it…), from the catalog. */
  platformActions: HTMLElement;
  remove: HTMLButtonElement;
}

const parts = new WeakMap<HTMLElement, RoomParts>();

/** One room's markup, built once; every row is a deep clone of it (much cheaper than building each). */
let template: HTMLElement | undefined;

function roomTemplate(): HTMLElement {
  const button = (action: string, role: JoinRole, className: string, text: string) =>
    h('button', { class: className, attrs: { type: 'button' }, data: { action, role }, text });
  return h(
    'li',
    { class: 'list-group-item room-row' },
    h(
      'div',
      { class: 'room-main' },
      // The name opens the room's own page (its timeline).
      h('div', { class: 'room-title' }, h('span'), h('a', { class: 'room-name' })),
      h(
        'div',
        { class: 'room-meta' },
        h('span', { class: 'source-tag' }),
        h('span', { class: 'room-id' }),
        h('span', { class: 'room-meeting', hidden: true }),
        h('span', { class: 'room-participants', hidden: true }),
        h('span', { class: 'room-attendance', hidden: true }),
        h('span', { class: 'room-recording', text: 'recording now', hidden: true }),
        h('span', { class: 'room-outputs', hidden: true }),
        h('time', { class: 'room-updated' }),
      ),
      h('div', { class: 'room-schedule', hidden: true }),
    ),
    h(
      'div',
      { class: 'room-actions' },
      h(
        'div',
        { class: 'input-group input-group-sm w-auto' },
        h('span', { class: 'input-group-text', text: 'Join as' }),
        button('join', 'moderator', 'btn btn-primary', 'Moderator'),
        button('join', 'speaker', 'btn btn-outline-primary', 'Speaker'),
      ),
      h(
        'div',
        { class: 'input-group input-group-sm w-auto' },
        h('span', { class: 'input-group-text', text: 'Copy link' }),
        button('copy', 'moderator', 'btn btn-outline-secondary', 'Moderator'),
        button('copy', 'speaker', 'btn btn-outline-secondary', 'Speaker'),
      ),
      h('a', { class: 'btn btn-sm btn-outline-success', text: 'Recordings' }),
      h('div', { class: 'platform-actions' }),
      h('button', { class: 'btn btn-sm btn-outline-danger', attrs: { type: 'button' }, data: { action: 'delete' }, text: 'Delete' }),
    ),
  );
}

export function createRoomElement(row: RoomRow, key: string, context: RoomRowContext): HTMLElement {
  template ??= roomTemplate();
  const element = template.cloneNode(true) as HTMLElement;
  element.setAttribute('data-key', key);
  const [main, actions] = element.children as unknown as [HTMLElement, HTMLElement];
  const [title, meta, schedule] = main.children as unknown as [HTMLElement, HTMLElement, HTMLElement];
  const [badge, name] = title.children as unknown as [HTMLElement, HTMLElement];
  const [source, roomId, meeting, participants, attendance, recording, outputs, updated] = meta.children as unknown as [
    HTMLElement,
    HTMLElement,
    HTMLElement,
    HTMLElement,
    HTMLElement,
    HTMLElement,
    HTMLElement,
    HTMLTimeElement,
  ];
  const [join, copy, recordings, platformActions, remove] = actions.children as unknown as [
    HTMLElement,
    HTMLElement,
    HTMLAnchorElement,
    HTMLElement,
    HTMLButtonElement,
  ];
  const p: RoomParts = {
    badge,
    name,
    source,
    meeting,
    participants,
    attendance,
    recording,
    outputs,
    updated,
    schedule,
    joinGroup: join,
    copyGroup: copy,
    join: { moderator: join.children[1] as HTMLButtonElement, speaker: join.children[2] as HTMLButtonElement },
    copy: { moderator: copy.children[1] as HTMLButtonElement, speaker: copy.children[2] as HTMLButtonElement },
    recordings,
    platformActions,
    remove,
  };
  roomId.textContent = row.roomId;
  // A row's key is its source and room id: the link never changes.
  name.setAttribute('href', hrefFor.room(row.source, row.roomId));
  parts.set(element, p);
  paintRoom(p, row, undefined, context);
  return element;
}

export function updateRoomElement(element: HTMLElement, row: RoomRow, previous: RoomRow, context: RoomRowContext): void {
  const p = parts.get(element);
  if (p) paintRoom(p, row, previous, context);
}

/** Repaints the texts that follow the clock ("updated 3 min ago", "in a meeting for 12 min"), if they changed. */
export function paintRoomTimes(element: HTMLElement, row: RoomRow, now: number): void {
  const p = parts.get(element);
  if (p) paintTimes(p, row, now);
}

function paintTimes(p: RoomParts, row: RoomRow, now: number): void {
  setText(p.updated, `updated ${formatAgo(row.updatedAt, now)}`);
  if (!p.meeting.hidden && row.activeSince !== undefined) setText(p.meeting, `in a meeting for ${formatLasting(row.activeSince, now)}`);
}

function paintRoom(p: RoomParts, row: RoomRow, previous: RoomRow | undefined, { recording, now }: RoomRowContext): void {
  paintRoomBadge(p.badge, row.status);
  setText(p.name, row.roomName);
  if (!previous || previous.source !== row.source) paintPlatform(p, row);
  p.participants.hidden = row.participants === undefined;
  setText(p.participants, row.participants === undefined ? '' : formatParticipants(row.participants));
  if (!previous || previous.attendance !== row.attendance) {
    p.attendance.hidden = row.attendance === undefined;
    setText(p.attendance, row.attendance === undefined ? '' : formatAttendance(row.attendance));
    p.attendance.title = row.attendance?.names.join(', ') ?? '';
  }
  if (p.recording.hidden === recording) p.recording.hidden = !recording;
  if (!previous || previous.outputs !== row.outputs) paintOutputs(p.outputs, row.outputs);

  const meetingSince = row.status === 'active_meeting' ? row.activeSince : undefined;
  p.meeting.hidden = meetingSince === undefined;
  if (!previous || previous.activeSince !== row.activeSince) {
    if (meetingSince === undefined) setText(p.meeting, '');
    else p.meeting.title = `Since ${formatExactTime(meetingSince)}`;
  }
  if (!previous || previous.updatedAt !== row.updatedAt) {
    p.updated.dateTime = new Date(row.updatedAt).toISOString();
    p.updated.title = formatExactTime(row.updatedAt);
  }
  paintTimes(p, row, now);

  const schedule = scheduleText(row);
  p.schedule.hidden = schedule === '';
  setText(p.schedule, schedule);

  if (!previous || previous.status !== row.status) paintPlatformActions(p.platformActions, row, 'room');
  if (!previous || previous.status !== row.status || previous.links !== row.links) {
    for (const role of ['moderator', 'speaker'] as const) {
      // A disabled button says why in its title; an enabled one needs no title.
      const why = whyNotJoinable(row, role);
      paintEnabled(p.join[role], why);
      paintEnabled(p.copy[role], row.links[role] === undefined ? `No ${role} link is known for this room.` : undefined);
    }
  }
  if (!previous || previous.roomId !== row.roomId) p.recordings.setAttribute('href', hrefFor.recordings(row.roomId));
}

/** A stream or image egress is not a recording: the room says what it sends out, and whether it still does. */
function paintOutputs(element: HTMLElement, outputs: RoomOutput[] | undefined): void {
  const words = (outputs ?? []).map((output) => {
    const what = output.kind === 'stream' ? 'stream' : 'images';
    return isFinished(output.status) ? `${what} ${output.status === 'complete' ? 'ended' : output.status.replace('_', ' ')}` : output.kind === 'stream' ? 'streaming now' : 'capturing images';
  });
  element.hidden = words.length === 0;
  setText(element, words.join(' · '));
  element.title = (outputs ?? []).map((output) => `${output.kind} ${output.id}: ${output.status}`).join('\n');
}

function paintPlatform(p: RoomParts, row: RoomRow): void {
  const { tag, name } = platform(row.source);
  setText(p.source, tag);
  p.source.title = name;
  // Joining, copying links and deleting go through Meet's REST API: other platforms' rooms are only
  // watched, so those actions are not offered at all (rather than shown disabled on every row).
  const managed = isManagedHere(row.source);
  p.joinGroup.hidden = !managed;
  p.copyGroup.hidden = !managed;
  p.remove.hidden = !managed;
  drawPlatformActions(p.platformActions, row.source, 'room');
}

function paintEnabled(button: HTMLButtonElement, whyDisabled: string | undefined): void {
  const disabled = whyDisabled !== undefined;
  if (button.disabled !== disabled) button.disabled = disabled;
  if (disabled) button.title = whyDisabled;
  else if (button.hasAttribute('title')) button.removeAttribute('title');
}

function scheduleText(row: RoomRow): string {
  if (row.meetingEndAction === 'delete') return 'Scheduled: the room will be deleted when its meeting ends.';
  if (row.meetingEndAction === 'close') return 'Scheduled: the room will be closed when its meeting ends.';
  return '';
}

/** Why this room cannot be joined with that role here, or undefined when it can. */
export function whyNotJoinable(row: RoomRow, role: JoinRole): string | undefined {
  if (!isManagedHere(row.source)) return `roomwatch joins OpenVidu Meet rooms only; this room is on ${platform(row.source).name}.`;
  if (!row.links[role]) return `No ${role} link is known for this room (Meet has not given roomwatch one).`;
  if (row.status === 'closed') return 'This room is closed: Meet does not let anyone join it.';
  return undefined;
}
