// Says plainly when roomwatch cannot reach a platform's API, naming the platform and where it looked:
// what is shown of that platform then comes from webhooks only. One line per platform, in catalog order.
import type { ApiStatus } from '../../../server/domain/rows.js';
import { SOURCE_IDS, catalogEntry } from '../../../server/platforms/catalog.js';
import { h, replaceChildren } from '../dom.js';

export function apiBanner(): { element: HTMLElement; show(statuses: ReadonlyMap<string, ApiStatus>): void } {
  const element = h('div', { class: 'alert alert-warning meet-banner mb-3', attrs: { role: 'alert', id: 'meet-banner' }, hidden: true });
  return {
    element,
    show: (statuses) => {
      const lines = SOURCE_IDS.flatMap((id) => {
        const status = statuses.get(id);
        if (status?.state !== 'unreachable') return [];
        const text = `The ${catalogEntry(id).label} API at ${status.url} is not answering (${status.error || 'no answer'}); its rooms and recordings shown are from webhooks.`;
        return [h('p', { class: 'mb-0', data: { platform: id }, text })];
      });
      replaceChildren(element, ...lines);
      element.hidden = lines.length === 0;
    },
  };
}
