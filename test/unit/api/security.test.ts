// API keys stored hashed, checked in constant time, picked up when the file changes; the token count that guards
// the parser; masked errors carrying the request id.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { GraphQLError } from 'graphql';
import { ApiError, fromLibError } from '../../../apps/api/src/errors';
import { createFormatError, requestScope } from '../../../apps/api/src/format-error';
import { createLeakGuard } from '../../../apps/api/src/leak-guard';
import { countTokens } from '../../../apps/api/src/http/token-limit';
import { ApiKeyVerifier, createApiKey, keyFromHeaders, revokeApiKey } from '../../../apps/api/src/security/api-keys';
import { tempDir } from '../../helpers/temp-dir';

describe('API keys', () => {
  const tmp = tempDir('keys');
  afterAll(() => tmp.remove());

  it('stores only a hash, verifies the key, and forgets it once revoked', async () => {
    const file = path.join(tmp.dir, 'keys.json');
    const verifier = new ApiKeyVerifier(file);
    expect(await verifier.count()).toBe(0);
    const { key } = await createApiKey(file, 'dashboard');
    expect(readFileSync(file, 'utf8')).not.toContain(key);
    expect(await verifier.verify(key)).toBe('dashboard');
    expect(await verifier.verify(`${key}x`)).toBeNull();
    await expect(createApiKey(file, 'dashboard')).rejects.toThrow(/exists already/);
    await expect(createApiKey(file, 'bad name!')).rejects.toThrow(/"bad name!" is invalid/);
    await new Promise((r) => setTimeout(r, 20)); // a new mtime
    expect(await revokeApiKey(file, 'dashboard')).toBe(true);
    expect(await verifier.verify(key)).toBeNull();
  });

  it('keeps a key\'s dataset scope, and refuses a scope with a name the ingest rule refuses', async () => {
    const file = path.join(tmp.dir, 'scoped.json');
    const verifier = new ApiKeyVerifier(file);
    const { key } = await createApiKey(file, 'team-a', ['tiktok', 'generated', 'tiktok']);
    const all = await createApiKey(file, 'ops');
    expect(await verifier.identify(key)).toEqual({ name: 'team-a', datasets: new Set(['tiktok', 'generated']) });
    expect(await verifier.identify(all.key)).toEqual({ name: 'ops', datasets: null });
    await expect(createApiKey(file, 'team-b', ['../etc'])).rejects.toThrow(/dataset name "..\/etc" is invalid/);
    await expect(createApiKey(file, 'team-c', [])).rejects.toThrow(/--datasets is empty/);
  });

  it('reads the key from a Bearer header or X-API-Key', () => {
    const headers = (h: Record<string, string>) => ({ get: (n: string) => h[n] });
    expect(keyFromHeaders(headers({ authorization: 'Bearer abc' }))).toBe('abc');
    expect(keyFromHeaders(headers({ 'x-api-key': ' k ' }))).toBe('k');
    expect(keyFromHeaders(headers({ authorization: 'Basic xyz' }))).toBeNull();
  });
});

describe('countTokens', () => {
  it('counts lexical tokens and stops past the limit', () => {
    expect(countTokens('{ datasets { name } }', 100)).toBe(6);
    expect(countTokens(`{ a ${'b '.repeat(50)} }`, 10)).toBe(11);
  });

  it('leaves text that does not lex to the parser', () => {
    expect(countTokens('{ "unterminated', 100)).toBeNull();
  });
});

describe('formatError', () => {
  const lines: string[] = [];
  const log = (fields: object, msg: string) => lines.push(JSON.stringify({ msg, ...fields }));
  const format = createFormatError({ debug: () => {}, info: () => {}, warn: log, error: log }, createLeakGuard(['/srv/eior-state']));

  it('masks an unexpected error, with the request id in the answer and the cause in the log', () => {
    const inner = new GraphQLError('db password is hunter2', { originalError: new Error('db password is hunter2') });
    const out = requestScope.run({ requestId: 'req-42' }, () => format({ message: inner.message }, inner));
    expect(out.message).toBe('internal error: the server log has the details under request id req-42');
    expect(out.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR', requestId: 'req-42' });
    expect(lines.join('\n')).toContain('hunter2');
    expect(lines.join('\n')).toContain('req-42');
  });

  it('passes codes meant for clients through, the id asked for included', () => {
    const err = new ApiError('NOT_FOUND', 'user "x" is not in dataset', { value: 'x' });
    expect(format({ message: err.message }, err)).toEqual({ message: err.message, extensions: { code: 'NOT_FOUND', value: 'x' } });
    const lib = Object.assign(new Error('dataset "d" is only partly ingested'), { name: 'GraphError', code: 'CONFLICT' });
    expect(fromLibError(lib)?.code).toBe('CONFLICT');
    expect(fromLibError(new Error('boom'))).toBeNull();
  });

  it('keeps the code of a client error whose message would leak a path or a Node error text, and logs the text', () => {
    const leaky = [
      "model v0002 is incomplete: cannot read /srv/eior-state/models/d/versions/v0002/w.f32 (ENOENT: no such file or directory, open '/x')",
      'pointer cannot be read (ENOTDIR: not a directory)',
      'Neo.ClientError.Statement.SyntaxError: bad',
      'boom\n    at Object.<anonymous> (/app/x.js:1:2)',
    ];
    for (const message of leaky) {
      const err = new ApiError('MODEL_NOT_READY', message);
      const out = requestScope.run({ requestId: 'req-7' }, () => format({ message }, err));
      expect(out).toEqual({ message: 'MODEL_NOT_READY: the details are withheld; the server log has them under request id req-7', extensions: { code: 'MODEL_NOT_READY' } });
    }
    expect(lines.join('\n')).toContain('ENOTDIR');
    // an id a client sent comes back as sent, paths of its own included
    const mine = new ApiError('NOT_FOUND', 'user "../../etc/passwd" is not in dataset "d"', { value: '../../etc/passwd' });
    expect(format({ message: mine.message }, mine).message).toBe(mine.message);
  });

  it('gives graphql-js and Apollo errors without a code the code BAD_REQUEST, never INTERNAL_SERVER_ERROR', () => {
    const apollo = new GraphQLError('Unsupported persisted query version');
    expect(format({ message: apollo.message }, apollo).extensions).toEqual({ code: 'BAD_REQUEST' });
  });
});
