// The recordings screen: every recording in every status, newest first, filtered by room (a select of
// the known rooms, driven by the #/recordings?room= route), with Play and Delete.
import { platform } from '../platforms.js';
import type { RecordingRow } from '../../../server/domain/rows.js';
import { ApiError, api } from '../api.js';
import { h, icon, ICONS, setText } from '../dom.js';
import { formatDateTime } from '../format.js';
import { KeyedList } from '../keyed-list.js';
import { hrefFor, navigate } from '../router.js';
import type { DashboardState } from '../state.js';
import { runPlatformAction } from './platform-actions.js';
import { openDialog } from './confirm.js';
import { canDelete, canPlay, createRecordingElement, updateRecordingElement } from './recording-row.js';
import { refreshButton } from './refresh.js';
import { showToast } from './toast.js';

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

export function compareRecordings(a: RecordingRow, b: RecordingRow, aKey: string, bKey: string): number {
  return (b.startedAt ?? b.updatedAt) - (a.startedAt ?? a.updatedAt) || (aKey < bKey ? -1 : aKey > bKey ? 1 : 0);
}

export interface RecordingsScreen {
  element: HTMLElement;
  reset(): void;
  /** Shows one room's recordings, or every room's (undefined). */
  showRoom(roomId: string | undefined): void;
}

export function recordingsScreen(state: DashboardState): RecordingsScreen {
  let roomFilter: string | undefined;
  const title = h('h1', { class: 'h4 mb-0', attrs: { id: 'recordings-title' }, text: 'Recordings' });
  const count = h('span', { class: 'text-body-secondary small', attrs: { 'aria-live': 'polite' } });
  const empty = h('p', { class: 'empty-state', hidden: true });
  const listElement = h('ul', { class: 'list-group recording-list', attrs: { 'aria-label': 'Recordings' } });
  const select = h('select', { class: 'form-select form-select-sm', attrs: { 'aria-label': 'Show the recordings of', id: 'recordings-room' } });

  const list = new KeyedList<RecordingRow>(listElement, {
    compare: compareRecordings,
    create: createRecordingElement,
    update: (element, row) => updateRecordingElement(element, row),
    visible: (row) => roomFilter === undefined || row.roomId === roomFilter,
    onCountChange: (visible) => {
      setText(count, visible === 0 ? '' : `${visible} recording${visible === 1 ? '' : 's'}`);
      empty.hidden = visible > 0;
      setText(empty, roomFilter === undefined ? 'No recordings yet.' : 'No recordings for this room yet. A recording shows up here as soon as it starts.');
    },
  });

  // The select lists rooms by name; rebuilt only when a room appears, goes or is renamed.
  let optionsStale = true;
  const roomSignature = new Map<string, string>();
  const markRooms = (roomId: string, roomName: string | undefined) => {
    if (roomSignature.get(roomId) !== roomName) optionsStale = true;
  };
  const renderOptions = () => {
    if (!optionsStale) return;
    optionsStale = false;
    const names = state.roomNames();
    roomSignature.clear();
    for (const [roomId, roomName] of names) roomSignature.set(roomId, roomName);
    if (roomFilter !== undefined && !names.has(roomFilter)) names.set(roomFilter, roomFilter);
    const options = [...names].sort((a, b) => collator.compare(a[1], b[1]));
    select.replaceChildren(
      h('option', { attrs: { value: '' }, text: 'All rooms' }),
      ...options.map(([roomId, roomName]) => h('option', { attrs: { value: roomId }, text: roomName === roomId ? roomId : `${roomName} (${roomId})` })),
    );
    select.value = roomFilter ?? '';
  };
  select.addEventListener('change', () => navigate(hrefFor.recordings(select.value === '' ? undefined : select.value)));

  const showRoom = (roomId: string | undefined) => {
    roomFilter = roomId;
    optionsStale = true;
    renderOptions();
    const name = roomId === undefined ? undefined : (state.roomNames().get(roomId) ?? roomId);
    setText(title, name === undefined ? 'Recordings' : `Recordings of ${name}`);
    list.refilter();
  };

  state.recordingChanges.subscribe(({ key, row, previous }) => {
    if (row) list.upsert(key, row);
    else list.remove(key);
    if (!previous || !row) optionsStale = true;
    if (!element.hidden) renderOptions();
  });
  state.roomChanges.subscribe(({ row, previous }) => {
    if (!row || !previous || row.roomName !== previous.roomName) markRooms((row ?? previous)!.roomId, row?.roomName);
    if (!element.hidden) renderOptions();
  });

  listElement.addEventListener('click', (event) => {
    const target = (event.target as Element).closest<HTMLElement>('[data-action]');
    const key = target?.closest<HTMLElement>('[data-key]')?.dataset.key;
    if (!target || key === undefined) return;
    const row = state.recordings.get(key);
    if (!row) return;
    if (target.dataset.action === 'play' && canPlay(row)) navigate(hrefFor.play(row.source, row.recordingId));
    if (target.dataset.action === 'delete' && canDelete(row)) void deleteRecordingFlow(row, state);
    if (target.dataset.action === 'platform-action' && target.dataset.name) {
      void runPlatformAction(row.source, target.dataset.name, row.recordingId, `The recording of “${row.roomName}”`);
    }
  });

  const element = h(
    'section',
    { class: 'screen', attrs: { id: 'recordings-screen', 'aria-labelledby': 'recordings-title' }, hidden: true },
    h('a', { class: 'back-link', attrs: { href: hrefFor.rooms() } }, icon(ICONS.back), h('span', { text: 'Back to rooms' })),
    h('div', { class: 'screen-head' }, title, count, h('div', { class: 'screen-tools' }, select, refreshButton())),
    listElement,
    empty,
  );

  return {
    element,
    reset: () => {
      optionsStale = true;
      list.reset(state.recordings);
      if (!element.hidden) renderOptions();
    },
    showRoom,
  };
}

async function deleteRecordingFlow(row: RecordingRow, state: DashboardState): Promise<void> {
  const dialog = openDialog<true>({
    title: 'Delete this recording?',
    body: [
      h('p', {}, 'The recording of ', h('strong', { class: 'text-break', text: `“${row.roomName}”` }), ` started ${formatDateTime(row.startedAt)} will be deleted from ${platform(row.source).name}.`),
      h('p', { class: 'text-body-secondary small mb-0', text: 'This cannot be undone.' }),
    ],
    buttons: [{ label: 'Delete recording', value: true, style: 'danger' }],
  });
  for (;;) {
    if ((await dialog.choice()) === null) return;
    dialog.busy('Deleting…');
    try {
      const message = await api.deleteRecording(row.recordingId);
      dialog.close();
      showToast({ title: 'Recording deleted', body: message, tone: 'success', duration: 3000 });
      const current = state.recordings.get(`${row.source}:${row.recordingId}`);
      if (current) state.applyRecording({ ...current, removed: true }, 'local');
      return;
    } catch (error) {
      const problem = error instanceof ApiError ? error : new ApiError(0, 'unknown', String(error));
      dialog.update({
        title: 'The recording was not deleted',
        body: [h('p', { class: 'refusal mb-0', text: problem.message })],
        buttons: problem.status === 409 || problem.status === 404 ? [] : [{ label: 'Try again', value: true, style: 'danger' }],
      });
    }
  }
}
