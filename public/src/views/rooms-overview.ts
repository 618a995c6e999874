// The overview at the top of Rooms: meetings on now, open and closed rooms, recordings in progress, in all
// and by platform (the platforms that have any, when there are several). Every number is a link to the list filtered to what it counts. Repainting costs the
// same whatever the number of rooms: four tiles, each with one number per platform.
import type { SourceId } from '../../../server/domain/rows.js';
import { SOURCE_IDS } from '../../../server/inspector/types.js';
import { h, setText } from '../dom.js';
import { platform } from '../platforms.js';
import { COUNT_KINDS, type CountKind, type RoomCounts } from '../room-counts.js';
import { sameRoomFilter, type RoomFilter } from '../room-filter.js';
import { hrefFor } from '../router.js';

export interface RoomsOverview {
  element: HTMLElement;
  /** Repaints the numbers that changed. */
  paint(): void;
  /** Marks the number whose list is the one shown. */
  setCurrent(filter: RoomFilter): void;
}

const WORDS: Record<CountKind, [one: string, many: string]> = {
  active_meeting: ['meeting on now', 'meetings on now'],
  open: ['open room', 'open rooms'],
  closed: ['closed room', 'closed rooms'],
  recording: ['recording in progress', 'recordings in progress'],
};

/** The list a number stands for. */
function filterFor(kind: CountKind, source?: SourceId): RoomFilter {
  const filter: RoomFilter = kind === 'recording' ? { recording: true } : { status: kind };
  if (source !== undefined) filter.source = source;
  return filter;
}

interface NumberLink {
  link: HTMLAnchorElement;
  filter: RoomFilter;
}

export function roomsOverview(counts: RoomCounts): RoomsOverview {
  const links: NumberLink[] = [];
  const tiles = COUNT_KINDS.map((kind) => {
    const number = h('span', { class: 'overview-number', text: '0' });
    const words = h('span', { class: 'overview-words', text: WORDS[kind][1] });
    const total = h('a', { class: 'overview-total', attrs: { href: hrefFor.rooms(filterFor(kind)) }, data: { kind } }, number, ' ', words);
    links.push({ link: total, filter: filterFor(kind) });
    const split = SOURCE_IDS.map((source) => {
      const count = h('span', { class: 'overview-chip-number', text: '0' });
      const link = h(
        'a',
        { class: 'overview-chip', attrs: { href: hrefFor.rooms(filterFor(kind, source)) }, data: { source } },
        h('span', { class: 'source-tag', text: platform(source).tag }),
        ' ',
        count,
      );
      links.push({ link, filter: filterFor(kind, source) });
      return { source, item: h('li', { hidden: true }, link), link, count };
    });
    const list = h('ul', { class: 'overview-split', attrs: { 'aria-label': `${WORDS[kind][1]} by platform` } }, ...split.map((s) => s.item));
    const tile = h('div', { class: 'overview-tile', data: { kind } }, total, list);
    return { kind, tile, number, words, split, list };
  });

  const element = h(
    'section',
    { class: 'rooms-overview', attrs: { 'aria-labelledby': 'overview-title', id: 'rooms-overview' } },
    h('h2', { class: 'visually-hidden', attrs: { id: 'overview-title' }, text: 'Overview' }),
    ...tiles.map((t) => t.tile),
  );

  const paint = () => {
    const present = new Set(counts.sources());
    // With one platform, its numbers would only repeat the totals.
    const split = present.size > 1;
    for (const tile of tiles) {
      const total = counts.count(tile.kind);
      setText(tile.number, String(total));
      setText(tile.words, WORDS[tile.kind][total === 1 ? 0 : 1]);
      tile.list.hidden = !split;
      for (const { source, item, link, count } of tile.split) {
        const value = split && present.has(source) ? counts.count(tile.kind, source) : 0;
        if (item.hidden === value > 0) item.hidden = value === 0;
        if (value === 0) continue;
        setText(count, String(value));
        const title = `${platform(source).name}: ${value} ${WORDS[tile.kind][value === 1 ? 0 : 1]}`;
        if (link.title !== title) link.title = title;
      }
    }
  };

  const setCurrent = (filter: RoomFilter) => {
    for (const { link, filter: own } of links) {
      if (sameRoomFilter(own, filter)) link.setAttribute('aria-current', 'true');
      else link.removeAttribute('aria-current');
    }
  };

  paint();
  return { element, paint, setCurrent };
}
