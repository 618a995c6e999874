// A modal question built on <dialog> (no Bootstrap JS). Resolves with the chosen button's value, or
// null when dismissed. The body can be replaced while open, e.g. to show why an action was refused.
// Closing gives the focus back to what had it (the button that opened the dialog), or, when that is
// gone (the row was deleted), to the page's main content, so a keyboard user is not sent to the top.
import { h, replaceChildren, type Child } from '../dom.js';

export interface DialogButton<V> {
  label: string;
  value: V;
  /** Bootstrap button style, e.g. 'danger', 'outline-secondary'. */
  style?: string;
}

export interface DialogHandle<V> {
  /** Resolves once per open/update cycle: the chosen value, or null (Cancel, Escape, backdrop). */
  choice(): Promise<V | null>;
  /** Shows new text and buttons in the same dialog (keeps it open). */
  update(content: DialogContent<V>): void;
  /** Disables the buttons and shows `label` as progress. */
  busy(label: string): void;
  close(): void;
}

export interface DialogContent<V> {
  title: string;
  body: Child[];
  buttons: DialogButton<V>[];
}

export function openDialog<V>(content: DialogContent<V>): DialogHandle<V> {
  const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  const title = h('h2', { class: 'modal-title h5', attrs: { id: 'dialog-title' } });
  const body = h('div', { class: 'modal-body' });
  const footer = h('div', { class: 'modal-footer' });
  const dialog = h('dialog', { class: 'rw-dialog modal-content', attrs: { 'aria-labelledby': 'dialog-title' } }, h('div', { class: 'modal-header' }, title), body, footer);
  document.body.appendChild(dialog);

  let resolve: ((value: V | null) => void) | undefined;
  let chosen: HTMLButtonElement | undefined;
  let pending: Promise<V | null> = Promise.resolve(null);
  const arm = () => {
    pending = new Promise<V | null>((done) => (resolve = done));
  };
  const settle = (value: V | null) => {
    const done = resolve;
    resolve = undefined;
    done?.(value);
  };
  dialog.addEventListener('cancel', (event) => {
    event.preventDefault();
    settle(null);
    handle.close();
  });
  dialog.addEventListener('click', (event) => {
    if (event.target === dialog) {
      settle(null);
      handle.close();
    }
  });

  const render = ({ title: text, body: children, buttons }: DialogContent<V>) => {
    title.textContent = text;
    replaceChildren(body, ...children);
    footer.classList.toggle('stacked', buttons.length > 1);
    const cancel = h('button', { class: 'btn btn-outline-secondary dialog-cancel', attrs: { type: 'button' }, text: 'Cancel', on: { click: () => handle.close() } });
    replaceChildren(
      footer,
      cancel,
      ...buttons.map((button) => {
        const element = h('button', { class: `btn btn-${button.style ?? 'primary'}`, attrs: { type: 'button' }, text: button.label });
        element.addEventListener('click', () => {
          chosen = element;
          settle(button.value);
        });
        return element;
      }),
    );
    arm();
    // Enter must not destroy anything by accident: Cancel has the focus.
    cancel.focus();
  };

  const handle: DialogHandle<V> = {
    choice: () => pending,
    update: (next) => render(next),
    busy: (label) => {
      for (const button of footer.querySelectorAll('button')) button.disabled = true;
      if (chosen) chosen.textContent = label;
    },
    close: () => {
      settle(null);
      if (dialog.open) dialog.close();
      dialog.remove();
      if (opener?.isConnected && !opener.closest('[hidden]')) opener.focus();
      else document.querySelector<HTMLElement>('main')?.focus();
    },
  };
  render(content);
  dialog.showModal();
  footer.querySelector<HTMLButtonElement>('.dialog-cancel')?.focus();
  return handle;
}
