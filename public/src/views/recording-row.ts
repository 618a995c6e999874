// One recording in the list: live status, room, start, duration, size, and Play / Delete (only when the
// status allows it). Repainted in place when its frame arrives.
import { isFinished, type RecordingRow } from '../../../server/domain/rows.js';
import { h, setText } from '../dom.js';
import { formatDateTime, formatDuration, formatSize } from '../format.js';
import { paintRecordingBadge } from './badges.js';

interface RecordingParts {
  badge: HTMLElement;
  room: HTMLElement;
  started: HTMLElement;
  duration: HTMLElement;
  size: HTMLElement;
  error: HTMLElement;
  play: HTMLButtonElement;
  remove: HTMLButtonElement;
}

const parts = new WeakMap<HTMLElement, RecordingParts>();

export const canPlay = (row: RecordingRow) => row.status === 'complete' || row.status === 'limit_reached';

export function createRecordingElement(row: RecordingRow, key: string): HTMLElement {
  const fact = (label: string, value: HTMLElement) => h('span', { class: 'fact' }, h('span', { class: 'fact-label', text: label }), value);
  const p: RecordingParts = {
    badge: h('span'),
    room: h('span', { class: 'recording-room' }),
    started: h('span', { class: 'fact-value' }),
    duration: h('span', { class: 'fact-value' }),
    size: h('span', { class: 'fact-value' }),
    error: h('div', { class: 'recording-error', hidden: true }),
    play: h('button', { class: 'btn btn-sm btn-primary', attrs: { type: 'button' }, data: { action: 'play' }, text: 'Play' }),
    remove: h('button', { class: 'btn btn-sm btn-outline-danger', attrs: { type: 'button' }, data: { action: 'delete' }, text: 'Delete' }),
  };
  const element = h(
    'li',
    { class: 'list-group-item recording-row', data: { key, roomId: row.roomId } },
    h(
      'div',
      { class: 'recording-main' },
      h('div', { class: 'recording-title' }, p.badge, p.room),
      h('div', { class: 'recording-facts' }, fact('Started', p.started), fact('Duration', p.duration), fact('Size', p.size)),
      p.error,
    ),
    h('div', { class: 'recording-actions' }, p.play, p.remove),
  );
  parts.set(element, p);
  paint(p, row);
  return element;
}

export function updateRecordingElement(element: HTMLElement, row: RecordingRow): void {
  const p = parts.get(element);
  if (p) paint(p, row);
}

function paint(p: RecordingParts, row: RecordingRow): void {
  paintRecordingBadge(p.badge, row.status);
  setText(p.room, row.roomName);
  setText(p.started, formatDateTime(row.startedAt));
  const finished = isFinished(row.status);
  setText(p.duration, finished ? formatDuration(row.duration) : 'in progress');
  setText(p.size, finished ? formatSize(row.size) : row.size === undefined ? '—' : formatSize(row.size));
  p.error.hidden = row.error === undefined || row.error === '';
  setText(p.error, row.error ? `Error: ${row.error}` : '');

  p.play.disabled = !canPlay(row);
  p.play.title = canPlay(row) ? 'Play this recording here' : `Only a finished recording with a file can be played (this one is ${row.status.replace('_', ' ')})`;
  p.remove.disabled = !finished;
  p.remove.title = finished ? 'Delete this recording from Meet' : `A recording can be deleted once it has finished (this one is ${row.status})`;
}
