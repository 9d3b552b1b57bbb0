// Progress of a training loop on stderr: a bar over all steps of all epochs, with epoch, loss and speed, and
// the epoch summaries printed above it.
import type { EpochRecord, TrainProgress } from '@eior/model';
import { progressBar, say, type Progress } from '../output';

export class EpochBar {
  private bar: Progress | undefined;

  constructor(private readonly label = 'train') {}

  update(p: TrainProgress): void {
    const total = p.epochs * p.steps;
    if (!this.bar) this.bar = progressBar(this.label, total, 'steps');
    this.bar.update((p.epoch - 1) * p.steps + p.step, `epoch ${p.epoch}/${p.epochs} loss ${p.loss.toFixed(4)} ${Math.round(p.samplesPerSecond)} pairs/s`);
  }

  /** The one-line summary of an epoch that was validated (others stay on the bar only). */
  epoch(e: EpochRecord): void {
    const valid = e.valid?.[20];
    if (valid) this.log(`epoch ${e.epoch}: loss ${e.loss.toFixed(4)}, valid recall@20 ${valid.recall.toFixed(4)} ndcg@20 ${valid.ndcg.toFixed(4)}, ${Math.round(e.samplesPerSecond)} pairs/s`);
  }

  log(line: string): void {
    if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
    say(line);
  }

  /** Ends the bar (a second call does nothing). */
  stop(): void {
    this.bar?.stop();
    this.bar = undefined;
  }
}
