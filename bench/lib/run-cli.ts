// Runs `eior <args> --json` as a child process and returns its figures and its wall time.
import { spawn } from 'node:child_process';
import path from 'node:path';

// Compiled to bench/dist/lib/: the checkout's root is three folders up.
const CLI = path.resolve(__dirname, '..', '..', '..', 'apps', 'cli', 'bin', 'eior.js');

export interface CliFigures {
  wallSeconds: number;
  figures: Record<string, unknown>;
}

export function runCliJson(args: string[], env: NodeJS.ProcessEnv): Promise<CliFigures> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args, '--json'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`eior ${args.join(' ')} exited with ${code}`));
      const lines = stdout.trim().split('\n');
      resolve({ wallSeconds: (performance.now() - started) / 1000, figures: JSON.parse(lines[lines.length - 1]) });
    });
  });
}
