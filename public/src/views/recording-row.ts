// One recording in the list: live status, room, platform, start, duration, size, its files when the
// platform names them, Play (where the page can play the platform's recordings) and Delete (Meet's), each
// enabled when the status allows. Repainted in place when its frame arrives.
import { isFinished, type RecordingFile, type RecordingRow } from '../../../server/domain/rows.js';
import { h, isHttpUrl, replaceChildren, setText } from '../dom.js';
import { formatDateTime, formatDuration, formatSize } from '../format.js';
import { isManagedHere, platform, playbackOf } from '../platforms.js';
import { paintRecordingBadge } from './badges.js';
import { drawPlatformActions, paintPlatformActions } from './platform-actions.js';

interface RecordingParts {
  badge: HTMLElement;
  room: HTMLElement;
  source: HTMLElement;
  started: HTMLElement;
  duration: HTMLElement;
  size: HTMLElement;
  files: HTMLElement;
  /** The files last drawn, so a repaint rebuilds the list only when they changed. */
  filesDrawn: RecordingFile[] | undefined;
  error: HTMLElement;
  play: HTMLButtonElement;
  /** Buttons for what the platform's API offers on a recording (stopping it…), from the catalog. */
  platformActions: HTMLElement;
  remove: HTMLButtonElement;
}

const parts = new WeakMap<HTMLElement, RecordingParts>();

/** Playback goes through the platform's API (Meet's URL, or roomwatch relaying the file); deletion through Meet's. */
export const canPlay = (row: RecordingRow) => playbackOf(row.source) !== undefined && (row.status === 'complete' || row.status === 'limit_reached');
export const canDelete = (row: RecordingRow) => isManagedHere(row.source) && isFinished(row.status);

export function createRecordingElement(row: RecordingRow, key: string): HTMLElement {
  const fact = (label: string, value: HTMLElement) => h('span', { class: 'fact' }, h('span', { class: 'fact-label', text: label }), value);
  const p: RecordingParts = {
    badge: h('span'),
    room: h('span', { class: 'recording-room' }),
    source: h('span', { class: 'source-tag text-body-secondary' }),
    started: h('span', { class: 'fact-value' }),
    duration: h('span', { class: 'fact-value' }),
    size: h('span', { class: 'fact-value' }),
    files: h('ul', { class: 'recording-files list-unstyled small mt-1 mb-0', attrs: { 'aria-label': 'Files' }, hidden: true }),
    filesDrawn: undefined,
    error: h('div', { class: 'recording-error', hidden: true }),
    play: h('button', { class: 'btn btn-sm btn-primary', attrs: { type: 'button' }, data: { action: 'play' }, text: 'Play' }),
    platformActions: h('div', { class: 'platform-actions' }),
    remove: h('button', { class: 'btn btn-sm btn-outline-danger', attrs: { type: 'button' }, data: { action: 'delete' }, text: 'Delete' }),
  };
  drawPlatformActions(p.platformActions, row.source, 'recording');
  const element = h(
    'li',
    { class: 'list-group-item recording-row', data: { key, roomId: row.roomId } },
    h(
      'div',
      { class: 'recording-main' },
      h('div', { class: 'recording-title' }, p.badge, p.room, p.source),
      h('div', { class: 'recording-facts' }, fact('Started', p.started), fact('Duration', p.duration), fact('Size', p.size)),
      p.files,
      p.error,
    ),
    h('div', { class: 'recording-actions' }, p.play, p.platformActions, p.remove),
  );
  parts.set(element, p);
  paint(p, row);
  return element;
}

export function updateRecordingElement(element: HTMLElement, row: RecordingRow): void {
  const p = parts.get(element);
  if (p) paint(p, row);
}

function paint(p: RecordingParts, row: RecordingRow): void {
  paintRecordingBadge(p.badge, row.status);
  setText(p.room, row.roomName);
  const { tag, name } = platform(row.source);
  setText(p.source, tag);
  if (p.source.title !== name) p.source.title = name;
  setText(p.started, formatDateTime(row.startedAt));
  const finished = isFinished(row.status);
  setText(p.duration, finished ? formatDuration(row.duration) : 'in progress');
  setText(p.size, finished ? formatSize(row.size) : row.size === undefined ? '—' : formatSize(row.size));
  if (row.files !== p.filesDrawn) paintFiles(p, row.files);
  p.error.hidden = row.error === undefined || row.error === '';
  setText(p.error, row.error ? `Error: ${row.error}` : '');

  paintPlatformActions(p.platformActions, row, 'recording');
  // Play where the page can play the platform's files; Delete through Meet's REST API only. Other
  // recordings offer neither (their files, when named, are linked above).
  const playable = playbackOf(row.source) !== undefined;
  p.play.hidden = !playable;
  if (playable) {
    p.play.disabled = !canPlay(row);
    p.play.title = canPlay(row) ? 'Play this recording here' : `Only a finished recording with a file can be played (this one is ${row.status.replace('_', ' ')})`;
  }
  const managed = isManagedHere(row.source);
  p.remove.hidden = !managed;
  if (!managed) return;
  p.remove.disabled = !canDelete(row);
  p.remove.title = canDelete(row) ? 'Delete this recording from Meet' : `A recording can be deleted once it has finished (this one is ${row.status})`;
}

/** One line per file: a link for an http(s) URL, the location as text otherwise (s3://, ftp://…). */
function paintFiles(p: RecordingParts, files: RecordingFile[] | undefined): void {
  p.filesDrawn = files;
  const list = files ?? [];
  p.files.hidden = list.length === 0;
  replaceChildren(
    p.files,
    ...list.map((file) => {
      // `file` is LiveKit's word for an ordinary file: only other kinds (hls, transcoded, awss3…) say something.
      const details = [file.kind === 'file' ? undefined : file.kind, file.duration === undefined ? undefined : formatDuration(file.duration), file.size === undefined ? undefined : formatSize(file.size)]
        .filter((part): part is string => part !== undefined && part !== '')
        .join(' · ');
      const location = isHttpUrl(file.url)
        ? h('a', { class: 'text-break', attrs: { href: file.url, target: '_blank', rel: 'noopener noreferrer', title: file.url }, text: fileName(file.url) })
        : h('span', { class: 'text-break font-monospace', text: file.url });
      return h('li', { class: 'recording-file' }, location, details === '' ? null : h('span', { class: 'text-body-secondary', text: ` (${details})` }));
    }),
  );
}

/** The last path segment of a URL, decoded, or the URL itself when it has none. */
function fileName(url: string): string {
  try {
    const segment = new URL(url).pathname.split('/').filter((part) => part !== '').pop();
    return segment === undefined ? url : decodeURIComponent(segment);
  } catch {
    return url;
  }
}
