// The benchmark's figures: medians with their range, each beside its target (issue 6), and the
// readable table they are printed as.

/** A target a figure must stay at or under (`max`), or, with `exact`, equal. */
export interface Target {
  max: number;
  /** A target met only by exactly this value (e.g. 0 messages lost). */
  exact?: boolean;
}

/** One measured figure. */
export interface Figure {
  /** Which part of the benchmark measured it (`--only` takes these names). */
  part: string;
  name: string;
  unit: string;
  median: number;
  min: number;
  max: number;
  /** How many samples the median is of. */
  samples: number;
  target?: Target;
  note?: string;
}

/** The value at percentile `p` (0–100) of `values`, nearest-rank. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** The median of `values`, with their min and max. */
export function summary(
  part: string,
  name: string,
  unit: string,
  values: readonly number[],
  target?: Target,
  note?: string,
): Figure {
  return {
    part,
    name,
    unit,
    median: percentile(values, 50),
    min: Math.min(...values),
    max: Math.max(...values),
    samples: values.length,
    target,
    note,
  };
}

/** Whether `figure` meets its target (undefined when it has none). */
export function meets(figure: Figure): boolean | undefined {
  const { target } = figure;
  if (!target) return undefined;
  return target.exact ? figure.median === target.max : figure.median <= target.max;
}

function number(value: number): string {
  if (Number.isInteger(value)) return String(value);
  return Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(value < 10 ? 2 : 1);
}

/** The figures as a Markdown table: median, min–max, target and whether it is met. */
export function table(figures: readonly Figure[]): string {
  const rows = [
    '| figure | median | min–max | target | |',
    '| --- | --: | --: | --: | --- |',
    ...figures.map((f) => {
      const met = meets(f);
      const target = f.target
        ? `${f.target.exact ? '=' : '≤'} ${number(f.target.max)} ${f.unit}`
        : '';
      const mark = met === undefined ? '' : met ? 'met' : '**missed**';
      const note = f.note ? ` (${f.note})` : '';
      return (
        `| ${f.name}${note} | ${number(f.median)} ${f.unit} | ` +
        `${number(f.min)}–${number(f.max)} | ${target} | ${mark} |`
      );
    }),
  ];
  return rows.join('\n');
}
