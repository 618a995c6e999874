// The inspector's list of forwarding targets (FORWARD_TO): each one's state, backlog and last success,
// and "Resume" for a target stopped by a 410 Gone (it stays stopped across restarts until resumed).
// Hidden when nothing is forwarded. Drawn from GET /api/forwarding when the inspector opens, and again at
// each `forwarding` frame (a target starting or stopping to fail, being stopped or resumed).
import type { ForwardingStatus, TargetStatus } from '../../../server/forward/api-types.js';
import { ApiError, api } from '../api.js';
import { h, setText } from '../dom.js';
import { formatEventTime } from '../inspector-format.js';

export interface ForwardTargetsSection {
  element: HTMLElement;
  /** Draws the targets as given (a frame, or the overview). */
  paint(status: ForwardingStatus): void;
  /** Reads the targets again (the backlog moves without frames). */
  refresh(): void;
}

const STATE_WORDS: Record<TargetStatus['state'], string> = {
  idle: 'Up to date',
  delivering: 'Delivering',
  failing: 'Failing',
  stopped: 'Stopped',
  standby: 'Delivered by another instance',
};

export function forwardTargetsSection(): ForwardTargetsSection {
  const body = h('tbody');
  const status = h('p', { class: 'small mb-0', attrs: { 'aria-live': 'polite', id: 'forward-targets-status' } });
  const element = h(
    'section',
    { class: 'forward-targets mb-3', attrs: { id: 'forward-targets', 'aria-labelledby': 'forward-targets-title' }, hidden: true },
    h('h2', { class: 'h6', attrs: { id: 'forward-targets-title' }, text: 'Forwarding targets' }),
    h(
      'div',
      { class: 'table-responsive' },
      h(
        'table',
        { class: 'table table-sm align-middle mb-1 forward-targets-table' },
        h('thead', {}, h('tr', {}, ...['Target', 'State', 'Backlog', 'Last success', ''].map((label) => h('th', { attrs: { scope: 'col' }, text: label })))),
        body,
      ),
    ),
    status,
  );

  const resume = async (target: TargetStatus) => {
    setText(status, `Resuming ${target.label}…`);
    status.className = 'small mb-0 text-body-secondary';
    try {
      await api.resumeTarget(target.index);
      setText(status, `Resumed ${target.label}: what it refused is sent again, then the rest in order.`);
      status.className = 'small mb-0 text-success-emphasis';
    } catch (error) {
      setText(status, `Not resumed: ${error instanceof ApiError ? error.message : String(error)}`);
      status.className = 'small mb-0 text-danger-emphasis';
    }
    refresh();
  };

  function row(target: TargetStatus): HTMLElement {
    const button =
      target.state === 'stopped'
        ? h('button', { class: 'btn btn-sm btn-outline-primary', attrs: { type: 'button', 'aria-label': `Resume ${target.label}` }, text: 'Resume' })
        : null;
    button?.addEventListener('click', () => void resume(target));
    const why = target.state === 'stopped' || target.state === 'failing' ? target.lastError : null;
    return h(
      'tr',
      { data: { state: target.state, index: String(target.index) } },
      h('td', {}, h('code', { class: 'text-break', text: target.label })),
      h('td', { class: 'forward-target-state' }, STATE_WORDS[target.state], why ? h('div', { class: 'small text-body-secondary', text: why }) : null),
      h('td', { text: String(target.backlog) }),
      h('td', { text: target.lastSuccessAt === null ? 'never' : formatEventTime(target.lastSuccessAt) }),
      h('td', {}, button),
    );
  }

  const paint = (overview: ForwardingStatus) => {
    element.hidden = overview.targets.length === 0;
    body.replaceChildren(...overview.targets.map(row));
  };

  function refresh(): void {
    api.forwarding().then(
      (overview) => paint(overview),
      () => undefined, // The list stays as it was; the next frame or visit draws it again.
    );
  }

  return { element, paint, refresh };
}
