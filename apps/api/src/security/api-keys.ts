// API keys, stored hashed: the file keeps each key's name, a short prefix to recognise it, and the sha256 of the
// key (keys are 32 random bytes, so a fast hash is enough: there is nothing to brute-force). A request sends
// `Authorization: Bearer <key>` or `X-API-Key: <key>`. The file is re-read when it changes, so a key created
// while the API runs works without a restart. A key may be scoped to datasets: its caller sees only those.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { promises as fs, statSync } from 'node:fs';
import path from 'node:path';
import { DATASET_NAME } from '@eior/graph';

export interface StoredApiKey {
  name: string;
  /** The first characters of the key, to tell keys apart in listings. */
  prefix: string;
  sha256: string;
  createdAt: string;
  /** The datasets the key may see and write; absent: all of them. */
  datasets?: string[];
}

/** Who a valid key belongs to: its name and the datasets it may see (null: all). */
export interface VerifiedKey {
  name: string;
  datasets: ReadonlySet<string> | null;
}

const KEY_PREFIX = 'eior_';

function hashKey(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

/**
 * Creates a key, stores its hash in `file` (created if missing) and returns the key: the only time it is shown.
 * With `datasets`, the key sees only those datasets (names by the ingest rule; they need not exist yet).
 */
export async function createApiKey(file: string, name: string, datasets?: readonly string[]): Promise<{ key: string; stored: StoredApiKey }> {
  if (!/^[\w.-]{1,64}$/.test(name)) throw new Error(`API key name ${JSON.stringify(name)} is invalid: expected 1 to 64 letters, digits, '_', '.' or '-'`);
  if (datasets !== undefined) {
    if (datasets.length === 0) throw new Error('--datasets is empty: expected dataset names separated by commas, e.g. tiktok,generated');
    const bad = datasets.find((d) => !DATASET_NAME.test(d));
    if (bad !== undefined) throw new Error(`dataset name ${JSON.stringify(bad)} is invalid: expected 1 to 64 letters, digits, '_', '.' or '-', starting with a letter or digit`);
  }
  const keys = await readKeys(file);
  if (keys.some((k) => k.name === name)) throw new Error(`an API key named ${JSON.stringify(name)} exists already in ${file}: choose another name or revoke it first`);
  const key = `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  const stored: StoredApiKey = { name, prefix: key.slice(0, KEY_PREFIX.length + 6), sha256: hashKey(key).toString('hex'), createdAt: new Date().toISOString(), ...(datasets ? { datasets: [...new Set(datasets)] } : {}) };
  await writeKeys(file, [...keys, stored]);
  return { key, stored };
}

/** Removes a key by name; false when there is none of that name. */
export async function revokeApiKey(file: string, name: string): Promise<boolean> {
  const keys = await readKeys(file);
  const kept = keys.filter((k) => k.name !== name);
  if (kept.length === keys.length) return false;
  await writeKeys(file, kept);
  return true;
}

export async function readKeys(file: string): Promise<StoredApiKey[]> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const parsed = JSON.parse(text) as { keys?: StoredApiKey[] };
  if (!Array.isArray(parsed.keys)) throw new Error(`${file} is not an API key file: expected {"keys": [...]}`);
  return parsed.keys;
}

async function writeKeys(file: string, keys: StoredApiKey[]): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(tmp, `${JSON.stringify({ keys }, null, 2)}\n`, { mode: 0o600 });
  await fs.rename(tmp, file);
}

/** Checks keys against the file, re-reading it when its modification time changes. */
export class ApiKeyVerifier {
  private hashes: Buffer[] = [];
  private owners: VerifiedKey[] = [];
  private mtimeMs = -1;

  constructor(private readonly file: string) {}

  /** The name of the key, or null when the key is not valid. */
  async verify(key: string): Promise<string | null> {
    return (await this.identify(key))?.name ?? null;
  }

  /** The key's name and dataset scope, or null when the key is not valid. */
  async identify(key: string): Promise<VerifiedKey | null> {
    await this.reloadIfChanged();
    const h = hashKey(key);
    let found: VerifiedKey | null = null;
    // compare against every key, in constant time each, so timing does not tell how far a guess got
    this.hashes.forEach((stored, n) => {
      if (timingSafeEqual(stored, h)) found = this.owners[n];
    });
    return found;
  }

  async count(): Promise<number> {
    await this.reloadIfChanged();
    return this.hashes.length;
  }

  private async reloadIfChanged(): Promise<void> {
    let mtimeMs: number;
    try {
      mtimeMs = statSync(this.file).mtimeMs;
    } catch {
      mtimeMs = 0;
    }
    if (mtimeMs === this.mtimeMs) return;
    const keys = await readKeys(this.file);
    this.hashes = keys.map((k) => Buffer.from(k.sha256, 'hex'));
    this.owners = keys.map((k) => ({ name: k.name, datasets: Array.isArray(k.datasets) ? new Set(k.datasets) : null }));
    this.mtimeMs = mtimeMs;
  }
}

/** The key a request carries, from `Authorization: Bearer` or `X-API-Key`; null when none. */
export function keyFromHeaders(headers: { get(name: string): string | undefined }): string | null {
  const auth = headers.get('authorization');
  if (auth && /^Bearer\s+/i.test(auth)) return auth.replace(/^Bearer\s+/i, '').trim();
  return headers.get('x-api-key')?.trim() || null;
}
