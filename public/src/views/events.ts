// The event inspector: every stored webhook, replay and refusal, newest first, a page at a time, with
// filters kept in the #/events route. While a list is loaded, live entries that pass the filter are
// prepended one row at a time (the rest of the table is never redrawn).
import { SOURCE_IDS, OUTCOMES, cursorOf, type InspectorEntry } from '../../../server/inspector/types.js';
import { ApiError, api } from '../api.js';
import { h, setText } from '../dom.js';
import { OUTCOME_LABELS, SOURCE_LABELS, entryMatches, filterToParams, sameFilter, takesLiveEntries, type EventFilter } from '../event-filter.js';
import { fromLocalInput, toLocalInput } from '../inspector-format.js';
import { hrefFor, navigate } from '../router.js';
import { createEventRow, entryKey } from './event-row.js';

const PAGE_SIZE = 50;
/** Rows kept on the page; live entries past this push the oldest out (they stay reachable with Older). */
const MAX_ROWS = 1000;

export interface EventsScreen {
  element: HTMLElement;
  /** Shows the list for this filter (loads it unless it is the one already shown). */
  show(filter: EventFilter): void;
  /** A live entry from the stream. */
  receive(entry: InspectorEntry): void;
  /** The stream was reset: the list may have missed entries, so it is loaded again when next shown. */
  invalidate(): void;
  /** The route of the list as last shown, for the detail's back link. */
  listHref(): string;
}

