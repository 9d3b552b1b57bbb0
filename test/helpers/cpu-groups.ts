// Whether the tests may make CPU control groups on this machine (root on cgroup v1), as `eior serve` does for its mix workers.
import { accessSync, constants, existsSync } from 'node:fs';

/** True where this process may make groups in the machine's cgroup v1 cpu hierarchy. */
export function machineAllowsGroups(): boolean {
  try {
    accessSync('/sys/fs/cgroup/cpu/cgroup.procs', constants.W_OK);
    return existsSync('/sys/fs/cgroup/cpu/cpu.shares');
  } catch {
    return false;
  }
}
