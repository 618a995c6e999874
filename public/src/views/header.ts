// The top bar: name, the screens, whether the stream is live, and Sign out when a password is set.
import { h, setText } from '../dom.js';
import type { LiveState } from '../live.js';
import { hrefFor, type Route } from '../router.js';

export interface Header {
  element: HTMLElement;
  setLive(state: LiveState): void;
  setRoute(route: Route): void;
  setAuthRequired(required: boolean): void;
}

const LIVE_TEXT: Record<LiveState, string> = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…' };

export function header(): Header {
  const live = h('span', { class: 'live-indicator', attrs: { role: 'status', id: 'live-indicator' }, data: { state: 'connecting' } }, h('span', { class: 'live-dot', attrs: { 'aria-hidden': 'true' } }), h('span', { class: 'live-text', text: LIVE_TEXT.connecting }));
  const liveText = live.querySelector('.live-text')!;
  const links = {
    rooms: h('a', { class: 'nav-link', attrs: { href: hrefFor.rooms() }, text: 'Rooms' }),
    recordings: h('a', { class: 'nav-link', attrs: { href: hrefFor.recordings() }, text: 'Recordings' }),
    events: h('a', { class: 'nav-link', attrs: { href: hrefFor.events() }, text: 'Events' }),
    usage: h('a', { class: 'nav-link', attrs: { href: hrefFor.usage() }, text: 'Usage' }),
  };
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
      h('nav', { class: 'nav header-nav', attrs: { 'aria-label': 'Screens' } }, links.rooms, links.recordings, links.events, links.usage),
      h('div', { class: 'header-end' }, live, signOut),
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
            : route.screen === 'rooms' || route.screen === 'usage'
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
  };
}
