// The real client libraries of BI tools, fetched for tests from what these machines offer: pgjdbc from Maven
// Central (compiled against with javac), SQLAlchemy + psycopg2 and psycopg 3 from PyPI in a venv. Kept under
// .eior/bi-clients so later runs reuse them; a missing tool is an error that says what to install, never a skip.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const TOOLS_DIR = path.resolve(__dirname, '..', '..', '.eior', 'bi-clients');
const PROGRAMS = path.resolve(__dirname, '..', 'integration', 'bi-clients');

const PGJDBC_VERSION = '42.7.4';
const PYTHON_PACKAGES = ['psycopg2-binary==2.9.10', 'SQLAlchemy==2.0.36', 'psycopg[binary]==3.2.3'];

/** Runs a command to its end; throws with `hint` and the end of its output when it fails or is missing. */
export function run(command: string, args: string[], hint: string, options: { cwd?: string; timeoutMs?: number } = {}): string {
  const result = spawnSync(command, args, { cwd: options.cwd, encoding: 'utf8', timeout: options.timeoutMs ?? 600_000, maxBuffer: 64 * 1024 * 1024 });
  if (result.error || result.status !== 0) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().slice(-2000);
    throw new Error(`${command} ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`}): ${hint}\n${output}`);
  }
  return result.stdout;
}

/** A venv with psycopg2, psycopg 3 and SQLAlchemy; returns its python. */
export function pythonWithDrivers(): string {
  run('python3', ['--version'], 'python3 is needed for the BI client test: install python3 and python3-venv');
  const venv = path.join(TOOLS_DIR, 'venv');
  const python = path.join(venv, 'bin', 'python');
  if (!existsSync(python)) {
    mkdirSync(TOOLS_DIR, { recursive: true });
    run('python3', ['-m', 'venv', venv], 'python3 -m venv must work (on Debian: apt-get install python3-venv)');
  }
  const check = spawnSync(python, ['-c', 'import psycopg2, psycopg, sqlalchemy'], { encoding: 'utf8' });
  if (check.status !== 0) {
    run(python, ['-m', 'pip', 'install', '-q', '--disable-pip-version-check', ...PYTHON_PACKAGES], 'pip must reach PyPI to install the BI client drivers');
  }
  return python;
}

/** pgjdbc fetched with Maven and BiClients.java compiled against it; returns the java classpath. */
export function pgjdbcClasspath(): string {
  run('java', ['-version'], 'a JDK (java and javac 17+) is needed for the BI client test');
  run('javac', ['-version'], 'a JDK (javac 17+) is needed for the BI client test');
  const dir = path.join(TOOLS_DIR, 'jdbc');
  const jar = path.join(dir, 'lib', `postgresql-${PGJDBC_VERSION}.jar`);
  if (!existsSync(jar)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      path.join(dir, 'pom.xml'),
      `<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion><groupId>eior.test</groupId><artifactId>bi-clients</artifactId><version>1</version>
<dependencies><dependency><groupId>org.postgresql</groupId><artifactId>postgresql</artifactId><version>${PGJDBC_VERSION}</version></dependency></dependencies></project>\n`,
    );
    run('mvn', ['-q', '-B', 'dependency:copy-dependencies', '-DoutputDirectory=lib'], 'Maven (mvn) must reach Maven Central to fetch pgjdbc', { cwd: dir });
  }
  const classes = path.join(dir, 'classes');
  mkdirSync(classes, { recursive: true });
  run('javac', ['-d', classes, '-cp', jar, path.join(PROGRAMS, 'BiClients.java')], 'BiClients.java must compile');
  return [jar, classes].join(path.delimiter);
}

export const PYTHON_PROGRAM = path.join(PROGRAMS, 'python_clients.py');
