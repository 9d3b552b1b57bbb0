// A statement's list of node element ids, each listed once in order of first use, so that its rows can name their
// nodes by position in the list (batch-nodes.ts for appends, pair-rows.ts for a fresh run's items).

export class RefList {
  /** The element ids, each once, in order of first use. */
  readonly refs: string[] = [];
  private readonly positions = new Map<number, number>();

  /** allRefs[idx]: the element id of node idx. */
  constructor(private readonly allRefs: readonly string[]) {}

  /** Position of node idx in `refs`; listed there on first use. */
  position(idx: number): number {
    let pos = this.positions.get(idx);
    if (pos === undefined) {
      pos = this.refs.length;
      this.positions.set(idx, pos);
      this.refs.push(this.allRefs[idx]);
    }
    return pos;
  }
}
