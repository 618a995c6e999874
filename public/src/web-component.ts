// The <openvidu-meet> web component, loaded from the URL roomwatch learned from Meet
// (../../shared/protocols/openvidu-meet.md §4.6). One script element for the page; a failed load may be
// retried later (e.g. once Meet answers again), never piled up.
import { isHttpUrl } from './dom.js';

export type MeetEventName = 'joined' | 'left' | 'closed';

export interface MeetEventDetail {
  roomId?: string;
  participantIdentity?: string;
  reason?: string;
}

/** What the element offers (Meet's OpenViduMeet class). */
export interface MeetElement extends HTMLElement {
  on(event: MeetEventName, callback: (detail: MeetEventDetail) => void): MeetElement;
  once(event: MeetEventName, callback: (detail: MeetEventDetail) => void): MeetElement;
  off(event: MeetEventName, callback?: (detail: MeetEventDetail) => void): MeetElement;
  leaveRoom?(): void;
}

const DEFINE_TIMEOUT_MS = 5000;
let attempt: { url: string; script: HTMLScriptElement; loaded: Promise<void>; failed: boolean } | undefined;

export function loadWebComponent(url: string | null): Promise<void> {
  if (window.customElements.get('openvidu-meet')) return Promise.resolve();
  if (url === null || url === '') {
    return Promise.reject(new Error('roomwatch does not know where the OpenVidu Meet web component is yet (the Meet API has not answered).'));
  }
  if (!isHttpUrl(url)) return Promise.reject(new Error(`The web component address from Meet is not an http(s) URL: ${url}`));
  if (attempt && !attempt.failed && attempt.url === url) return attempt.loaded;
  attempt?.script.remove();

  const script = document.createElement('script');
  script.setAttribute('src', url);
  script.async = true;
  const current = { url, script, failed: false, loaded: Promise.resolve() };
  current.loaded = new Promise<void>((resolve, reject) => {
    const fail = (why: string) => {
      current.failed = true;
      reject(new Error(`The OpenVidu Meet web component could not be loaded from ${url} (${why}).`));
    };
    script.addEventListener('error', () => fail('the script did not load'));
    script.addEventListener('load', () => {
      const timer = window.setTimeout(() => fail('the script loaded but defined no <openvidu-meet> element'), DEFINE_TIMEOUT_MS);
      void window.customElements.whenDefined('openvidu-meet').then(() => {
        window.clearTimeout(timer);
        resolve();
      });
    });
  });
  attempt = current;
  document.head.appendChild(script);
  return current.loaded;
}

export function createMeetElement(attribute: 'room-url' | 'recording-url', url: string): MeetElement | undefined {
  const element = document.createElement('openvidu-meet') as MeetElement;
  if (typeof element.on !== 'function' || typeof element.off !== 'function') return undefined;
  element.setAttribute(attribute, url);
  return element;
}
