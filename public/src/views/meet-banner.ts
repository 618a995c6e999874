// Says plainly when roomwatch cannot reach the Meet API: what is shown then comes from webhooks only.
import { h, setText } from '../dom.js';
import type { MeetStatus } from '../state.js';

export function meetBanner(): { element: HTMLElement; show(status: MeetStatus): void } {
  const text = h('span');
  const element = h('div', { class: 'alert alert-warning meet-banner mb-3', attrs: { role: 'alert', id: 'meet-banner' }, hidden: true }, text);
  return {
    element,
    show: (status) => {
      element.hidden = status.state !== 'unreachable';
      if (status.state === 'unreachable') {
        setText(
          text,
          `The OpenVidu Meet API at ${status.url} is not answering (${status.error || 'no answer'}); rooms and recordings shown are from webhooks.`,
        );
      }
    },
  };
}
