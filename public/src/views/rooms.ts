// The rooms screen: the overview (meetings on now, open, closed, recording, by platform), every room with
// its live badge, newest activity first, filters kept in the #/rooms address, the create form, and per-room
// actions (join, copy links, recordings, delete). A frame costs the same at 10 000 rooms as at 10: the
// overview's counts move by the one row that changed, and only that row is repainted and re-filtered.
import type { RoomRow } from '../../../server/domain/rows.js';
import { ApiError, api } from '../api.js';
import { copyText } from '../clipboard.js';
import { h, setText } from '../dom.js';
import { KeyedList } from '../keyed-list.js';
import { isManagedHere } from '../platforms.js';
import { runPlatformAction } from './platform-actions.js';
import { RoomCounts } from '../room-counts.js';
import { hidesClosed, roomMatches, sameRoomFilter, type RoomFilter } from '../room-filter.js';
import { hrefFor, navigate, replaceRoute, type JoinRole } from '../router.js';
import type { DashboardState } from '../state.js';
import { onTick } from '../ticker.js';
import { deleteRoomFlow } from './delete-room.js';
import { refreshButton } from './refresh.js';
import { roomFilterBar } from './room-filters.js';
import { createRoomElement, paintRoomTimes, updateRoomElement, whyNotJoinable } from './room-row.js';
import { roomsOverview } from './rooms-overview.js';
import { showToast } from './toast.js';

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

/** Newest activity first; then by name, then by key, so the order is total. */
export function compareRooms(a: RoomRow, b: RoomRow, aKey: string, bKey: string): number {
  return b.updatedAt - a.updatedAt || collator.compare(a.roomName, b.roomName) || (aKey < bKey ? -1 : aKey > bKey ? 1 : 0);
}

export interface RoomsScreen {
  element: HTMLElement;
  /** Re-reads every room from the state (first load, resync). */
  reset(): void;
  /** Shows the list as this filter (from the #/rooms address) has it. */
  show(filter: RoomFilter): void;
}

export function roomsScreen(state: DashboardState): RoomsScreen {
  let filter: RoomFilter = {};
  const counts = new RoomCounts();
  const facts = { hideClosed: false, isRecording: (key: string) => counts.isRecording(key) };
  const contextOf = (key: string) => ({ recording: counts.isRecording(key), now: Date.now() });

  const count = h('span', { class: 'text-body-secondary small', attrs: { 'aria-live': 'polite', id: 'rooms-count' } });
  const empty = h('p', { class: 'empty-state', hidden: true });
  const listElement = h('ul', { class: 'list-group room-list', attrs: { 'aria-label': 'Rooms' } });
  const overview = roomsOverview(counts);

  const list = new KeyedList<RoomRow>(listElement, {
    compare: compareRooms,
    create: (row, key) => createRoomElement(row, key, contextOf(key)),
    update: (element, row, previous) => updateRoomElement(element, row, previous, contextOf(element.dataset.key!)),
    visible: (row) => roomMatches(row, `${row.source}:${row.roomId}`, filter, facts),
    onCountChange: (visible, total) => {
      const hidden = facts.hideClosed && counts.count('closed', filter.source) > 0 ? ' (closed rooms hidden)' : '';
      setText(count, total === 0 ? '' : visible === total ? `${total} room${total === 1 ? '' : 's'}` : `${visible} of ${total} rooms${hidden}`);
      empty.hidden = visible > 0;
      setText(empty, total === 0 ? 'No rooms yet. Create one, or start a meeting in OpenVidu Meet: it shows up here at once.' : 'No room matches this filter.');
    },
  });

  const bar = roomFilterBar((chosen, typing) => {
    if (typing) {
      // The address follows the name as it is typed, without a history entry per key.
      replaceRoute(hrefFor.rooms(chosen));
      apply(chosen);
    } else {
      navigate(hrefFor.rooms(chosen));
    }
  });

  /** Shows the list as `chosen` has it: every row is checked again only when the filter really changed. */
  const apply = (chosen: RoomFilter, force = false) => {
    const hideClosed = hidesClosed(chosen, list.size);
    const changed = force || !sameRoomFilter(filter, chosen) || hideClosed !== facts.hideClosed;
    filter = chosen;
    facts.hideClosed = hideClosed;
    bar.paint(filter, hideClosed);
    overview.setCurrent(filter);
    if (!changed) return;
    list.refilter();
    paintTimes();
  };

  /** The clock texts of the rows shown; hidden rows are brought up to date when they show again. */
  const paintTimes = () => {
    if (element.hidden) return;
    const now = Date.now();
    list.forEachVisible((rowElement, row) => paintRoomTimes(rowElement, row, now));
  };
  onTick(paintTimes);

  listElement.addEventListener('click', (event) => {
    const target = (event.target as Element).closest<HTMLElement>('[data-action]');
    const key = target?.closest<HTMLElement>('[data-key]')?.dataset.key;
    if (!target || key === undefined) return;
    const row = state.rooms.get(key);
    if (!row) return;
    const role = target.dataset.role as JoinRole | undefined;
    switch (target.dataset.action) {
      case 'join':
        if (role && whyNotJoinable(row, role) === undefined) navigate(hrefFor.join(row.source, row.roomId, role));
        break;
      case 'copy':
        if (role) void copyLink(target as HTMLButtonElement, row, role);
        break;
      case 'delete':
        if (isManagedHere(row.source)) void deleteRoomFlow(row, state);
        break;
      case 'platform-action':
        if (target.dataset.name) void runPlatformAction(row.source, target.dataset.name, row.roomId, `“${row.roomName}”`);
        break;
    }
  });

  state.roomChanges.subscribe(({ key, row, previous }) => {
    counts.room(previous, row);
    if (row) list.upsert(key, row);
    else list.remove(key);
    // Crossing MANY_ROOMS turns the default "hide closed" on or off: the one time a frame re-checks every row.
    if (hidesClosed(filter, list.size) !== facts.hideClosed) apply(filter, true);
    overview.paint();
  });
  state.recordingChanges.subscribe(({ row, previous }) => {
    for (const key of counts.recording(previous, row)) list.refresh(key);
    overview.paint();
  });

  const element = h(
    'section',
    { class: 'screen', attrs: { id: 'rooms-screen', 'aria-labelledby': 'rooms-title' } },
    h(
      'div',
      { class: 'screen-head' },
      h('h1', { class: 'h4 mb-0', attrs: { id: 'rooms-title' }, text: 'Rooms' }),
      count,
      h('div', { class: 'screen-tools' }, refreshButton()),
    ),
    overview.element,
    createRoomForm(state),
    bar.element,
    listElement,
    empty,
  );

  return {
    element,
    reset: () => {
      counts.resetRooms(state.rooms.values());
      counts.resetRecordings(state.recordings.values());
      facts.hideClosed = hidesClosed(filter, state.rooms.size);
      list.reset(state.rooms);
      bar.paint(filter, facts.hideClosed);
      overview.paint();
    },
    show: (chosen) => {
      apply(chosen);
      // Times may have aged while another screen showed.
      paintTimes();
    },
  };
}