/** `forwardTargets`: the list of forwarding targets, shown above the filters. */
export function eventsScreen(forwardTargets: { element: HTMLElement; refresh(): void }): EventsScreen {
  let filter: EventFilter = {};
  /** A list for `filter` is on the page and takes live entries. */
  let loaded = false;
  /** Live entries that arrive while the first page loads, applied once it is drawn. */
  let pending: InspectorEntry[] | undefined;
  let generation = 0;
  let next: string | null = null;
  const entries = new Map<string, InspectorEntry>();

  const form = filterForm((chosen) => navigate(hrefFor.events(chosen)));
  const status = h('p', { class: 'events-status text-body-secondary small mb-2', attrs: { 'aria-live': 'polite', id: 'events-status' } });
  const problem = h('div', { class: 'alert alert-danger', attrs: { role: 'alert' }, hidden: true });
  const body = h('tbody', { attrs: { id: 'events-body' } });
  const table = h(
    'table',
    { class: 'table table-sm table-hover align-middle mb-0 events-table', attrs: { 'aria-label': 'Events' } },
    h(
      'thead',
      {},
      h('tr', {}, ...['Received', '#', 'Source', 'Type', 'Room', 'Outcome'].map((label) => h('th', { attrs: { scope: 'col' }, text: label }))),
    ),
    body,
  );
  const empty = h('p', { class: 'empty-state', hidden: true });
  const older = h('button', { class: 'btn btn-outline-secondary btn-sm', attrs: { type: 'button', id: 'events-older' }, text: 'Older', hidden: true });
  older.addEventListener('click', () => void loadOlder());

  // A click anywhere on a webhook's row opens it (links and the refusal details keep their own clicks).
  body.addEventListener('click', (event) => {
    const target = event.target as Element;
    if (target.closest('a, summary, details')) return;
    const seq = target.closest<HTMLElement>('tr[data-seq]')?.dataset.seq;
    if (seq !== undefined) navigate(hrefFor.event(Number(seq)));
  });

  const downloads = exportLinks();
  const element = h(
    'section',
    { class: 'screen', attrs: { id: 'events-screen', 'aria-labelledby': 'events-title' }, hidden: true },
    h('div', { class: 'screen-head' }, h('h1', { class: 'h4 mb-0', attrs: { id: 'events-title' }, text: 'Events' }), downloads.element),
    forwardTargets.element,
    form.element,
    status,
    problem,
    h('div', { class: 'table-responsive events-table-wrap' }, table),
    empty,
    h('div', { class: 'events-more' }, older),
  );

  const refreshCounts = () => {
    const count = entries.size;
    empty.hidden = count > 0 || !loaded;
    setText(empty, isEmptyFilter(filter) ? 'Nothing received yet. Webhooks, and refused requests, show up here as they arrive.' : 'Nothing matches these filters.');
    const live = takesLiveEntries(filter) ? 'live' : 'as found when loaded (a search or a room name is not live)';
    setText(status, loaded ? `${count} entr${count === 1 ? 'y' : 'ies'} shown, newest first${next ? '' : ' (all of them)'} · ${live}` : status.textContent ?? '');
    older.hidden = !loaded || next === null;
  };

  const addRows = (page: InspectorEntry[], where: 'top' | 'bottom') => {
    const fragment = document.createDocumentFragment();
    const added: InspectorEntry[] = where === 'top' ? [...page].reverse() : page;
    for (const entry of added) {
      const key = entryKey(entry);
      if (entries.has(key)) continue;
      entries.set(key, entry);
      fragment.appendChild(createEventRow(entry));
    }
    if (where === 'top') body.prepend(fragment);
    else body.append(fragment);
  };

  /** Keeps the page bounded while it stays open: the oldest rows leave, and Older starts after the last one kept. */
  const trim = () => {
    while (entries.size > MAX_ROWS) {
      const last = body.lastElementChild as HTMLElement | null;
      if (!last) break;
      entries.delete(last.dataset.key!);
      last.remove();
      const kept = body.lastElementChild as HTMLElement | null;
      const entry = kept ? entries.get(kept.dataset.key!) : undefined;
      if (entry) next = cursorOf(entry);
    }
  };

  const load = async () => {
    const mine = ++generation;
    loaded = false;
    pending = [];
    problem.hidden = true;
    setText(status, 'Loading…');
    try {
      const page = await api.events(query(filter));
      if (mine !== generation) return;
      entries.clear();
      body.replaceChildren();
      addRows(page.entries, 'bottom');
      next = page.next;
      loaded = true;
      const arrived = pending;
      pending = undefined;
      for (const entry of arrived) receive(entry);
      refreshCounts();
    } catch (error) {
      if (mine !== generation) return;
      pending = undefined;
      setText(status, '');
      problem.textContent = `The events could not be loaded: ${error instanceof ApiError ? error.message : String(error)}`;
      problem.hidden = false;
    }
  };

  const loadOlder = async () => {
    if (next === null) return;
    const mine = generation;
    older.disabled = true;
    try {
      const page = await api.events(query(filter, next));
      if (mine !== generation) return;
      addRows(page.entries, 'bottom');
      next = page.next;
      refreshCounts();
    } catch (error) {
      problem.textContent = `Older events could not be loaded: ${error instanceof ApiError ? error.message : String(error)}`;
      problem.hidden = false;
    } finally {
      older.disabled = false;
    }
  };

  const receive = (entry: InspectorEntry) => {
    if (!entryMatches(entry, filter)) return;
    if (pending) {
      pending.push(entry);
      return;
    }
    if (!loaded || entries.has(entryKey(entry))) return;
    addRows([entry], 'top');
    trim();
    refreshCounts();
  };

  return {
    element,
    show: (chosen) => {
      forwardTargets.refresh();
      form.paint(chosen);
      downloads.paint(chosen);
      if ((loaded || pending) && sameFilter(filter, chosen)) return;
      filter = chosen;
      void load();
    },
    receive,
    invalidate: () => {
      loaded = false;
      if (!element.hidden) void load();
    },
    listHref: () => hrefFor.events(filter),
  };
}

function query(filter: EventFilter, before?: string): URLSearchParams {
  const params = filterToParams(filter);
  params.set('limit', String(PAGE_SIZE));
  if (before !== undefined) params.set('before', before);
  return params;
}

/** "Download" links for the current filter, one per format: GET /api/events/export, saved as a file. */
function exportLinks(): { element: HTMLElement; paint(filter: EventFilter): void } {
  const formats = [
    { format: 'jsonl', label: 'JSON Lines' },
    { format: 'csv', label: 'CSV' },
  ] as const;
  const links = formats.map(({ format, label }) =>
    h('a', { class: 'btn btn-sm btn-outline-secondary', attrs: { id: `events-export-${format}`, download: '', title: `Every entry of this filter as ${label} (at most 10 000)` }, text: label }),
  );
  const element = h(
    'div',
    { class: 'screen-tools events-export', attrs: { role: 'group', 'aria-labelledby': 'events-export-label' } },
    h('span', { class: 'small text-body-secondary', attrs: { id: 'events-export-label' }, text: 'Download' }),
    ...links,
  );
  return {
    element,
    paint: (filter) => {
      formats.forEach(({ format }, i) => {
        const params = filterToParams(filter);
        params.set('format', format);
        links[i]!.href = `api/events/export?${params.toString()}`;
      });
    },
  };
}

