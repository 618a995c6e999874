// "Refresh": asks roomwatch to re-read rooms and recordings from each platform's API now; the answers
// arrive as frames.
import { ApiError, api } from '../api.js';
import { h, icon, ICONS } from '../dom.js';
import { showToast } from './toast.js';

export function refreshButton(): HTMLButtonElement {
  const button = h(
    'button',
    { class: 'btn btn-sm btn-outline-secondary text-nowrap', attrs: { type: 'button', title: 'Read rooms and recordings from the platforms’ APIs again' } },
    icon(ICONS.refresh),
    h('span', { class: 'ms-1', text: 'Refresh' }),
  );
  button.addEventListener('click', () => {
    button.disabled = true;
    api
      .reconcile()
      .catch((error: unknown) =>
        showToast({ title: 'Refresh failed', body: error instanceof ApiError ? error.message : String(error), tone: 'danger' }),
      )
      .finally(() => window.setTimeout(() => (button.disabled = false), 800));
  });
  return button;
}
