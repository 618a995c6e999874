// The top bar: name, the screens, whether the stream is live, and Sign out when a password is set.
import { h, setText } from '../dom.js';
import type { LiveState } from '../live.js';
import { hrefFor, type Route } from '../router.js';
import type { ForwardingStatus } from '../../../server/forward/api-types.js';

export interface Header {
  element: HTMLElement;
  setLive(state: LiveState): void;
  setRoute(route: Route): void;
  setAuthRequired(required: boolean): void;
  /** How many platforms the Setup screen warns about (silent while their rooms show meetings); 0 hides the mark. */
  setSetupWarnings(count: number): void;
  /** Shows a warning while a forwarding target fails (or was stopped by a 410), and hides it after. */
  setForwarding(status: ForwardingStatus): void;
}

const LIVE_TEXT: Record<LiveState, string> = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…' };

export function header(): Header {
  const live = h('span', { class: 'live-indicator', attrs: { role: 'status', id: 'live-indicator' }, data: { state: 'connecting' } }, h('span', { class: 'live-dot', attrs: { 'aria-hidden': 'true' } }), h('span', { class: 'live-text', text: LIVE_TEXT.connecting }));
  const liveText = live.querySelector('.live-text')!;
  const links = {
    rooms: h('a', { class: 'nav-link', attrs: { href: hrefFor.rooms() }, text: 'Rooms' }),
    recordings: h('a', { class: 'nav-link', attrs: { href: hrefFor.recordings() }, text: 'Recordings' }),
    events: h('a', { class: 'nav-link', attrs: { href: hrefFor.events() }, text: 'Events' }),
    setup: h('a', { class: 'nav-link', attrs: { href: hrefFor.setup(), id: 'nav-setup' }, text: 'Setup' }),
    usage: h('a', { class: 'nav-link', attrs: { href: hrefFor.usage() }, text: 'Usage' }),
  };
  // A mark on Setup, seen from every screen, while a platform seems not to be delivering its webhooks.
  const setupWarning = h('span', { class: 'badge text-bg-warning ms-1 setup-warning', attrs: { id: 'setup-warning' }, hidden: true });
  links.setup.append(setupWarning);
  const forwardWarning = h('span', { class: 'badge text-bg-warning forward-warning', attrs: { id: 'forward-warning', role: 'status' }, hidden: true });
  // A plain form: the server clears the cookie and redirects to the login page.
  const signOut = h(
    'form',
    { class: 'm-0', attrs: { method: 'post', action: 'logout' }, hidden: true },
    h('button', { class: 'btn btn-sm btn-outline-light', attrs: { type: 'submit' }, text: 'Sign out' }),
  );

  const element = h(
    'header',
    { class: 'navbar navbar-dark bg-dark app-header' },
    h(
      'div',
      { class: 'container-xl header-inner' },
      h('a', { class: 'navbar-brand fw-semibold', attrs: { href: hrefFor.rooms() }, text: 'roomwatch' }),
      h('nav', { class: 'nav header-nav', attrs: { 'aria-label': 'Screens' } }, links.rooms, links.recordings, links.events, links.usage, links.setup),
      h('div', { class: 'header-end' }, forwardWarning, live, signOut),
    ),
  );

  return {
    element,
    setLive: (state) => {
      live.dataset.state = state;
      setText(liveText, LIVE_TEXT[state]);
    },
    setRoute: (route) => {
      const current =
        route.screen === 'recordings' || route.screen === 'play'
          ? 'recordings'
          : route.screen === 'events' || route.screen === 'event'
            ? 'events'
            : route.screen === 'rooms' || route.screen === 'room'
              ? 'rooms'
              : route.screen === 'setup' || route.screen === 'usage'
                ? route.screen
                : undefined;
      for (const [name, link] of Object.entries(links)) {
        link.classList.toggle('active', name === current);
        if (name === current) link.setAttribute('aria-current', 'page');
        else link.removeAttribute('aria-current');
      }
    },
    setAuthRequired: (required) => {
      signOut.hidden = !required;
    },
    setSetupWarnings: (count) => {
      setupWarning.hidden = count === 0;
      setText(setupWarning, count === 0 ? '' : `${count} silent`);
      if (count === 0) links.setup.removeAttribute('title');
      else links.setup.title = `${count === 1 ? 'A platform is' : `${count} platforms are`} silent while ${count === 1 ? 'its' : 'their'} rooms show meetings: see Setup`;
    },
    setForwarding: (status) => {
      const troubled = status.targets.filter((target) => target.state === 'failing' || target.state === 'stopped');
      forwardWarning.hidden = troubled.length === 0;
      if (troubled.length === 0) return;
      const only = troubled.length === 1 ? troubled[0]! : undefined;
      setText(
        forwardWarning,
        only
          ? `Forwarding to ${only.label} ${only.state === 'stopped' ? 'stopped' : 'failing'}: ${only.lastError ?? 'no answer'}`
          : `Forwarding failing to ${troubled.length} of ${status.targets.length} targets`,
      );
    },
  };
}
