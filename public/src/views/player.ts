// Playing a recording in the page, as its platform allows (CatalogEntry.playback): Meet's, from the URL
// roomwatch gets from Meet, with <openvidu-meet recording-url=…> or, when the web component is
// unavailable, in an iframe; others' (OpenVidu 2), in a <video> on the file roomwatch relays.
import type { SourceId } from '../../../server/domain/rows.js';
import { ApiError, api } from '../api.js';
import { h, icon, ICONS, isHttpUrl, replaceChildren, setText } from '../dom.js';
import { formatDateTime } from '../format.js';
import { playbackOf } from '../platforms.js';
import { hrefFor, navigate } from '../router.js';
import { recordingKey, type DashboardState } from '../state.js';
import { createMeetElement, loadWebComponent, type MeetElement } from '../web-component.js';

export interface PlayerScreen {
  element: HTMLElement;
  enter(source: SourceId, recordingId: string): void;
  leave(): void;
}

export function playerScreen(state: DashboardState): PlayerScreen {
  const title = h('h1', { class: 'h5 mb-0 text-break', attrs: { id: 'player-title' } });
  const subtitle = h('span', { class: 'small text-body-secondary' });
  const back = h('a', { class: 'btn btn-sm btn-outline-secondary text-nowrap' }, icon(ICONS.back), h('span', { class: 'ms-1', text: 'Back to recordings' }));
  const stage = h('div', { class: 'player-stage' });
  let generation = 0;
  let player: { element: MeetElement; onClosed: () => void } | undefined;

  const leave = () => {
    generation += 1;
    if (player) player.element.off('closed', player.onClosed);
    player = undefined;
    stage.replaceChildren();
  };

  const message = (text: string, tone = 'warning') =>
    replaceChildren(stage, h('div', { class: `alert alert-${tone} m-3`, attrs: { role: tone === 'info' ? 'status' : 'alert' }, text }));

  const enter = (source: SourceId, recordingId: string) => {
    leave();
    const ticket = generation;
    const row = state.recordings.get(recordingKey({ source, recordingId }));
    const backHref = hrefFor.recordings(row?.roomId);
    back.setAttribute('href', backHref);
    setText(title, row ? `Recording of ${row.roomName}` : 'Recording');
    setText(subtitle, row ? `started ${formatDateTime(row.startedAt)}` : recordingId);
    message('Loading the recording…', 'info');
    if (playbackOf(source) === 'media') {
      playMedia(source, recordingId, ticket);
      return;
    }

    api
      .recordingUrl(recordingId)
      .then(async (url) => {
        if (!isHttpUrl(url)) throw new ApiError(200, 'bad_response', `The playback address is not an http(s) URL: ${url}`);
        const component = await loadWebComponent(state.meet.webComponentUrl).then(
          () => createMeetElement('recording-url', url),
          () => undefined,
        );
        if (ticket !== generation) return;
        if (component) {
          const onClosed = () => navigate(backHref);
          component.once('closed', onClosed);
          player = { element: component, onClosed };
          stage.replaceChildren(component);
        } else {
          const frame = h('iframe', { class: 'player-frame', attrs: { title: 'Recording playback', allow: 'autoplay; fullscreen' } });
          frame.setAttribute('src', url);
          stage.replaceChildren(frame);
        }
      })
      .catch((error: unknown) => {
        if (ticket !== generation) return;
        message(error instanceof Error ? error.message : String(error));
      });
  };

  /** The file, relayed by roomwatch: the <video> asks for it (and for ranges of it) itself. */
  const playMedia = (source: SourceId, recordingId: string, ticket: number) => {
    const src = `api/platforms/${encodeURIComponent(source)}/recordings/${encodeURIComponent(recordingId)}/media`;
    const video = h('video', { class: 'player-video', attrs: { controls: '', playsinline: '', preload: 'metadata', title: 'Recording playback' } });
    video.addEventListener('error', () => {
      if (ticket !== generation) return;
      // A <video> says nothing of why: ask once more, for the server's own words.
      void fetch(src, { headers: { Range: 'bytes=0-0' }, credentials: 'same-origin' })
        .then(async (response) => {
          const body = (await response.json().catch(() => ({}))) as { message?: unknown };
          return typeof body.message === 'string' ? body.message : `roomwatch answered ${response.status}.`;
        })
        .catch(() => 'roomwatch is not answering (network error).')
        .then((reason) => {
          if (ticket === generation) message(`This recording cannot be played: ${reason}`);
        });
    });
    video.setAttribute('src', src);
    stage.replaceChildren(video);
  };

  const element = h(
    'section',
    { class: 'screen player-screen', attrs: { id: 'player-screen', 'aria-labelledby': 'player-title' }, hidden: true },
    h('div', { class: 'join-bar' }, back, h('div', { class: 'd-flex flex-column' }, title, subtitle)),
    stage,
  );
  return { element, enter, leave };
}
