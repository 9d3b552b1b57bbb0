// Runs Neo4j's offline importer (`neo4j-admin database import full`, the AdminTool of the jars the launcher already
// resolved) on the `neo4j` database of a stopped project server: a JVM of its own, with the home folder as
// NEO4J_HOME and an empty configuration folder, its heap and off-heap memory bounded for a machine shared with others.
import { spawn } from 'node:child_process';
import { createWriteStream, promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { GraphError } from '../errors';
import { ensureLauncherBuilt, launcherClasspath, launcherPaths } from './launcher-build';

const ADMIN_MAIN_CLASS = 'org.neo4j.cli.AdminTool';
/** The importer's JVM heap; its caches live off the heap, bounded by IMPORT_OFF_HEAP (at 10,000,000 events it used 1.04 GiB there whatever the bound). */
const IMPORT_HEAP = '512m';
const IMPORT_OFF_HEAP = '768m';

export interface AdminImportOptions {
  /** The home folder of the stopped server (its store is in data/ below it). */
  home: string;
  nodes: { label: string; file: string }[];
  relationships: { type: string; file: string }[];
  /** One character between the elements of an array value. */
  arrayDelimiter: string;
  /** Each line the importer prints, but its rows of progress dots. */
  onLine?: (line: string) => void;
  /** Called with the importer's pid once it runs. */
  onSpawn?: (pid: number) => Promise<void>;
}

export interface AdminImportResult {
  /** The importer JVM's peak resident memory (VmHWM, sampled every second), MB; null where /proc cannot say. */
  peakRssMb: number | null;
}

/**
 * Imports into the `neo4j` database, which must not exist (the caller moved the old store aside). Everything the
 * importer prints also goes to logs/bulk-import.log in the home folder.
 */
export async function runAdminImport(options: AdminImportOptions): Promise<AdminImportResult> {
  const paths = launcherPaths();
  await ensureLauncherBuilt(undefined, paths);
  const conf = path.join(options.home, 'bulk-import-conf');
  await fs.mkdir(conf, { recursive: true });
  const codePoint = options.arrayDelimiter.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
  const args = [
    `-Xmx${IMPORT_HEAP}`, '-XX:+ExitOnOutOfMemoryError', '-cp', launcherClasspath(paths), ADMIN_MAIN_CLASS,
    'database', 'import', 'full',
    ...options.nodes.map((n) => `--nodes=${n.label}=${n.file}`),
    ...options.relationships.map((r) => `--relationships=${r.type}=${r.file}`),
    '--id-type=integer', `--array-delimiter=U+${codePoint}`, `--max-off-heap-memory=${IMPORT_OFF_HEAP}`,
    '--bad-tolerance=0', '--strict=true', `--report-file=${path.join(options.home, 'logs', 'bulk-import.report')}`,
    'neo4j',
  ];
  const env = { ...process.env, NEO4J_HOME: options.home, NEO4J_CONF: conf };
  await fs.mkdir(path.join(options.home, 'logs'), { recursive: true });
  const log = createWriteStream(path.join(options.home, 'logs', 'bulk-import.log'));
  let peakRssMb: number | null = null;
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn('java', args, { cwd: options.home, env, stdio: ['ignore', 'pipe', 'pipe'] });
      const sampler = setInterval(() => {
        const mb = peakRss(child.pid!);
        if (mb !== null) peakRssMb = Math.max(peakRssMb ?? 0, mb);
      }, 1000);
      child.once('close', () => clearInterval(sampler));
      let tail = '';
      const take = (chunk: Buffer) => {
        log.write(chunk);
        const text = chunk.toString('utf8');
        tail = (tail + text).slice(-6000);
        for (const line of text.split('\n')) if (line.trim() && !line.includes('....')) options.onLine?.(line);
      };
      child.stdout.on('data', take);
      child.stderr.on('data', take);
      child.once('spawn', () => void options.onSpawn?.(child.pid!).catch(reject));
      child.once('error', (err) => reject(new GraphError('INTERNAL', `the Neo4j importer could not be started: ${err.message}`, { cause: err })));
      child.once('close', (code, signal) => {
        if (code === 0) return resolve();
        reject(new GraphError('INTERNAL', `the Neo4j importer failed (${signal ?? `exit code ${code}`}):\n${tail.trim().split('\n').slice(-20).join('\n')}`));
      });
    });
  } finally {
    log.end();
  }
  return { peakRssMb };
}

/** VmHWM of a live process, MB; null when it cannot be read. */
function peakRss(pid: number): number | null {
  try {
    const kb = /VmHWM:\s*(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? null : Math.round(Number(kb) / 1024);
  } catch {
    return null;
  }
}
