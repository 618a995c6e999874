// One room in the list: badge, name, platform, participants, what is scheduled, and its actions. Built once per room;
// a change repaints only the parts of that one element that differ. Buttons carry data-action and are
// handled by one listener on the list (rooms.ts).
import type { RoomRow } from '../../../server/domain/rows.js';
import { h, setText } from '../dom.js';
import { formatDateTime, formatParticipants } from '../format.js';
import { isManagedHere, platform } from '../platforms.js';
import { hrefFor, type JoinRole } from '../router.js';
import { paintRoomBadge } from './badges.js';

/** The parts of a row element that change, found once when it is built. */
interface RoomParts {
  badge: HTMLElement;
  name: HTMLElement;
  source: HTMLElement;
  participants: HTMLElement;
  updated: HTMLElement;
  schedule: HTMLElement;
  join: Record<JoinRole, HTMLButtonElement>;
  copy: Record<JoinRole, HTMLButtonElement>;
  recordings: HTMLAnchorElement;
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
      h('div', { class: 'room-title' }, h('span'), h('span', { class: 'room-name' })),
      h(
        'div',
        { class: 'room-meta' },
        h('span', { class: 'source-tag' }),
        h('span', { class: 'room-id' }),
        h('span', { class: 'room-participants', hidden: true }),
        h('span'),
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
      h('button', { class: 'btn btn-sm btn-outline-danger', attrs: { type: 'button' }, data: { action: 'delete' }, text: 'Delete' }),
    ),
  );
}

export function createRoomElement(row: RoomRow, key: string): HTMLElement {
  template ??= roomTemplate();
  const element = template.cloneNode(true) as HTMLElement;
  element.setAttribute('data-key', key);
  const [main, actions] = element.children as unknown as [HTMLElement, HTMLElement];
  const [title, meta, schedule] = main.children as unknown as [HTMLElement, HTMLElement, HTMLElement];
  const [badge, name] = title.children as unknown as [HTMLElement, HTMLElement];
  const [source, roomId, participants, updated] = meta.children as unknown as [HTMLElement, HTMLElement, HTMLElement, HTMLElement];
  const [join, copy, recordings, remove] = actions.children as unknown as [HTMLElement, HTMLElement, HTMLAnchorElement, HTMLButtonElement];
  const p: RoomParts = {
    badge,
    name,
    source,
    participants,
    updated,
    schedule,
    join: { moderator: join.children[1] as HTMLButtonElement, speaker: join.children[2] as HTMLButtonElement },
    copy: { moderator: copy.children[1] as HTMLButtonElement, speaker: copy.children[2] as HTMLButtonElement },
    recordings,
    remove,
  };
  roomId.textContent = row.roomId;
  parts.set(element, p);
  paintRoom(p, row, undefined);
  return element;
}

export function updateRoomElement(element: HTMLElement, row: RoomRow, previous: RoomRow): void {
  const p = parts.get(element);
  if (p) paintRoom(p, row, previous);
}

function paintRoom(p: RoomParts, row: RoomRow, previous: RoomRow | undefined): void {
  paintRoomBadge(p.badge, row.status);
  setText(p.name, row.roomName);
  if (!previous || previous.source !== row.source) paintPlatform(p, row);
  p.participants.hidden = row.participants === undefined;
  setText(p.participants, row.participants === undefined ? '' : formatParticipants(row.participants));
  setText(p.updated, `updated ${formatDateTime(row.updatedAt)}`);

  const schedule = scheduleText(row);
  p.schedule.hidden = schedule === '';
  setText(p.schedule, schedule);

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

function paintPlatform(p: RoomParts, row: RoomRow): void {
  const { tag, name } = platform(row.source);
  setText(p.source, tag);
  p.source.title = name;
  // Deleting goes through Meet's REST API: other platforms' rooms are only watched.
  paintEnabled(p.remove, isManagedHere(row.source) ? undefined : `roomwatch deletes OpenVidu Meet rooms only; this room is on ${name}.`);
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
