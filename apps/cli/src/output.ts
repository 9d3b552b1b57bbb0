// How commands talk to a person (progress bars and lines on stderr) and to scripts (`--json`: the last
// line of stdout is one JSON object).
import { SingleBar, Presets } from 'cli-progress';

export interface Progress {
  /** Moves the bar to `value` of `total`, with an optional note (e.g. the current step). */
  update(value: number, note?: string): void;
  setTotal(total: number): void;
  stop(): void;
}

/** A progress bar on stderr; a silent one when stderr is not a terminal, so logs stay readable. */
export function progressBar(label: string, total: number, unit = 'items'): Progress {
  if (!process.stderr.isTTY) {
    return { update: () => undefined, setTotal: () => undefined, stop: () => undefined };
  }
  const bar = new SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} ${unit} | {eta_formatted} left | {note}`,
      stream: process.stderr,
      hideCursor: true,
      etaBuffer: 50,
    },
    Presets.shades_classic,
  );
  bar.start(total, 0, { note: '' });
  return {
    update: (value, note) => bar.update(value, { note: note ?? '' }),
    setTotal: (t) => bar.setTotal(t),
    stop: () => bar.stop(),
  };
}

/** A line for a person, on stderr so that stdout stays clean for `--json`. */
export function say(message: string): void {
  process.stderr.write(`${message}\n`);
}

/** Prints a report: human lines on stdout, or with `json` one JSON object as the last line of stdout. */
export function report(json: boolean, human: string[], figures: Record<string, unknown>): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(figures)}\n`);
  } else {
    process.stdout.write(`${human.join('\n')}\n`);
  }
}
