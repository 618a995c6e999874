// One stored webhook in detail: what roomwatch kept of its request (headers, with secrets masked by the
// adapters), its body pretty-printed as text, "Copy as curl" (signed now) and "Replay" (through the
// projection again, streamed as a `replay` frame).
import type { EventDetail } from '../../../server/inspector/types.js';
import { ApiError, api } from '../api.js';
import { copyText } from '../clipboard.js';
import { h, icon, ICONS, setText } from '../dom.js';
import { formatEventTime } from '../inspector-format.js';
import { prettyJson } from '../json-pretty.js';
import { eventDeliveriesSection } from './event-deliveries.js';

export interface EventDetailScreen {
  element: HTMLElement;
  enter(seq: number): void;
  leave(): void;
}

export function eventDetailScreen(listHref: () => string): EventDetailScreen {
  let generation = 0;
  const back = h('a', { class: 'back-link', attrs: { href: '#/events' } }, icon(ICONS.back), h('span', { text: 'Back to events' }));
  const title = h('h1', { class: 'h4 mb-0 text-break', attrs: { id: 'event-title' } });
  const problem = h('div', { class: 'alert alert-danger', attrs: { role: 'alert' }, hidden: true });
  const content = h('div', { class: 'event-detail', attrs: { id: 'event-detail' } });
  const deliveries = eventDeliveriesSection();

  const element = h(
    'section',
    { class: 'screen', attrs: { id: 'event-screen', 'aria-labelledby': 'event-title' }, hidden: true },
    back,
    h('div', { class: 'screen-head' }, title),
    problem,
    content,
  );

  const enter = async (seq: number) => {
    const mine = ++generation;
    back.setAttribute('href', listHref());
    setText(title, `Event #${seq}`);
    problem.hidden = true;
    content.replaceChildren(h('p', { class: 'text-body-secondary', text: 'Loading…' }));
    try {
      const detail = await api.event(seq);
      if (mine !== generation) return;
      setText(title, `#${detail.seq} ${detail.type}`);
      content.replaceChildren(...render(detail, deliveries.element));
      deliveries.show(detail.seq);
    } catch (error) {
      if (mine !== generation) return;
      content.replaceChildren();
      problem.textContent = error instanceof ApiError ? error.message : String(error);
      problem.hidden = false;
    }
  };

  return {
    element,
    enter: (seq) => void enter(seq),
    leave: () => {
      generation++;
      deliveries.leave();
    },
  };
}

function render(detail: EventDetail, deliveries: HTMLElement): Node[] {
  const facts = h(
    'dl',
    { class: 'event-facts' },
    ...fact('Source', h('span', { class: 'source-tag', text: detail.source })),
    ...fact('Type', detail.type),
    ...fact('Room', detail.roomId ?? '—'),
    ...fact('Sent (platform clock)', formatEventTime(detail.createdAt)),
    ...fact('Received', formatEventTime(detail.receivedAt)),
    ...fact(
      'Repeats',
      detail.repeats === 0 ? 'none' : `${detail.repeats}, last ${formatEventTime(detail.lastRepeatAt)} (acknowledged, not stored again)`,
    ),
  );

  return [facts, actions(detail), deliveries, headersTable(detail.headers), bodyBlock(detail)];
}

function fact(label: string, value: string | Node): Node[] {
  return [h('dt', { text: label }), h('dd', {}, value)];
}

function actions(detail: EventDetail): HTMLElement {
  const copyStatus = h('span', { class: 'small text-body-secondary', attrs: { 'aria-live': 'polite', id: 'curl-status' } });
  const replayStatus = h('span', { class: 'small', attrs: { 'aria-live': 'polite', id: 'replay-status' } });
  const copy = h('button', { class: 'btn btn-sm btn-outline-primary', attrs: { type: 'button', id: 'copy-curl' }, text: 'Copy as curl' });
  const replay = h('button', { class: 'btn btn-sm btn-outline-secondary', attrs: { type: 'button', id: 'replay-event' }, text: 'Replay' });
  copy.disabled = detail.curl === null;

  copy.addEventListener('click', async () => {
    if (detail.curl === null) return;
    const copied = await copyText(detail.curl);
    setText(copyStatus, copied ? 'Copied.' : 'Could not copy: select the command below.');
  });
  replay.addEventListener('click', async () => {
    replay.disabled = true;
    setText(replayStatus, 'Replaying…');
    replayStatus.className = 'small text-body-secondary';
    try {
      const result = await api.replay(detail.seq);
      setText(replayStatus, `Replayed as #${result.replayedAs}: ${result.changes === 0 ? 'no row changed' : `${result.changes} row${result.changes === 1 ? '' : 's'} changed`}.`);
      replayStatus.className = 'small text-success-emphasis';
    } catch (error) {
      setText(replayStatus, `Not replayed: ${error instanceof ApiError ? error.message : String(error)}`);
      replayStatus.className = 'small text-danger-emphasis';
    } finally {
      replay.disabled = false;
    }
  });

  const notes = detail.curlNotes.map((note) => h('li', { text: note }));
  return h(
    'div',
    { class: 'event-actions card card-body' },
    h('div', { class: 'event-buttons' }, copy, copyStatus),
    notes.length > 0 ? h('ul', { class: 'curl-notes small text-body-secondary', attrs: { id: 'curl-notes' } }, ...notes) : null,
    detail.curl === null
      ? null
      : h('details', { class: 'curl-command' }, h('summary', { class: 'small', text: 'Show the command' }), h('pre', { class: 'code-block', attrs: { id: 'curl-text', tabindex: '0', 'aria-label': 'The curl command' }, text: detail.curl })),
    h(
      'div',
      { class: 'event-buttons mt-2' },
      replay,
      replayStatus,
    ),
    h('p', {
      class: 'small text-body-secondary mb-0',
      text: 'Replay runs this webhook through the projection again (a newer state is never moved back) and streams it as a replay, not as a new webhook.',
    }),
  );
}

function headersTable(headers: Record<string, string>): HTMLElement {
  const rows = Object.entries(headers).map(([name, value]) =>
    h('tr', {}, h('th', { attrs: { scope: 'row' } }, h('code', { text: name })), h('td', { class: value === '[masked]' ? 'text-body-secondary' : '', text: value })),
  );
  return h(
    'section',
    { class: 'event-section' },
    h('h2', { class: 'h6', text: 'Headers' }),
    rows.length === 0
      ? h('p', { class: 'small text-body-secondary', text: 'No headers were kept.' })
      : h('table', { class: 'table table-sm headers-table mb-0', attrs: { id: 'event-headers' } }, h('tbody', {}, ...rows)),
    h('p', { class: 'small text-body-secondary mt-1 mb-0', text: 'Only headers worth keeping are stored; credentials and signatures never are ([masked]).' }),
  );
}

function bodyBlock(detail: EventDetail): HTMLElement {
  return h(
    'section',
    { class: 'event-section' },
    h('h2', { class: 'h6', text: detail.bodyIsJson ? 'Body (JSON, indented for reading)' : 'Body (not JSON, as received)' }),
    // Focusable, so that a keyboard can scroll a long body.
    h('pre', { class: 'code-block event-body', attrs: { id: 'event-body', tabindex: '0', 'aria-label': 'Body' }, text: detail.bodyIsJson ? prettyJson(detail.body) : detail.body }),
  );
}
