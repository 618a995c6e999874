// "Skip to content": the first thing a keyboard reaches, shown only when focused. It moves the focus
// itself: a #fragment link would be read as a screen's route.
import { h } from '../dom.js';

export function skipLink(target: HTMLElement): HTMLAnchorElement {
  const link = h('a', { class: 'skip-link', attrs: { href: '#main' }, text: 'Skip to content' });
  link.addEventListener('click', (event) => {
    event.preventDefault();
    target.focus();
  });
  return link;
}