function isEmptyFilter(filter: EventFilter): boolean {
  return filterToParams(filter).toString() === '';
}

/** The filter bar: a choice applies at once (text and times when they change: Enter or leaving the field). */
function filterForm(apply: (filter: EventFilter) => void): { element: HTMLFormElement; paint(filter: EventFilter): void } {
  const field = (label: string, control: HTMLElement, id: string, wide = false) => {
    control.id = id;
    return h('div', { class: wide ? 'events-field events-search' : 'events-field' }, h('label', { class: 'form-label small mb-1', attrs: { for: id }, text: label }), control);
  };
  const source = h(
    'select',
    { class: 'form-select form-select-sm' },
    h('option', { attrs: { value: '' }, text: 'All sources' }),
    ...SOURCE_IDS.map((id) => h('option', { attrs: { value: id }, text: SOURCE_LABELS[id] })),
  );
  const outcome = h(
    'select',
    { class: 'form-select form-select-sm' },
    h('option', { attrs: { value: '' }, text: 'Any outcome' }),
    ...OUTCOMES.map((id) => h('option', { attrs: { value: id }, text: OUTCOME_LABELS[id] })),
  );
  const text = (placeholder: string) => h('input', { class: 'form-control form-control-sm', attrs: { type: 'text', placeholder, autocomplete: 'off', spellcheck: 'false' } });
  const search = h('input', { class: 'form-control form-control-sm', attrs: { type: 'search', placeholder: 'words in the payloads: a name, an id', autocomplete: 'off', spellcheck: 'false' } });
  const type = text('e.g. meetingStarted');
  const room = text('exact room id');
  const roomName = text('e.g. Daily Standup');
  const time = () => h('input', { class: 'form-control form-control-sm', attrs: { type: 'datetime-local' } });
  const from = time();
  const to = time();
  const submit = h('button', { class: 'btn btn-sm btn-primary', attrs: { type: 'submit' }, text: 'Apply' });
  const clear = h('button', { class: 'btn btn-sm btn-outline-secondary', attrs: { type: 'button' }, text: 'Clear' });

  const read = (): EventFilter => {
    const chosen: EventFilter = {};
    if (search.value.trim()) chosen.q = search.value.trim();
    if (source.value) chosen.source = source.value as EventFilter['source'];
    if (type.value.trim()) chosen.type = type.value.trim();
    if (room.value.trim()) chosen.room = room.value.trim();
    if (roomName.value.trim()) chosen.roomName = roomName.value.trim();
    if (outcome.value) chosen.outcome = outcome.value as EventFilter['outcome'];
    const start = fromLocalInput(from.value);
    const end = fromLocalInput(to.value, true);
    if (start !== undefined) chosen.from = start;
    if (end !== undefined) chosen.to = end;
    return chosen;
  };

  const element = h(
    'form',
    { class: 'events-filters', attrs: { 'aria-label': 'Filter events', id: 'events-filters' } },
    field('Search', search, 'events-q', true),
    field('Source', source, 'events-source'),
    field('Type', type, 'events-type'),
    field('Room', room, 'events-room'),
    field('Room name', roomName, 'events-room-name'),
    field('Outcome', outcome, 'events-outcome'),
    field('From', from, 'events-from'),
    field('To', to, 'events-to'),
    h('div', { class: 'events-field events-actions' }, submit, clear),
  );
  element.addEventListener('submit', (event) => {
    event.preventDefault();
    apply(read());
  });
  element.addEventListener('change', () => apply(read()));
  clear.addEventListener('click', () => apply({}));

  return {
    element,
    paint: (filter) => {
      source.value = filter.source ?? '';
      outcome.value = filter.outcome ?? '';
      type.value = filter.type ?? '';
      room.value = filter.room ?? '';
      roomName.value = filter.roomName ?? '';
      search.value = filter.q ?? '';
      from.value = toLocalInput(filter.from);
      to.value = toLocalInput(filter.to);
    },
  };
}
