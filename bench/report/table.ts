// The figures as a plain-text table, one row per figure, for the terminal.
import type { Figure, Goal } from './figures.js';
import { formatNumber } from './format.js';

const HEADINGS = ['figure', 'project', 'reference', 'ratio', 'goal', 'result'] as const;

export function renderTable(figures: readonly Figure[]): string {
  const rows = figures.map((figure) => [
    figure.name,
    withUnit(figure.project, figure.unit),
    figure.reference === null ? '—' : withUnit(figure.reference, figure.unit),
    figure.ratio === null ? '—' : formatNumber(figure.ratio),
    describeGoal(figure.goal, figure.unit),
    figure.met ? 'PASS' : 'MISS',
  ]);
  const widths = HEADINGS.map((heading, column) => Math.max(heading.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (column === 0 || column === 4 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
      .join('  ')
      .trimEnd();
  return [line(HEADINGS), line(widths.map((width) => '─'.repeat(width))), ...rows.map(line)].join('\n');
}

export function describeGoal({ on, comparison, target }: Goal, unit: string): string {
  return on === 'ratio' ? `ratio ${comparison} ${target}` : `${comparison} ${withUnit(target, unit)}`;
}

function withUnit(value: number, unit: string): string {
  if (unit === '') return formatNumber(value);
  return unit.startsWith('/') ? `${formatNumber(value)}${unit}` : `${formatNumber(value)} ${unit}`;
}
