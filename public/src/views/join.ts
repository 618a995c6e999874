// Joining a room inside the page with <openvidu-meet room-url=…>. One element per join, its three
// listeners added once and removed when the screen is left (the tutorial piled them up per join).
import type { RoomRow, SourceId } from '../../../server/domain/rows.js';
import { h, icon, ICONS, isHttpUrl, replaceChildren, safeHref, setText } from '../dom.js';
import { hrefFor, navigate, type JoinRole } from '../router.js';
import { roomKey, type DashboardState } from '../state.js';
import { createMeetElement, loadWebComponent, type MeetElement, type MeetEventDetail } from '../web-component.js';
import { paintRoomBadge } from './badges.js';
import { whyNotJoinable } from './room-row.js';

export interface JoinScreen {
  element: HTMLElement;
  enter(source: SourceId, roomId: string, role: JoinRole): void;
  leave(): void;
}

const LEFT_REASONS: Record<string, string> = {
  voluntary_leave: 'You left the meeting.',
  network_disconnect: 'The connection to the meeting was lost.',
  server_shutdown: 'The meeting server shut down.',
  participant_kicked: 'A moderator removed you from the meeting.',
  meeting_ended: 'The meeting was ended.',
  meeting_ended_by_self: 'You ended the meeting.',
};

export function joinScreen(state: DashboardState): JoinScreen {
  const name = h('span', { class: 'join-room-name' });
  const badge = h('span');
  const role = h('span', { class: 'badge text-bg-light border join-role' });
  const status = h('span', { class: 'join-status small text-body-secondary', attrs: { role: 'status' } });
  const stage = h('div', { class: 'meeting-stage' });
  const back = h('button', { class: 'btn btn-sm btn-outline-secondary text-nowrap', attrs: { type: 'button' } }, icon(ICONS.back), h('span', { class: 'ms-1', text: 'Back to rooms' }));
  back.addEventListener('click', () => navigate(hrefFor.rooms()));

  let meeting: { element: MeetElement; detach(): void } | undefined;
  let shownKey: string | undefined;
  let generation = 0;

  // The badge follows the room while we are in it.
  state.roomChanges.subscribe(({ key, row }) => {
    if (key === shownKey && row) paintRoomBadge(badge, row.status);
  });

  const leave = () => {
    generation += 1;
    meeting?.detach();
    meeting = undefined;
    shownKey = undefined;
    stage.replaceChildren();
  };

  const problem = (text: string, link?: string) => {
    const open = h('a', { class: 'btn btn-outline-primary btn-sm', attrs: { target: '_blank', rel: 'noopener noreferrer' }, text: 'Open the meeting in a new tab' });
    safeHref(open, link);
    replaceChildren(stage, h('div', { class: 'alert alert-warning m-3', attrs: { role: 'alert' } }, h('p', { text: text }), link && isHttpUrl(link) ? open : null));
  };

  const enter = (source: SourceId, roomId: string, joinRole: JoinRole) => {
    leave();
    const ticket = generation;
    const key = roomKey({ source, roomId });
    const row: RoomRow | undefined = state.rooms.get(key);
    shownKey = key;
    setText(name, row?.roomName ?? roomId);
    setText(role, joinRole);
    if (row) paintRoomBadge(badge, row.status);
    badge.hidden = !row;
    if (!row) {
      setText(status, '');
      problem('roomwatch does not know this room (it may have been deleted).');
      return;
    }
    const why = whyNotJoinable(row, joinRole);
    const link = row.links[joinRole];
    if (why !== undefined || link === undefined) {
      setText(status, '');
      problem(why ?? 'This room cannot be joined.');
      return;
    }
    setText(status, 'Loading OpenVidu Meet…');
    loadWebComponent(state.meet.webComponentUrl).then(
      () => {
        if (ticket !== generation) return; // the user went elsewhere meanwhile
        const element = createMeetElement('room-url', link);
        if (!element) {
          problem('The OpenVidu Meet web component did not provide on/off (an unexpected version?).', link);
          return;
        }
        const onJoined = () => setText(status, 'In the meeting');
        const onLeft = (detail: MeetEventDetail) => setText(status, LEFT_REASONS[detail.reason ?? ''] ?? 'You left the meeting.');
        const onClosed = () => navigate(hrefFor.rooms());
        element.on('joined', onJoined);
        element.on('left', onLeft);
        element.once('closed', onClosed);
        meeting = {
          element,
          detach: () => {
            element.off('joined', onJoined);
            element.off('left', onLeft);
            element.off('closed', onClosed);
            element.remove();
          },
        };
        setText(status, 'Connecting…');
        stage.replaceChildren(element);
      },
      (error: unknown) => {
        if (ticket !== generation) return;
        setText(status, '');
        problem(error instanceof Error ? error.message : String(error), link);
      },
    );
  };

  const element = h(
    'section',
    { class: 'screen join-screen', attrs: { id: 'join-screen', 'aria-label': 'Meeting' }, hidden: true },
    h('div', { class: 'join-bar' }, back, h('div', { class: 'join-title' }, badge, name, role), status),
    stage,
  );
  return { element, enter, leave };
}
