// The setup screen (#/setup): per platform, whether it is on and what turns it on, the webhook URL to
// give it with a copy button, what to set on its side, what it last delivered and had refused (with the
// hint and the clock skew), whether its REST API answers, and a warning when its rooms show meetings no
// webhook announced. Read from GET /api/setup when shown, and again when something it reports may have
// changed (a webhook or refusal arrives, an API's status moves) and on the shared ticker. Each platform's
// card is built once and repainted in place, so a reload never takes focus from its copy button.
import type { ApiStatus } from '../../../server/domain/rows.js';
import type { LastRefusal, LastWebhook, PlatformSetup, SetupReport } from '../../../server/setup/types.js';
import { ApiError, api } from '../api.js';
import { copyText } from '../clipboard.js';
import { h, replaceChildren, setText } from '../dom.js';
import { formatExactTime } from '../format.js';
import { formatAgo } from '../relative-time.js';
import { hrefFor } from '../router.js';
import { onTick } from '../ticker.js';

/** Several changes close together make one reload. */
const RELOAD_DELAY_MS = 300;

export interface SetupScreen {
  element: HTMLElement;
  enter(): void;
  leave(): void;
  /** Something the report shows may have changed: reload it if the screen is showing. */
  changed(): void;
  /** Reads the report for `onReport` alone (the screen need not show). */
  check(): void;
}

interface PlatformCard {
  element: HTMLElement;
  paint(setup: PlatformSetup, now: number): void;
}

/** `onReport` hears every report read, by this screen or by `check()`: the header marks silent platforms from it. */
export function setupScreen(onReport: (report: SetupReport) => void = () => {}): SetupScreen {
  let shown = false;
  let generation = 0;
  let timer: number | undefined;
  const cards = new Map<string, PlatformCard>();

  const base = h('p', { class: 'setup-base mb-2', attrs: { id: 'setup-base' } });
  const baseNote = h('div', { class: 'alert alert-info small py-2', attrs: { id: 'setup-base-note' }, hidden: true });
  const problem = h('div', { class: 'alert alert-danger', attrs: { role: 'alert' }, hidden: true });
  const enabledList = h('div', { class: 'setup-platforms', attrs: { id: 'setup-enabled' } });
  const offList = h('div', { class: 'setup-platforms' });
  const offCount = h('span');
  const off = h('details', { class: 'setup-off mt-3', hidden: true }, h('summary', { class: 'fw-semibold' }, offCount), offList);

  const element = h(
    'section',
    { class: 'screen', attrs: { id: 'setup-screen', 'aria-labelledby': 'setup-title' }, hidden: true },
    h('div', { class: 'screen-head' }, h('h1', { class: 'h4 mb-0', attrs: { id: 'setup-title' }, text: 'Setup' })),
    problem,
    base,
    baseNote,
    enabledList,
    off,
  );

  const load = async () => {
    const mine = ++generation;
    try {
      const report = await api.setup();
      onReport(report);
      if (mine !== generation || !shown) return;
      problem.hidden = true;
      paint(report);
    } catch (error) {
      if (mine !== generation) return;
      problem.textContent = `The setup report could not be read: ${error instanceof ApiError ? error.message : String(error)}`;
      problem.hidden = false;
    }
  };

  const paint = (report: SetupReport) => {
    const now = Date.now();
    replaceChildren(
      base,
      'Webhook URLs below start with ',
      h('code', { text: report.baseUrl }),
      report.baseFrom === 'PUBLIC_URL' ? ' (PUBLIC_URL).' : ' (the address this page was opened with; PUBLIC_URL sets another).',
    );
    baseNote.hidden = report.baseNote === null;
    setText(baseNote, report.baseNote ?? '');
    const offPlatforms = report.platforms.filter((platform) => !platform.enabled);
    for (const setup of report.platforms) {
      let card = cards.get(setup.id);
      if (!card) cards.set(setup.id, (card = platformCard(setup.id)));
      const list = setup.enabled ? enabledList : offList;
      if (card.element.parentElement !== list) list.append(card.element);
      card.paint(setup, now);
    }
    off.hidden = offPlatforms.length === 0;
    setText(offCount, `Not turned on: ${offPlatforms.map((platform) => platform.label).join(', ')}`);
  };

  onTick(() => {
    if (shown) void load();
  });

  return {
    element,
    enter: () => {
      shown = true;
      void load();
    },
    leave: () => {
      shown = false;
      window.clearTimeout(timer);
      timer = undefined;
    },
    check: () => {
      void api
        .setup()
        .then(onReport)
        .catch(() => {
          // The mark waits for the next check; the screen itself says what went wrong when opened.
        });
    },
    changed: () => {
      if (!shown || timer !== undefined) return;
      timer = window.setTimeout(() => {
        timer = undefined;
        void load();
      }, RELOAD_DELAY_MS);
    },
  };
}

