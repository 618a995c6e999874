// The Usage screen: meetings on, webhooks by outcome and meeting minutes per day by platform, over the last
// hour, 24 hours or 7 days, from GET /api/usage. Live while shown: a frame that can change a figure (a
// webhook, a refusal, a room change) asks for the series again, at most a few times a second, and the
// charts take the new values in place. Each chart has a summary and a table for those who cannot see it.
import type { SourceId } from '../../../server/domain/rows.js';
import type { UsageSeries } from '../../../server/usage/usage-series.js';
import { api } from '../api.js';
import { h, replaceChildren, setText } from '../dom.js';
import { formatDateTime } from '../format.js';
import { platform } from '../platforms.js';
import { hrefFor } from '../router.js';
import { USAGE_RANGES, type UsageRangeName } from '../usage-range.js';
import { usageChart, type ChartLine } from './usage-chart.js';

export interface UsageScreen {
  element: HTMLElement;
  show(range: UsageRangeName): void;
  hide(): void;
  /** Something that can change a figure arrived on the stream. */
  changed(): void;
}

/** Frames often come in bursts: one request for all of them. */
const COALESCE_MS = 250;
/** While shown, the window moves on by itself (a meeting still on grows, the oldest bucket leaves). */
const REFRESH_MS = 60_000;

const OUTCOME_LINES: ChartLine[] = [
  { label: 'Stored', color: '#0a58ca' },
  { label: 'Repeated', color: '#997404' },
  { label: 'Refused', color: '#b02a37' },
];
const PLATFORM_COLORS = ['#0a58ca', '#146c43', '#6f42c1', '#b02a37', '#997404', '#087990'];

export function usageScreen(): UsageScreen {
  let range: UsageRangeName = '24h';
  let shown = false;
  let timer: number | undefined;
  /** When the pending request is due (performance.now()). */
  let due = Infinity;
  let inFlight = false;
  let again = false;

  const rangeLinks = Object.entries(USAGE_RANGES).map(([name, { label }]) =>
    h('a', { class: 'btn btn-outline-dark btn-sm', attrs: { href: hrefFor.usage(name as UsageRangeName) }, data: { range: name }, text: label }),
  );
  const status = h('p', { class: 'text-body-secondary small mb-2', attrs: { 'aria-live': 'polite', id: 'usage-status' } });
  const problem = h('div', { class: 'alert alert-danger', attrs: { role: 'alert' }, hidden: true });

  const meetings = chartFigure('usage-meetings', 'Meetings on', [{ label: 'Meetings on', color: '#146c43' }]);
  const webhooks = chartFigure('usage-webhooks', 'Webhooks by outcome', OUTCOME_LINES);
  const minutes = chartFigure('usage-minutes', 'Meeting minutes per day, by platform', []);

  const element = h(
    'section',
    { class: 'screen usage-screen', attrs: { id: 'usage-screen', 'aria-labelledby': 'usage-title' }, hidden: true },
    h(
      'div',
      { class: 'screen-head' },
      h('h1', { class: 'h4 mb-0', attrs: { id: 'usage-title' }, text: 'Usage' }),
      h('nav', { class: 'btn-group usage-ranges', attrs: { 'aria-label': 'Time range' } }, ...rangeLinks),
    ),
    status,
    problem,
    meetings.element,
    webhooks.element,
    minutes.element,
  );

  const draw = (series: UsageSeries) => {
    const { per, label } = USAGE_RANGES[range];
    const when = (ms: number) => formatDateTime(ms);

    meetings.chart.setData(series.buckets, series.bucketMs, [series.meetings]);
    const latest = series.meetings.at(-1) ?? 0;
    meetings.summarize(`${latest} in the latest ${per}; at most ${Math.max(0, ...series.meetings)} in one ${per} (${label.toLowerCase()}).`);
    meetings.table(['Time', 'Meetings on'], rowsWithFigures(series.buckets, [series.meetings]).map(([at, count]) => [when(at), String(count)]));

    const { stored, repeated, refused } = series.webhooks;
    setText(webhooks.caption, `Webhooks per ${per}, by outcome`);
    webhooks.chart.setData(series.buckets, series.bucketMs, [stored, repeated, refused]);
    webhooks.summarize(
      `${sum(stored)} stored, ${sum(repeated)} repeated, ${sum(refused)} refused (${label.toLowerCase()}). Repeats and refusals are counted by this roomwatch since ${formatDateTime(series.repeatsAndRefusalsSince)}.`,
    );
    webhooks.table(
      ['Time', 'Stored', 'Repeated', 'Refused'],
      rowsWithFigures(series.buckets, [stored, repeated, refused]).map(([at, ...counts]) => [when(at), ...counts.map(String)]),
    );

    const sources = Object.keys(series.minutesPerDay.bySource) as SourceId[];
    const perSource = sources.map((source) => series.minutesPerDay.bySource[source]!);
    minutes.chart.setLines(sources.map((source, i) => ({ label: platform(source).name, color: PLATFORM_COLORS[i % PLATFORM_COLORS.length]!, bars: true })));
    minutes.chart.setData(series.minutesPerDay.days, 86_400_000, perSource);
    const total = perSource.reduce((all, values) => all + sum(values), 0);
    minutes.summarize(
      sources.length === 0
        ? 'No meeting minutes on these days.'
        : `${formatMinutes(total)} meeting minutes on these days: ${sources.map((source, i) => `${platform(source).name} ${formatMinutes(sum(perSource[i]!))}`).join(', ')}.`,
    );
    minutes.table(
      ['Day (UTC)', ...sources.map((source) => platform(source).name)],
      series.minutesPerDay.days.map((day, d) => [new Date(day).toISOString().slice(0, 10), ...perSource.map((values) => formatMinutes(values[d]!))]),
    );
    setText(status, `${label} · updated ${formatDateTime(Date.now())} · live`);
    // For the bench: when the charts were first drawn with data (style and layout included), ms since navigation.
    if (element.dataset.firstDrawnAt === undefined) {
      void element.offsetHeight;
      element.dataset.firstDrawnAt = String(performance.now());
    }
  };

  const load = async () => {
    if (inFlight) {
      again = true;
      return;
    }
    inFlight = true;
    const asked = range;
    try {
      const { spanMs, bucket } = USAGE_RANGES[asked];
      const series = await api.usage(new URLSearchParams({ from: String(Date.now() - spanMs), bucket }));
      if (shown && asked === range) {
        problem.hidden = true;
        draw(series);
      }
    } catch (error) {
      problem.textContent = `Usage could not be loaded: ${error instanceof Error ? error.message : String(error)}`;
      problem.hidden = false;
    } finally {
      inFlight = false;
      if (again) {
        again = false;
        void load();
      }
    }
  };

  const schedule = (delayMs: number) => {
    window.clearTimeout(timer);
    due = performance.now() + delayMs;
    timer = window.setTimeout(() => {
      timer = undefined;
      due = Infinity;
      if (!shown) return;
      void load().then(() => {
        if (shown && timer === undefined) schedule(REFRESH_MS);
      });
    }, delayMs);
  };

  return {
    element,
    show: (next) => {
      const changedRange = next !== range || !shown;
      range = next;
      shown = true;
      for (const link of rangeLinks) {
        const current = link.dataset.range === range;
        link.classList.toggle('active', current);
        if (current) link.setAttribute('aria-current', 'page');
        else link.removeAttribute('aria-current');
      }
      if (changedRange) {
        setText(status, 'Loading…');
        schedule(0);
      }
    },
    hide: () => {
      shown = false;
      window.clearTimeout(timer);
      timer = undefined;
      due = Infinity;
    },
    changed: () => {
      // A request already due soon will see this change too; a burst never postpones it.
      if (shown && due > performance.now() + COALESCE_MS) schedule(COALESCE_MS);
    },
  };
}

