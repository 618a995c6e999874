// A figure of the bench: what the project measured, what the reference measured, and the goal it is
// held to (on the ratio project ÷ reference, or on the project's own value).

export interface Goal {
  /** What the goal is about: the ratio project ÷ reference, or the project's value itself. */
  on: 'ratio' | 'project';
  comparison: '≥' | '≤' | '<' | '=';
  target: number;
}

export interface Figure {
  name: string;
  unit: string;
  project: number;
  reference: number | null;
  ratio: number | null;
  goal: Goal;
  met: boolean;
}

export const goal = (on: Goal['on'], comparison: Goal['comparison'], target: number): Goal => ({ on, comparison, target });

/** A figure judged on project ÷ reference. */
export function ratioFigure(name: string, unit: string, project: number, reference: number, target: Goal): Figure {
  const ratio = project / reference;
  return { name, unit, project, reference, ratio, goal: target, met: meets(ratio, target) };
}

/** A figure judged on the project's value alone. */
export function projectFigure(name: string, unit: string, project: number, target: Goal): Figure {
  return { name, unit, project, reference: null, ratio: null, goal: target, met: meets(project, target) };
}

function meets(value: number, { comparison, target }: Goal): boolean {
  if (!Number.isFinite(value)) return false;
  switch (comparison) {
    case '≥':
      return value >= target;
    case '≤':
      return value <= target;
    case '<':
      return value < target;
    case '=':
      return value === target;
  }
}
