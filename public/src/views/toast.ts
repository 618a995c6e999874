// Short notices in the corner (Bootstrap's toast styles, no Bootstrap JS): they close by themselves.
import { h } from '../dom.js';

export type ToastTone = 'success' | 'info' | 'warning' | 'danger';

export interface ToastOptions {
  title: string;
  body?: string;
  tone?: ToastTone;
  /** An in-page link (a hash route), e.g. to the recordings of a room. */
  link?: { label: string; hash: string };
  /** ms; 0 keeps it until closed. */
  duration?: number;
}

let container: HTMLElement | undefined;

export function mountToasts(parent: HTMLElement): void {
  container = h('div', { class: 'toast-container position-fixed bottom-0 end-0 p-3', attrs: { 'aria-live': 'polite', 'aria-atomic': 'false' } });
  parent.appendChild(container);
}

export function showToast({ title, body, tone = 'info', link, duration = 6000 }: ToastOptions): HTMLElement {
  const close = h('button', { class: 'btn-close', attrs: { type: 'button', 'aria-label': 'Close' } });
  const toast = h(
    'div',
    { class: `toast show border-${tone}`, attrs: { role: tone === 'danger' ? 'alert' : 'status' }, data: { tone } },
    h('div', { class: 'toast-header' }, h('span', { class: `toast-dot bg-${tone}`, attrs: { 'aria-hidden': 'true' } }), h('strong', { class: 'me-auto', text: title }), close),
    body || link
      ? h(
          'div',
          { class: 'toast-body' },
          body ? h('div', { text: body }) : null,
          link ? h('a', { class: 'toast-link', attrs: { href: link.hash }, text: link.label }) : null,
        )
      : null,
  );
  const dismiss = () => toast.remove();
  close.addEventListener('click', dismiss);
  if (link) toast.querySelector('a')?.addEventListener('click', dismiss);
  if (duration > 0) window.setTimeout(dismiss, duration);
  container?.appendChild(toast);
  return toast;
}