function createRoomForm(state: DashboardState): HTMLFormElement {
  const input = h('input', {
    class: 'form-control',
    attrs: { id: 'room-name', name: 'roomName', type: 'text', placeholder: 'Example Room', maxlength: '50', autocomplete: 'off', required: '' },
  });
  const submit = h('button', { class: 'btn btn-primary', attrs: { type: 'submit' }, text: 'Create room' });
  const problem = h('div', { class: 'alert alert-danger py-2 px-3 mt-2 mb-0 small', attrs: { role: 'alert', id: 'create-room-error' }, hidden: true });
  const form = h(
    'form',
    { class: 'create-room card card-body', attrs: { 'aria-label': 'Create a room', novalidate: '' } },
    h('label', { class: 'form-label small fw-semibold', attrs: { for: 'room-name' }, text: 'New room' }),
    h('div', { class: 'input-group' }, input, submit),
    problem,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const roomName = input.value.trim();
    if (roomName === '') {
      problem.textContent = 'Enter a name for the room.';
      problem.hidden = false;
      input.focus();
      return;
    }
    problem.hidden = true;
    submit.disabled = true;
    submit.textContent = 'Creating…';
    api
      .createRoom(roomName)
      .then((room) => {
        if (room) state.applyRoom(room, 'local');
        input.value = '';
        showToast({ title: 'Room created', body: room?.roomName ?? roomName, tone: 'success', duration: 3000 });
      })
      .catch((error: unknown) => {
        problem.textContent = error instanceof ApiError ? error.message : `The room was not created: ${String(error)}`;
        problem.hidden = false;
      })
      .finally(() => {
        submit.disabled = false;
        submit.textContent = 'Create room';
      });
  });
  return form;
}

async function copyLink(button: HTMLButtonElement, row: RoomRow, role: JoinRole): Promise<void> {
  const link = row.links[role];
  if (!link) return;
  const copied = await copyText(link);
  if (copied) {
    const label = button.textContent ?? '';
    button.textContent = 'Copied';
    window.setTimeout(() => (button.textContent = label), 1500);
  } else {
    showToast({ title: `Could not copy the ${role} link`, body: link, tone: 'warning', duration: 0 });
  }
}
