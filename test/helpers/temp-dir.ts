// Temporary folders for tests, removed after each test file.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function tempDir(prefix: string): { dir: string; write: (name: string, content: string | Buffer) => string; remove: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), `eior-${prefix}-`));
  return {
    dir,
    write: (name, content) => {
      const file = path.join(dir, name);
      writeFileSync(file, content);
      return file;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The shared real TikTok benchmark beside the checkout (../shared/data/tiktok). */
export const TIKTOK_DIR = path.resolve(__dirname, '..', '..', '..', 'shared', 'data', 'tiktok');