function platformCard(id: string): PlatformCard {
  const title = h('h2', { class: 'h5 mb-0', attrs: { id: `setup-${id}-title` } });
  const state = h('span', { class: 'badge setup-state' });
  const enabledBy = h('p', { class: 'small text-body-secondary mb-2 setup-enabled-by' });
  const silence = h('div', { class: 'alert alert-warning py-2 mb-2 setup-silence', attrs: { role: 'alert' }, hidden: true });
  const url = h('code', { class: 'setup-webhook-url text-break', attrs: { id: `setup-${id}-url` } });
  const copyStatus = h('span', { class: 'small text-body-secondary setup-copy-status', attrs: { 'aria-live': 'polite' } });
  const copy = h('button', {
    class: 'btn btn-sm btn-outline-primary setup-copy',
    attrs: { type: 'button', 'aria-describedby': `setup-${id}-url` },
    text: 'Copy',
  });
  const others = h('p', { class: 'small text-body-secondary mb-0 setup-other-urls', hidden: true });
  const authentication = h('p', { class: 'small mb-2 setup-authentication' });
  const steps = h('ol', { class: 'setup-steps small mb-2' });
  const lastWebhook = h('dd', { class: 'setup-last-webhook' });
  const lastRefusal = h('dd', { class: 'setup-last-refusal' });
  const apiState = h('dd', { class: 'setup-api' });
  const meetings = h('dd', { class: 'setup-meetings' });

  let current = '';
  copy.addEventListener('click', () => {
    void copyText(current).then((copied) => {
      setText(copyStatus, copied ? 'Copied' : 'Could not copy: select the address and copy it by hand.');
      window.setTimeout(() => setText(copyStatus, ''), 2000);
    });
  });

  const element = h(
    'article',
    { class: 'card card-body setup-platform mb-3', data: { source: id }, attrs: { 'aria-labelledby': `setup-${id}-title` } },
    h('div', { class: 'd-flex flex-wrap align-items-center gap-2 mb-1' }, title, state),
    enabledBy,
    silence,
    h('div', { class: 'setup-url-line' }, h('span', { class: 'small fw-semibold', text: 'Webhook URL' }), url, copy, copyStatus),
    others,
    authentication,
    h('h3', { class: 'h6 mb-1', text: 'On the platform’s side' }),
    steps,
    h(
      'dl',
      { class: 'setup-facts small mb-0' },
      h('dt', { text: 'Last webhook' }),
      lastWebhook,
      h('dt', { text: 'Last refusal' }),
      lastRefusal,
      h('dt', { text: 'REST API' }),
      apiState,
      h('dt', { text: 'Meetings now' }),
      meetings,
    ),
  );

  return {
    element,
    paint: (setup, now) => {
      current = setup.webhookUrl;
      setText(title, setup.label);
      setText(state, setup.enabled ? 'on' : 'off');
      state.className = `badge setup-state ${setup.enabled ? 'text-bg-success' : 'text-bg-secondary'}`;
      setText(enabledBy, setup.enabledBy === null ? 'Always on.' : `${setup.enabled ? 'Turned on by' : 'Turn it on with'} ${setup.enabledBy}.`);
      silence.hidden = setup.silence === null;
      setText(silence, setup.silence ?? '');
      setText(url, setup.webhookUrl);
      others.hidden = setup.otherWebhookUrls.length === 0;
      setText(others, `Also accepted at ${setup.otherWebhookUrls.join(', ')}.`);
      setText(authentication, `Authenticated by ${setup.authentication}.`);
      if (steps.dataset.for !== setup.id) {
        steps.dataset.for = setup.id;
        replaceChildren(steps, ...setup.setupSteps.map((step) => h('li', { text: step })));
      }
      replaceChildren(lastWebhook, ...webhookText(setup.lastWebhook, setup.enabled, now));
      replaceChildren(lastRefusal, ...refusalText(setup.lastRefusal, now));
      setText(apiState, apiText(setup.api));
      setText(meetings, String(setup.meetingsNow));
    },
  };
}

function webhookText(last: LastWebhook | null, enabled: boolean, now: number): Node[] {
  if (!last) return [document.createTextNode(enabled ? 'none received yet' : '—')];
  return [
    h('a', { attrs: { href: hrefFor.event(last.seq) }, text: `#${last.seq} ${last.type}` }),
    document.createTextNode(' · '),
    h('time', { attrs: { datetime: new Date(last.at).toISOString(), title: formatExactTime(last.at) }, text: formatAgo(last.at, now) }),
  ];
}

function refusalText(last: LastRefusal | null, now: number): Node[] {
  if (!last) return [document.createTextNode('none')];
  return [
    h('span', { class: 'badge text-bg-danger setup-refusal-reason', text: last.reason }),
    document.createTextNode(' '),
    h('time', { attrs: { datetime: new Date(last.at).toISOString(), title: formatExactTime(last.at) }, text: formatAgo(last.at, now) }),
    last.detail ? h('span', { class: 'd-block text-body-secondary setup-refusal-detail', text: last.detail }) : document.createTextNode(''),
    last.hint ? h('span', { class: 'd-block setup-refusal-hint', text: last.hint }) : document.createTextNode(''),
    last.skewMs === null ? document.createTextNode('') : h('span', { class: 'd-block text-body-secondary setup-refusal-skew', text: skewText(last.skewMs) }),
  ];
}

/** The platform's send time against this host's receive time, in words. */
function skewText(skewMs: number): string {
  const seconds = Math.round(Math.abs(skewMs) / 1000);
  if (seconds === 0) return 'Clock skew: sent the same second it was received.';
  return `Clock skew: sent ${seconds} s ${skewMs > 0 ? 'before' : 'after'} it was received (the platform’s clock, or its delivery, ${skewMs > 0 ? 'behind' : 'ahead of'} this host’s).`;
}

function apiText(status: ApiStatus | null): string {
  if (!status) return 'not used: roomwatch follows this platform from its webhooks alone';
  switch (status.state) {
    case 'reachable':
      return `answers at ${status.url}`;
    case 'unreachable':
      return `not answering at ${status.url}: ${status.error ?? 'no answer'}`;
    default:
      return `not checked yet (${status.url})`;
  }
}
