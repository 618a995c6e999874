// Says plainly when roomwatch cannot reach a platform's REST API, naming the platform and where it looked:
// that platform's rooms and recordings shown then come from its webhooks only. One alert per platform,
// `<platform>-banner` (Meet's is `meet-banner`), made when its status first arrives.
import type { ApiStatus, SourceId } from '../../../server/domain/rows.js';
import { h, setText } from '../dom.js';
import { platform } from '../platforms.js';

export function apiBanners(): { element: HTMLElement; show(id: string, status: ApiStatus): void } {
  const element = h('div', { class: 'api-banners' });
  const banners = new Map<string, { alert: HTMLElement; text: HTMLElement }>();
  return {
    element,
    show: (id, status) => {
      let banner = banners.get(id);
      if (!banner) {
        const text = h('span');
        const alert = h('div', { class: 'alert alert-warning api-banner mb-3', attrs: { role: 'alert', id: `${id}-banner` }, hidden: true }, text);
        banner = { alert, text };
        banners.set(id, banner);
        element.append(alert);
      }
      banner.alert.hidden = status.state !== 'unreachable';
      if (status.state === 'unreachable') {
        const { name } = platform(id as SourceId);
        // The error may itself say "<platform> at <url> is not answering: why": the sentence says that already.
        const why = status.error?.replace(/^.*? is not answering: /, '') || 'no answer';
        setText(banner.text, `The ${name} API at ${status.url} is not answering (${why}); its rooms and recordings shown are from webhooks.`);
      }
    },
  };
}