interface ChartFigure {
  element: HTMLElement;
  caption: HTMLElement;
  chart: ReturnType<typeof usageChart>;
  summarize(text: string): void;
  table(head: string[], rows: string[][]): void;
}

/** A chart with its caption, a one-line summary and the same figures as a table (the text alternative). */
function chartFigure(id: string, title: string, lines: ChartLine[]): ChartFigure {
  const caption = h('figcaption', { class: 'h6 mb-1', attrs: { id: `${id}-title` }, text: title });
  const summary = h('p', { class: 'usage-summary small mb-1', attrs: { id: `${id}-summary` } });
  const chart = usageChart(lines);
  const body = h('tbody');
  const headRow = h('tr');
  const empty = h('p', { class: 'small text-body-secondary mb-0', text: 'Nothing to show in this range.' });
  const table = h('table', { class: 'table table-sm usage-table mb-0' }, h('caption', { class: 'visually-hidden', text: title }), h('thead', {}, headRow), body);
  const element = h(
    'figure',
    { class: 'usage-figure card card-body', attrs: { id, 'aria-labelledby': `${id}-title`, 'aria-describedby': `${id}-summary` } },
    caption,
    summary,
    chart.element,
    h('details', { class: 'usage-details' }, h('summary', { text: 'Show as a table' }), // Scrolls sideways on a phone: reachable by keyboard, and named.
    h('div', { class: 'table-responsive', attrs: { tabindex: '0', role: 'region', 'aria-label': `${title}, as a table` } }, table), empty),
  );
  return {
    element,
    caption,
    chart,
    summarize: (text) => setText(summary, text),
    table: (head, rows) => {
      replaceChildren(headRow, ...head.map((text) => h('th', { attrs: { scope: 'col' }, text })));
      // Newest first, as the inspector lists.
      replaceChildren(body, ...rows.toReversed().map((cells) => h('tr', {}, ...cells.map((text) => h('td', { text })))));
      empty.hidden = rows.length > 0;
    },
  };
}

/** Buckets where some figure is not zero (a table of 168 hours of nothing says less than the summary). */
function rowsWithFigures(buckets: readonly number[], columns: readonly (readonly number[])[]): [at: number, ...values: number[]][] {
  const rows: [number, ...number[]][] = [];
  buckets.forEach((at, i) => {
    const values = columns.map((column) => column[i] ?? 0);
    if (values.some((value) => value !== 0)) rows.push([at, ...values]);
  });
  return rows;
}

const sum = (values: readonly number[]) => values.reduce((all, value) => all + value, 0);
const wholeMinutes = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
const tenthsOfMinutes = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
/** Tenths only where they matter (a meeting of a few minutes); thousands grouped. */
const formatMinutes = (minutes: number) => (minutes >= 100 ? wholeMinutes : tenthsOfMinutes).format(minutes);
