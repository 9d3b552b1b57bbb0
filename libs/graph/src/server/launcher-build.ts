// Builds the Java launcher on first use: Maven fetches Neo4j's jars into launcher/lib, javac compiles the one
// class into launcher/target/classes. Both folders are git-ignored; a fresh clone builds them once.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { GraphError } from '../errors';
import { withFileLock } from './file-lock';
import { LAUNCHER_MAIN_CLASS } from './pid-file';

export interface LauncherPaths {
  dir: string;
  lib: string;
  classes: string;
  source: string;
  compiledClass: string;
  pom: string;
  /** Written after a complete Maven run; holds the hash of the pom it resolved. */
  resolvedMarker: string;
}

export type BuildStep = 'resolve' | 'compile';

/** libs/graph/launcher, found from src/server (ts-jest) and from dist/server (compiled) alike. */
export function launcherPaths(dir = path.resolve(__dirname, '..', '..', 'launcher')): LauncherPaths {
  const classFile = `${LAUNCHER_MAIN_CLASS.replace(/\./g, path.sep)}`;
  return {
    dir,
    lib: path.join(dir, 'lib'),
    classes: path.join(dir, 'target', 'classes'),
    source: path.join(dir, 'src', 'main', 'java', `${classFile}.java`),
    compiledClass: path.join(dir, 'target', 'classes', `${classFile}.class`),
    pom: path.join(dir, 'pom.xml'),
    resolvedMarker: path.join(dir, 'lib', '.eior-resolved'),
  };
}

/** The -cp argument: the launcher class and every jar Maven copied. */
export function launcherClasspath(paths: LauncherPaths): string {
  return [paths.classes, path.join(paths.lib, '*')].join(path.delimiter);
}

/**
 * Resolves and compiles what is missing or stale. Maven runs only when lib/ was never completed or the pom
 * changed since (a changed Neo4j version must not leave the old jars on the classpath).
 */
export async function ensureLauncherBuilt(
  onStep: (step: BuildStep, message: string) => void = () => undefined,
  paths: LauncherPaths = launcherPaths(),
): Promise<{ resolved: boolean; compiled: boolean }> {
  if (!existsSync(paths.pom) || !existsSync(paths.source)) {
    throw new GraphError('SERVER_START_FAILED', `the Neo4j launcher is incomplete: expected ${paths.pom} and ${paths.source}`);
  }
  // Two homes starting at once on a fresh clone must not both run Maven into the same lib/.
  await fs.mkdir(path.dirname(paths.classes), { recursive: true });
  return withFileLock(path.join(path.dirname(paths.classes), 'build.lock'), 'the Neo4j launcher build', () => buildUnderLock(onStep, paths));
}

async function buildUnderLock(
  onStep: (step: BuildStep, message: string) => void,
  paths: LauncherPaths,
): Promise<{ resolved: boolean; compiled: boolean }> {
  const pomHash = createHash('sha256').update(await fs.readFile(paths.pom)).digest('hex');
  const marker = existsSync(paths.resolvedMarker) ? (await fs.readFile(paths.resolvedMarker, 'utf8')).trim() : '';
  const resolved = marker !== pomHash;
  if (resolved) {
    onStep('resolve', 'Fetching Neo4j jars with Maven (about 125 MB on first use)');
    await fs.rm(paths.lib, { recursive: true, force: true });
    await runTool('mvn', ['-q', '-B', 'dependency:copy-dependencies', '-DoutputDirectory=lib', '-DincludeScope=runtime'], paths.dir,
      'Maven (mvn) 3.8+ is needed to fetch Neo4j: install it (e.g. `apt-get install -y maven`)');
    await fs.writeFile(paths.resolvedMarker, `${pomHash}\n`);
  }
  const compiled = resolved || (await isStale(paths.compiledClass, paths.source));
  if (compiled) {
    onStep('compile', 'Compiling the Neo4j launcher');
    await runTool('javac', ['--release', '17', '-d', paths.classes, '-cp', path.join(paths.lib, '*'), paths.source], paths.dir,
      'a JDK 17+ (javac) is needed to build the Neo4j launcher: install one (e.g. `apt-get install -y openjdk-17-jdk-headless`)');
  }
  return { resolved, compiled };
}

async function isStale(output: string, input: string): Promise<boolean> {
  try {
    const [out, src] = await Promise.all([fs.stat(output), fs.stat(input)]);
    return out.mtimeMs < src.mtimeMs;
  } catch {
    return true;
  }
}

/**
 * Runs a build tool with the caller's environment (so MAVEN_OPTS, a proxy or JAVA_HOME apply) and fails with
 * its last output lines, or with `missingHint` when it is not installed.
 */
export function runTool(command: string, args: string[], cwd: string, missingHint: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-8000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.once('error', (err: NodeJS.ErrnoException) => {
      const reason = err.code === 'ENOENT' ? `\`${command}\` was not found on PATH: ${missingHint}` : `${command} could not run: ${err.message}`;
      reject(new GraphError('SERVER_START_FAILED', reason, { cause: err }));
    });
    child.once('close', (code, signal) => {
      if (code === 0) return resolve();
      const tail = output.trim().split('\n').slice(-25).join('\n');
      reject(new GraphError('SERVER_START_FAILED',
        `\`${command} ${args.join(' ')}\` in ${cwd} failed (${signal ?? `exit code ${code}`})${tail ? `:\n${tail}` : ''}`));
    });
  });
}

/** Fails early, with an install hint, when no `java` runs: before Maven spends minutes on a download. */
export async function checkJava(): Promise<void> {
  await runTool('java', ['-version'], process.cwd(),
    'Java 17 or 21 is needed to run Neo4j 5: install one (e.g. `apt-get install -y openjdk-17-jdk-headless`)');
}
