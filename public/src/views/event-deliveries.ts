// A stored webhook's deliveries to the apps in FORWARD_TO, on its detail screen: per target, delivered
// (status and latency), pending (attempts and next try), failed (the last error), or why it is not sent;
// "Redeliver" sends it again. While a delivery is pending the section reads again every few seconds.
import type { DeliveryView } from '../../../server/forward/api-types.js';
import { ApiError, api } from '../api.js';
import { h, setText } from '../dom.js';
import { formatEventTime } from '../inspector-format.js';

const REFRESH_MS = 2000;

export interface EventDeliveriesSection {
  element: HTMLElement;
  /** Shows one webhook's deliveries (hidden when nothing is forwarded); stops any earlier refresh. */
  show(seq: number): void;
  leave(): void;
}

export function eventDeliveriesSection(): EventDeliveriesSection {
  let generation = 0;
  let timer: number | undefined;
  const status = h('span', { class: 'small', attrs: { 'aria-live': 'polite', id: 'redeliver-status' } });
  const body = h('tbody');
  const redeliverAll = h('button', { class: 'btn btn-sm btn-outline-secondary', attrs: { type: 'button', id: 'redeliver-all' }, text: 'Redeliver to all' });
  const element = h(
    'section',
    { class: 'event-section', attrs: { id: 'event-deliveries', 'aria-labelledby': 'event-deliveries-title' }, hidden: true },
    h('h2', { class: 'h6', attrs: { id: 'event-deliveries-title' }, text: 'Forwarding' }),
    h(
      'table',
      { class: 'table table-sm deliveries-table mb-2' },
      h('thead', {}, h('tr', {}, h('th', { attrs: { scope: 'col' }, text: 'Target' }), h('th', { attrs: { scope: 'col' }, text: 'Delivery' }), h('th', { attrs: { scope: 'col' }, text: '' }))),
      body,
    ),
    h('div', { class: 'event-buttons' }, redeliverAll, status),
  );

  let currentSeq = 0;
  const load = async (mine: number) => {
    window.clearTimeout(timer);
    let deliveries: DeliveryView[];
    try {
      ({ deliveries } = await api.deliveries(currentSeq));
    } catch {
      // No forwarding state to show (an old webhook pruned meanwhile, roomwatch unreachable): keep what is shown.
      return;
    }
    if (mine !== generation) return;
    element.hidden = deliveries.length === 0;
    body.replaceChildren(...deliveries.map((delivery) => row(delivery)));
    if (deliveries.some((delivery) => delivery.state === 'pending')) timer = window.setTimeout(() => void load(mine), REFRESH_MS);
  };

  const redeliver = async (target?: number) => {
    const mine = generation;
    setText(status, 'Queuing…');
    status.className = 'small text-body-secondary';
    try {
      const { queued } = await api.redeliver(currentSeq, target);
      if (mine !== generation) return;
      setText(status, `Queued for target ${queued.join(', ')}.`);
      status.className = 'small text-success-emphasis';
      void load(mine);
    } catch (error) {
      if (mine !== generation) return;
      setText(status, `Not queued: ${error instanceof ApiError ? error.message : String(error)}`);
      status.className = 'small text-danger-emphasis';
    }
  };
  redeliverAll.addEventListener('click', () => void redeliver());

  function row(delivery: DeliveryView): HTMLElement {
    const button = h('button', { class: 'btn btn-sm btn-link p-0', attrs: { type: 'button', 'aria-label': `Redeliver to ${delivery.label}` }, text: 'Redeliver' });
    button.addEventListener('click', () => void redeliver(delivery.index));
    const sendable = delivery.state === 'delivered' || delivery.state === 'failed';
    return h(
      'tr',
      { data: { state: delivery.state } },
      h('td', {}, h('code', { class: 'text-break', text: delivery.label })),
      h('td', { class: `delivery-state delivery-${delivery.state}`, text: describe(delivery) }),
      h('td', {}, sendable ? button : null),
    );
  }

  return {
    element,
    show: (seq) => {
      currentSeq = seq;
      element.hidden = true;
      body.replaceChildren();
      setText(status, '');
      void load(++generation);
    },
    leave: () => {
      generation++;
      window.clearTimeout(timer);
    },
  };
}

/** A delivery in words. */
export function describe(delivery: DeliveryView): string {
  const again = delivery.redelivery ? ' (redelivered)' : '';
  switch (delivery.state) {
    case 'delivered':
      return delivery.lastStatus === null
        ? `Delivered${again}`
        : `Delivered${again}: ${delivery.lastStatus} in ${delivery.lastLatencyMs ?? '?'} ms, ${formatEventTime(delivery.lastAt)}${delivery.attempts > 1 ? `, after ${delivery.attempts} attempts` : ''}`;
    case 'pending':
      return delivery.attempts === 0
        ? `Pending${again}: waiting its turn`
        : `Pending${again}: ${delivery.attempts} attempt${delivery.attempts === 1 ? '' : 's'}, next try ${formatEventTime(delivery.nextTryAt)}; last: ${delivery.lastError ?? 'no answer'}`;
    case 'failed':
      return `Failed${again}: ${delivery.lastError ?? 'given up'}`;
    case 'not-wanted':
      return 'Not forwarded: not among its sources and events';
    case 'before-target':
      return 'Not forwarded: stored before this target was configured';
  }
}
