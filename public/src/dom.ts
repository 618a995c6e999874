// A tiny DOM builder: elements from tag, attributes and children. Text is always text (textContent /
// text nodes), never parsed as HTML, so names and ids from webhooks cannot inject markup.

export type Child = Node | string | null | undefined | false;

export interface Props {
  class?: string;
  /** Attributes set with setAttribute (values are strings, never HTML). */
  attrs?: Record<string, string | undefined>;
  /** data-* attributes. */
  data?: Record<string, string>;
  text?: string;
  hidden?: boolean;
  on?: Partial<{ [K in keyof HTMLElementEventMap]: (event: HTMLElementEventMap[K]) => void }>;
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (props.class) element.className = props.class;
  if (props.attrs) for (const [name, value] of Object.entries(props.attrs)) if (value !== undefined) element.setAttribute(name, value);
  if (props.data) for (const [name, value] of Object.entries(props.data)) element.dataset[name] = value;
  if (props.text !== undefined) element.textContent = props.text;
  if (props.hidden) element.hidden = true;
  if (props.on) {
    for (const [type, listener] of Object.entries(props.on)) element.addEventListener(type, listener as EventListener);
  }
  append(element, children);
  return element;
}

export function append(parent: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

/** Replaces every child of `parent`. */
export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren(...children.filter((child): child is Node | string => child !== null && child !== undefined && child !== false));
}

/** Sets textContent only when it differs (cheaper on hot paths; no needless mutation records). */
export function setText(element: Element, text: string): void {
  if (element.textContent !== text) element.textContent = text;
}

/** A link whose href is set only when the URL is http(s); otherwise the element has no href at all. */
export function safeHref(element: HTMLAnchorElement, url: string | undefined): void {
  if (url !== undefined && isHttpUrl(url)) element.setAttribute('href', url);
  else element.removeAttribute('href');
}

export function isHttpUrl(url: string): boolean {
  return /^https?:\/\//i.test(url) && URL.canParse(url);
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** A small inline icon (no icon fonts): a 16×16 SVG with the given path data. */
export function icon(pathData: string, label?: string): SVGSVGElement {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('width', '16');
  svg.setAttribute('height', '16');
  svg.setAttribute('fill', 'currentColor');
  svg.setAttribute('class', 'icon');
  if (label) {
    svg.setAttribute('role', 'img');
    svg.setAttribute('aria-label', label);
  } else {
    svg.setAttribute('aria-hidden', 'true');
  }
  const path = document.createElementNS(SVG_NS, 'path');
  path.setAttribute('d', pathData);
  svg.appendChild(path);
  return svg;
}

export const ICONS = {
  refresh: 'M8 3a5 5 0 1 0 4.55 2.93l1.36-.63A6.5 6.5 0 1 1 8 1.5V0l3 2.25L8 4.5V3z',
  back: 'M7.5 2.5 2 8l5.5 5.5 1-1L4.8 8.7H14V7.3H4.8l3.7-3.8z',
} as const;
