// Append-only typed arrays: ingestion keeps millions of rows as numbers, not as objects.

type TypedArray = Int32Array | Uint8Array | Float64Array;
type TypedArrayConstructor<T extends TypedArray> = new (length: number) => T;

export class Growable<T extends TypedArray> {
  private buffer: T;
  length = 0;

  constructor(private readonly make: TypedArrayConstructor<T>, initialCapacity = 1 << 16) {
    this.buffer = new make(initialCapacity);
  }

  push(value: number): void {
    if (this.length === this.buffer.length) {
      const bigger = new this.make(this.buffer.length * 2);
      bigger.set(this.buffer);
      this.buffer = bigger;
    }
    this.buffer[this.length++] = value;
  }

  /** A view of exactly the pushed values (no copy). */
  values(): T {
    return this.buffer.subarray(0, this.length) as T;
  }
}
