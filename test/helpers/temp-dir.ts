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

/**
 * The real TikTok benchmark: `EIOR_TIKTOK_DIR`, else ../shared/data/tiktok beside the checkout. The project ships no
 * copy of it, so a checkout without it skips the tests that read it (and says so) rather than failing them.
 */
export const TIKTOK_DIR = process.env.EIOR_TIKTOK_DIR ?? path.resolve(__dirname, '..', '..', '..', 'shared', 'data', 'tiktok');
