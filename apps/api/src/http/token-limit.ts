// The token limit, checked before GraphQL parses the query: graphql-armor's max-tokens plugin turns every syntax
// error into a 500 under Apollo (Escape-Technologies/graphql-armor#571, #751), so the lexer runs here instead and
// a syntax error is left to Apollo, which answers it with 400 GRAPHQL_PARSE_FAILED.
import { Lexer, Source, TokenKind } from 'graphql';

/** The number of tokens in `query`, counting stops at `limit + 1`; null when the text does not lex. */
export function countTokens(query: string, limit: number): number | null {
  const lexer = new Lexer(new Source(query));
  let count = 0;
  try {
    while (lexer.advance().kind !== TokenKind.EOF) {
      if (++count > limit) break;
    }
  } catch {
    return null;
  }
  return count;
}
