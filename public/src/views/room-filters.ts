// The rooms list's filter bar: platform, status, recording now, hide closed, and a name. Each choice
// becomes the #/rooms address (a bookmark shows the same list); typing a name replaces the address
// instead of adding a history entry per key.
import type { RoomStatus, SourceId } from '../../../server/domain/rows.js';
import { SOURCE_IDS } from '../../../server/inspector/types.js';
import { h } from '../dom.js';
import { SOURCE_LABELS } from '../event-filter.js';
import { ROOM_STATUSES, type RoomFilter } from '../room-filter.js';

export interface RoomFilterBar {
  element: HTMLElement;
  /** Shows `filter`, and whether closed rooms are hidden now (by the address or by default). */
  paint(filter: RoomFilter, hidingClosed: boolean): void;
}

const STATUS_LABELS: Record<RoomStatus, string> = { active_meeting: 'Meeting on now', open: 'Open', closed: 'Closed' };

/** `typing`: the name field changed, so the address is replaced rather than pushed. */
export function roomFilterBar(apply: (filter: RoomFilter, typing: boolean) => void): RoomFilterBar {
  let shown: RoomFilter = {};
  const select = (id: string, label: string, first: string, options: [string, string][]) => {
    const control = h(
      'select',
      { class: 'form-select form-select-sm', attrs: { id } },
      h('option', { attrs: { value: '' }, text: first }),
      ...options.map(([value, text]) => h('option', { attrs: { value }, text })),
    );
    return { control, field: h('div', { class: 'rooms-field' }, h('label', { class: 'form-label small mb-1', attrs: { for: id }, text: label }), control) };
  };
  const check = (id: string, label: string) => {
    const control = h('input', { class: 'form-check-input', attrs: { type: 'checkbox', id } });
    return { control, field: h('div', { class: 'form-check rooms-check' }, control, h('label', { class: 'form-check-label small', attrs: { for: id }, text: label })) };
  };

  const source = select('rooms-source', 'Platform', 'All platforms', SOURCE_IDS.map((id) => [id, SOURCE_LABELS[id]]));
  const status = select('rooms-status', 'Status', 'Any status', ROOM_STATUSES.map((id) => [id, STATUS_LABELS[id]]));
  const recording = check('rooms-recording', 'Recording now');
  const hideClosed = check('rooms-hide-closed', 'Hide closed rooms');
  const search = h('input', {
    class: 'form-control form-control-sm',
    attrs: { type: 'search', id: 'rooms-search', placeholder: 'Filter by name', 'aria-label': 'Filter rooms by name', autocomplete: 'off' },
  });
  const clear = h('button', { class: 'btn btn-sm btn-outline-secondary', attrs: { type: 'button', id: 'rooms-clear' }, text: 'Clear filters' });

  const element = h(
    'form',
    { class: 'rooms-filters', attrs: { 'aria-label': 'Filter rooms', id: 'rooms-filters' } },
    source.field,
    status.field,
    h('div', { class: 'rooms-field rooms-name' }, h('label', { class: 'form-label small mb-1', attrs: { for: 'rooms-search' }, text: 'Name' }), search),
    h('div', { class: 'rooms-checks' }, recording.field, hideClosed.field),
    clear,
  );

  const read = (): RoomFilter => {
    const chosen: RoomFilter = {};
    if (source.control.value) chosen.source = source.control.value as SourceId;
    if (status.control.value) chosen.status = status.control.value as RoomStatus;
    if (recording.control.checked) chosen.recording = true;
    // Kept as the address had it unless this box was the one changed (see the listener below).
    if (shown.closed !== undefined) chosen.closed = shown.closed;
    const text = search.value.trim();
    if (text) chosen.text = text;
    return chosen;
  };

  element.addEventListener('submit', (event) => event.preventDefault());
  for (const control of [source.control, status.control, recording.control]) control.addEventListener('change', () => apply(read(), false));
  hideClosed.control.addEventListener('change', () => apply({ ...read(), closed: hideClosed.control.checked ? 'hide' : 'show' }, false));
  search.addEventListener('input', () => apply(read(), true));
  clear.addEventListener('click', () => apply({}, false));

  return {
    element,
    paint: (filter, hidingClosed) => {
      shown = filter;
      source.control.value = filter.source ?? '';
      status.control.value = filter.status ?? '';
      recording.control.checked = filter.recording === true;
      hideClosed.control.checked = hidingClosed;
      // A chosen status decides by itself whether closed rooms show.
      hideClosed.control.disabled = filter.status !== undefined;
      // Rewriting the field while someone types in it would move their cursor.
      if (document.activeElement !== search && search.value.trim() !== (filter.text ?? '')) search.value = filter.text ?? '';
      clear.hidden = Object.keys(filter).length === 0;
    },
  };
}
