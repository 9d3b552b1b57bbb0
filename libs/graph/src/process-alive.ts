// Whether a process runs, for the records that name one by pid (Neo4j's pid file, an ingest's lease, a serving API,
// the mix workers' CPU group): one answer to the question everywhere.

/** True while a process with `pid` exists (EPERM: it exists but belongs to someone else); a zombie still counts. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
