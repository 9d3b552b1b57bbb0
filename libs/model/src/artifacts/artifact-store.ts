// Versioned model artifacts on disk. A version is written under a temporary name and renamed into place,
// so a crash never leaves half a version; `current.json` names the version in use and is replaced the same
// way. Loading checks every weights file's length and sha256 and refuses a corrupt or truncated version
// with a clear error, leaving the current pointer where it was.
import { createHash, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ModelError } from '../errors';
import type { WeightSnapshot } from '../types';
import { ARTIFACT_FORMAT, type ArtifactManifest, type NewArtifact, type WeightEntry } from './manifest';

const VERSION = /^v(\d{4,})$/;
const POINTER = 'current.json';
const MANIFEST = 'manifest.json';

export interface LoadedArtifact {
  manifest: ArtifactManifest;
  weights: Map<string, Float32Array>;
}

export class ArtifactStore {
  /** `root` holds `versions/vNNNN/` folders and `current.json`. */
  constructor(readonly root: string) {}

  private get versionsDir(): string {
    return path.join(this.root, 'versions');
  }

  /** Writes a new version (never overwriting one) and returns its manifest; does not make it current. */
  async save(artifact: NewArtifact, weights: WeightSnapshot, shapes: ReadonlyMap<string, number[]> = new Map()): Promise<ArtifactManifest> {
    await fs.mkdir(this.versionsDir, { recursive: true });
    const tmp = path.join(this.versionsDir, `.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
    await fs.mkdir(tmp);
    try {
      const entries: WeightEntry[] = [];
      for (const [name, values] of weights) {
        const file = `${name.replace(/[^A-Za-z0-9_.-]/g, '_')}.f32`;
        const bytes = Buffer.from(values.buffer, values.byteOffset, values.byteLength);
        await writeDurably(path.join(tmp, file), bytes);
        const shape = shapes.get(name) ?? [values.length];
        if (shape.reduce((a, b) => a * b, 1) !== values.length) {
          throw new ModelError('BAD_USER_INPUT', `weights "${name}": shape [${shape}] does not hold ${values.length} values`);
        }
        entries.push({ name, file, length: values.length, shape, sha256: sha256(bytes) });
      }
      for (let attempt = 0; ; attempt++) {
        const version = formatVersion((await this.highestVersion()) + 1 + attempt);
        const manifest: ArtifactManifest = { format: ARTIFACT_FORMAT, version, createdAt: new Date().toISOString(), ...artifact, weights: entries };
        await writeDurably(path.join(tmp, MANIFEST), Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`));
        try {
          await fs.rename(tmp, path.join(this.versionsDir, version));
          return manifest;
        } catch (err) {
          // Another writer took this number between our look and our rename: take the next one.
          const code = (err as NodeJS.ErrnoException).code;
          if ((code !== 'ENOTEMPTY' && code !== 'EEXIST') || attempt > 100) throw err;
        }
      }
    } catch (err) {
      await fs.rm(tmp, { recursive: true, force: true });
      throw err;
    }
  }

  /** Makes `version` current after checking that it loads; a bad version leaves the pointer as it was. */
  async setCurrent(version: string): Promise<LoadedArtifact> {
    const loaded = await this.load(version);
    const tmp = path.join(this.root, `.${POINTER}.${process.pid}.tmp`);
    await writeDurably(tmp, Buffer.from(`${JSON.stringify({ version })}\n`));
    await fs.rename(tmp, path.join(this.root, POINTER));
    return loaded;
  }

  /** The current version's name, or null when none was made current yet. */
  async current(): Promise<string | null> {
    try {
      const pointer = JSON.parse(await fs.readFile(path.join(this.root, POINTER), 'utf8')) as { version?: unknown };
      if (typeof pointer.version !== 'string' || !VERSION.test(pointer.version)) {
        throw new ModelError('CORRUPT_ARTIFACT', `${path.join(this.root, POINTER)} does not name a version: found ${JSON.stringify(pointer)}`);
      }
      return pointer.version;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  /** Manifests of every complete version, oldest first. */
  async list(): Promise<ArtifactManifest[]> {
    const out: ArtifactManifest[] = [];
    for (const version of await this.versions()) out.push(await this.readManifest(version));
    return out;
  }

  /** One version's manifest (its weights unread); NOT_FOUND naming the versions there are when it does not exist. */
  manifest(version: string): Promise<ArtifactManifest> {
    return this.readManifest(version);
  }

  /** Loads a version (default: the current one), verifying every file. */
  async load(version?: string): Promise<LoadedArtifact> {
    const name = version ?? (await this.current());
    if (!name) throw new ModelError('NOT_FOUND', `no current model version in ${this.root}: train one first (eior train)`);
    const manifest = await this.readManifest(name);
    const dir = path.join(this.versionsDir, name);
    const weights = new Map<string, Float32Array>();
    for (const w of manifest.weights) {
      const file = path.join(dir, w.file);
      let bytes: Buffer;
      try {
        bytes = await fs.readFile(file);
      } catch (err) {
        throw new ModelError('CORRUPT_ARTIFACT', `model ${name} is incomplete: cannot read ${file} (${(err as Error).message})`);
      }
      if (bytes.length !== w.length * 4) {
        throw new ModelError('CORRUPT_ARTIFACT', `model ${name} is corrupt: ${w.file} has ${bytes.length} bytes, expected ${w.length * 4} (${w.length} float32 values, shape [${w.shape}])`);
      }
      const digest = sha256(bytes);
      if (digest !== w.sha256) {
        throw new ModelError('CORRUPT_ARTIFACT', `model ${name} is corrupt: ${w.file} has sha256 ${digest.slice(0, 16)}…, the manifest says ${w.sha256.slice(0, 16)}…`);
      }
      // Copy into an aligned buffer of its own: a Buffer's offset need not be a multiple of 4.
      weights.set(w.name, new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)));
    }
    return { manifest, weights };
  }

  private async readManifest(version: string): Promise<ArtifactManifest> {
    if (!VERSION.test(version)) throw new ModelError('BAD_USER_INPUT', `model version ${JSON.stringify(version)} is not valid: expected v followed by digits, e.g. v0001`);
    const file = path.join(this.versionsDir, version, MANIFEST);
    let manifest: ArtifactManifest;
    try {
      manifest = JSON.parse(await fs.readFile(file, 'utf8')) as ArtifactManifest;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        const known = await this.versions();
        throw new ModelError('NOT_FOUND', `model version ${version} does not exist in ${this.root}${known.length ? `: expected one of ${known.join(', ')}` : ''}`);
      }
      throw new ModelError('CORRUPT_ARTIFACT', `model ${version} is corrupt: ${file} is not valid JSON (${(err as Error).message})`);
    }
    if (manifest.format !== ARTIFACT_FORMAT || manifest.version !== version || !Array.isArray(manifest.weights)) {
      throw new ModelError('CORRUPT_ARTIFACT', `model ${version} is corrupt: ${file} is not an ${ARTIFACT_FORMAT} manifest of version ${version}`);
    }
    return manifest;
  }

  private async versions(): Promise<string[]> {
    try {
      return (await fs.readdir(this.versionsDir)).filter((v) => VERSION.test(v)).sort();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  }

  private async highestVersion(): Promise<number> {
    const all = await this.versions();
    return all.length ? Number(VERSION.exec(all[all.length - 1])![1]) : 0;
  }
}

function formatVersion(n: number): string {
  return `v${String(n).padStart(4, '0')}`;
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Writes and fsyncs a file, so that a rename after it never exposes a file that a crash could truncate. */
async function writeDurably(file: string, bytes: Buffer): Promise<void> {
  const handle = await fs.open(file, 'w');
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
}
