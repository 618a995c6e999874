// Says plainly when roomwatch cannot reach a platform's API, naming the platform and where it looked:
// what is shown of that platform then comes from its webhooks only.
import type { ApiStatus, SourceId } from '../../../server/domain/rows.js';
import { h, replaceChildren } from '../dom.js';
import { platform } from '../platforms.js';

export function apiBanner(): { element: HTMLElement; show(apis: ReadonlyMap<SourceId, ApiStatus>): void } {
  const element = h('div', { class: 'alert alert-warning api-banner mb-3', attrs: { role: 'alert', id: 'api-banner' }, hidden: true });
  return {
    element,
    show: (apis) => {
      const down = [...apis].filter(([, status]) => status.state === 'unreachable');
      element.hidden = down.length === 0;
      replaceChildren(
        element,
        ...down.map(([source, status]) =>
          h('p', {
            class: 'mb-0',
            data: { source },
            text: `The ${platform(source).name} API at ${status.url} is not answering (${status.error || 'no answer'}); its rooms and recordings shown are from webhooks.`,
          }),
        ),
      );
    },
  };
}
