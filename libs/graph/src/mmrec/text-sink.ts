// Text written through a file stream in ~1 MiB pieces, waiting for 'drain' when the stream's buffer is
// full: memory stays flat however large the file grows.
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';

const FLUSH_AT = 1 << 20;

export class TextSink {
  private pending = '';

  private constructor(private readonly stream: WriteStream) {}

  static open(file: string): TextSink {
    return new TextSink(createWriteStream(file, { highWaterMark: 4 * FLUSH_AT }));
  }

  /** Queues text; call flushIfFull() now and then to pass it on. */
  write(text: string): void {
    this.pending += text;
  }

  async flushIfFull(): Promise<void> {
    if (this.pending.length >= FLUSH_AT) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.stream.errored) throw this.stream.errored;
    if (this.pending === '') return;
    const text = this.pending;
    this.pending = '';
    if (!this.stream.write(text)) await once(this.stream, 'drain'); // rejects if the stream errors meanwhile
  }

  async close(): Promise<void> {
    await this.flush();
    this.stream.end();
    await finished(this.stream);
  }

  /** Abandons the file after a failure (the caller removes it). */
  destroy(): void {
    this.stream.destroy();
  }
}
