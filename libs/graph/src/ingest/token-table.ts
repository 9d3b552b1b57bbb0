// First-appearance ids for the user and item tokens of an input (an MMRec .inter or an events file), before they
// are mapped to dense indexes.

export class TokenTable {
  readonly tokens: string[] = [];
  private readonly ids = new Map<string, number>();

  idOf(token: string): number {
    let id = this.ids.get(token);
    if (id === undefined) {
      id = this.tokens.length;
      this.ids.set(token, id);
      this.tokens.push(token);
    }
    return id;
  }
}
