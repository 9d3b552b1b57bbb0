// A CPU control group of low weight for the mix workers of `eior serve --workers N` (Linux, cgroup v1's cpu
// controller, where this process may make one: root, or a hierarchy delegated to its user). SCHED_IDLE
// (cpu-schedule.ts) orders threads within one scheduling group only: with autogroups (one group a session) the mix
// workers' CPU is charged to the group the priority worker shares with them, so when Neo4j's or another session's
// group wants a core the priority worker waits behind it. In a group of their own with weight MIX_GROUP_SHARES (of
// the usual 1,024) their CPU is charged there instead. Where no group can be made (cgroup v2, a read-only hierarchy,
// no privilege) the caller gets null and the mix workers keep SCHED_IDLE alone.
import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { processAlive } from '@eior/graph';

/** cpu.shares of the mix workers' group: the kernel's least weight is 2, a plain group's 1,024. */
export const MIX_GROUP_SHARES = 2;
/** The groups' names: the prefix and the pid of the process that made it (a group whose maker is gone is removed). */
const GROUP_PREFIX = 'eior-mix-';

export interface CpuGroup {
  /** The group's folder. */
  path: string;
  /** Moves every thread of process `pid` into the group (their later threads start in it); false when refused. */
  add(pid: number): boolean;
  /** Removes the group once its processes have exited (a group with processes in it stays until the next open). */
  close(): void;
}

/**
 * This process's folder of the cgroup v1 `cpu` hierarchy mounted at `root`, from /proc/self/cgroup's text (a line
 * `N:cpu,cpuacct:/path`); null without one (cgroup v2 only, or no cpu controller).
 */
export function cpuGroupFolder(procCgroup: string, root: string): string | null {
  for (const line of procCgroup.split('\n')) {
    const [, controllers, where] = line.split(':');
    if (controllers !== undefined && where !== undefined && controllers.split(',').includes('cpu')) return path.join(root, ...where.split('/').filter(Boolean));
  }
  return null;
}

/**
 * Makes (or takes again) the group `eior-mix-<pid>` beside this process, with weight MIX_GROUP_SHARES, after removing
 * the groups of makers that are gone. `root`: the v1 cpu hierarchy's mount; `procCgroup`: /proc/self/cgroup's text
 * (both for tests). Null where no group can be made.
 */
export function openMixGroup(options: { root?: string; procCgroup?: string; pid?: number } = {}): CpuGroup | null {
  const root = options.root ?? '/sys/fs/cgroup/cpu';
  const pid = options.pid ?? process.pid;
  let parent: string | null;
  try {
    parent = cpuGroupFolder(options.procCgroup ?? readFileSync('/proc/self/cgroup', 'utf8'), root);
  } catch {
    return null; // no /proc
  }
  if (parent === null || !existsSync(path.join(parent, 'cgroup.procs')) || !existsSync(path.join(parent, 'cpu.shares'))) return null;
  removeStaleGroups(parent);
  const folder = path.join(parent, `${GROUP_PREFIX}${pid}`);
  try {
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, 'cpu.shares'), String(MIX_GROUP_SHARES));
  } catch {
    return null; // read-only, or not ours to write
  }
  return {
    path: folder,
    add(member: number): boolean {
      try {
        appendFileSync(path.join(folder, 'cgroup.procs'), String(member));
        return true;
      } catch {
        return false;
      }
    },
    close(): void {
      try {
        rmdirSync(folder);
      } catch {
        // processes still in it (a worker that has not exited yet): the next open removes it
      }
    },
  };
}

/** Removes the `eior-mix-<pid>` groups under `parent` whose maker has exited (the kernel refuses one that holds processes). */
function removeStaleGroups(parent: string): void {
  let names: string[];
  try {
    names = readdirSync(parent).filter((n) => n.startsWith(GROUP_PREFIX));
  } catch {
    return;
  }
  for (const name of names) {
    const maker = Number(name.slice(GROUP_PREFIX.length));
    if (!Number.isInteger(maker) || maker <= 0 || processAlive(maker)) continue;
    try {
      rmdirSync(path.join(parent, name));
    } catch {
      // still holds processes, or not ours: left
    }
  }
}
