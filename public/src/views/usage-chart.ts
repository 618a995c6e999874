// One uPlot chart that fills its container's width and takes new data in place (no redraw of the page).
// The canvas is hidden from assistive technology: each chart's figure carries a summary and a table.
import uPlot from 'uplot';
import { h } from '../dom.js';

export interface ChartLine {
  label: string;
  color: string;
  /** Bars rather than a stepped line (counts per day). */
  bars?: boolean;
}

export interface UsageChart {
  element: HTMLElement;
  /**
   * x: bucket starts in ms, each bucket `stepMs` wide; one array of values per line, in the order the lines
   * were given. The x axis spans exactly these buckets.
   */
  setData(x: readonly number[], stepMs: number, values: readonly (readonly number[])[]): void;
  /** Lines can change (platforms appear): rebuilds the chart with them. */
  setLines(lines: readonly ChartLine[]): void;
}

const HEIGHT = 200;

export function usageChart(initialLines: readonly ChartLine[]): UsageChart {
  const element = h('div', { class: 'usage-chart', attrs: { 'aria-hidden': 'true' } });
  let lines = initialLines;
  let plot: uPlot | undefined;
  let data: uPlot.AlignedData = [[]];
  /** The x axis's span, in seconds. */
  let xRange: [number, number] = [0, 1];

  const width = () => Math.max(240, element.clientWidth);
  const build = () => {
    plot?.destroy();
    const stepped = uPlot.paths.stepped?.({ align: 1 });
    const bars = uPlot.paths.bars?.({ size: [0.6, 40] });
    plot = new uPlot(
      {
        width: width(),
        height: HEIGHT,
        legend: { show: false },
        cursor: { show: false },
        scales: { x: { time: true, range: () => xRange }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
        // The value axis as wide as its longest label ("12,000"), so that none is cut.
        axes: [{}, { size: (_u, values) => 20 + 8 * Math.max(1, ...(values ?? []).map((value) => String(value).length)) }],
        series: [
          {},
          ...lines.map((line) => ({
            label: line.label,
            stroke: line.color,
            fill: line.bars ? line.color : undefined,
            width: 2,
            paths: line.bars ? bars : stepped,
            points: { show: false },
          })),
        ],
      },
      data,
      element,
    );
  };

  // uPlot needs a width in pixels: follow the container (a phone, a resized window).
  new ResizeObserver(() => {
    if (plot && element.clientWidth > 0 && Math.abs(plot.width - width()) > 1) plot.setSize({ width: width(), height: HEIGHT });
  }).observe(element);

  return {
    element,
    setData: (x, stepMs, values) => {
      // uPlot's time axis is in seconds. A stepped line holds each value to the next point: one more point
      // at the end of the last bucket draws that bucket's value across it.
      const seconds = x.map((ms) => ms / 1000);
      const step = stepMs / 1000;
      const first = seconds[0] ?? 0;
      const end = (seconds.at(-1) ?? first) + step;
      if (lines.some((line) => line.bars)) {
        // Bars stand on their bucket's middle.
        data = [seconds.map((at) => at + step / 2), ...values.map((series) => [...series])];
      } else {
        data = [[...seconds, end], ...values.map((series) => [...series, series.at(-1) ?? 0])];
      }
      xRange = [first, end];
      if (!plot) build();
      else plot.setData(data);
    },
    setLines: (next) => {
      if (next.length === lines.length && next.every((line, i) => line.label === lines[i]!.label)) return;
      lines = next;
      data = [data[0], ...next.map(() => data[0].map(() => 0))];
      build();
    },
  };
}
