// One row of the event inspector's table: time, sequence number, source, type, room and the outcome
// badge (accepted / repeat ×N / refused: reason / replay of #n). A refusal unfolds its detail in place.
import type { InspectorEntry, RefusalEntry } from '../../../server/inspector/types.js';
import { h } from '../dom.js';
import { formatEventTime } from '../inspector-format.js';
import { hrefFor } from '../router.js';

/** Listing entries are unique by table and id: the event log's seq, or the refusal log's id. */
export const entryKey = (entry: InspectorEntry): string => (entry.kind === 'refusal' ? `r:${entry.id}` : `w:${entry.seq}`);

/** The stored webhook a row opens: itself, or the one a replay re-ran; none for a refusal. */
export const detailSeq = (entry: InspectorEntry): number | undefined =>
  entry.kind === 'event' ? entry.seq : entry.kind === 'replay' ? entry.replayOf : undefined;

export function createEventRow(entry: InspectorEntry): HTMLTableRowElement {
  const seq = detailSeq(entry);
  const number =
    entry.kind === 'refusal'
      ? h('span', { class: 'text-body-secondary', text: '—' })
      : h('a', { class: 'event-link', attrs: { href: hrefFor.event(seq!), title: entry.kind === 'replay' ? `Open #${seq}, the replayed webhook` : undefined }, text: `#${entry.seq}` });
  const row = h(
    'tr',
    { class: `event-row${seq === undefined ? '' : ' opens-detail'}`, data: { key: entryKey(entry), kind: entry.kind, outcome: entry.outcome } },
    // data-label names a cell where the phone layout shows each row as a card (styles.css).
    h('td', { class: 'event-time', data: { label: 'Received' }, text: formatEventTime(entry.at) }),
    h('td', { class: 'event-seq' }, number),
    h('td', { class: 'event-source' }, h('span', { class: 'source-tag', text: entry.source })),
    h('td', { class: 'event-type', data: { label: 'Type' }, text: entry.kind === 'refusal' ? '—' : entry.type }),
    h('td', { class: 'event-room', data: { label: 'Room' }, text: entry.kind === 'refusal' ? '—' : (entry.roomId ?? '—') }),
    h('td', { class: 'event-outcome' }, outcomeCell(entry)),
  );
  if (seq !== undefined) row.dataset.seq = String(seq);
  return row;
}

function outcomeCell(entry: InspectorEntry): Node {
  switch (entry.kind) {
    case 'event':
      return entry.outcome === 'repeat'
        ? badge('bg-secondary', `repeat ×${entry.repeats}`, `The same delivery came ${entry.repeats} more time${entry.repeats === 1 ? '' : 's'}; stored once`)
        : badge('bg-success', 'accepted');
    case 'replay':
      return badge('bg-info text-dark', `replay of #${entry.replayOf}`, 'Run through the projection again from the event inspector');
    case 'refusal':
      return refusalDetails(entry);
  }
}

function badge(tone: string, text: string, title?: string): HTMLElement {
  return h('span', { class: `badge outcome-badge ${tone}`, attrs: { title }, text });
}

/** The reason on the badge and what to check under it; unfolded, what was kept of the request (never its body). */
function refusalDetails(entry: RefusalEntry): HTMLElement {
  const headers = Object.entries(entry.headers);
  // Entries from before hints existed (or from an older server) have none.
  const hint = entry.hint ?? null;
  const timestamp = entry.timestamp ?? null;
  const skewMs = entry.skewMs ?? null;
  return h(
    'details',
    { class: 'refusal-details' },
    h(
      'summary',
      {},
      badge('bg-danger', `refused: ${entry.reason}`),
      h('span', { class: 'refusal-toggle', attrs: { 'aria-hidden': 'true' } }),
      hint ? h('span', { class: 'refusal-hint', text: hint }) : null,
    ),
    h(
      'dl',
      { class: 'refusal-facts' },
      entry.detail ? h('dt', { text: 'Detail' }) : null,
      entry.detail ? h('dd', { text: entry.detail }) : null,
      timestamp !== null ? h('dt', { text: 'Sent (platform clock)' }) : null,
      timestamp !== null ? h('dd', { text: skewMs === null ? formatEventTime(timestamp) : `${formatEventTime(timestamp)}, ${skewText(skewMs)}` }) : null,
      h('dt', { text: 'From' }),
      h('dd', { text: entry.ip ?? 'unknown' }),
      h('dt', { text: 'Headers' }),
      h('dd', {}, headers.length === 0 ? 'none' : h('ul', { class: 'refusal-headers' }, ...headers.map(([name, value]) => h('li', {}, h('code', { text: name }), `: ${value}`)))),
    ),
    h('p', { class: 'refusal-note', text: 'A refused body is not kept.' }),
  );
}

/** How far the platform's clock (or its delivery) was from this host's, in words. */
function skewText(skewMs: number): string {
  const seconds = Math.round(Math.abs(skewMs) / 1000);
  return seconds === 0 ? 'same second as received' : `${seconds} s ${skewMs > 0 ? 'before' : 'after'} it was received`;
}
