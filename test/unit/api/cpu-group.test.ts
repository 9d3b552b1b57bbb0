// The mix workers' CPU control group: where this process's cgroup v1 cpu folder is (hand-written /proc/self/cgroup
// texts), making the group in a folder laid out like the hierarchy (its weight written, members appended, the groups
// of makers that are gone removed), and, where this machine lets the test make one (root on cgroup v1), a real group
// that a child process joins and that is gone once it is closed.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cpuGroupFolder, MIX_GROUP_SHARES, openMixGroup } from '../../../apps/api/src/cpu-group';
import { tempDir } from '../../helpers/temp-dir';
import { machineAllowsGroups } from '../../helpers/cpu-groups';

describe('cpuGroupFolder', () => {
  it('takes the line whose controllers include cpu', () => {
    expect(cpuGroupFolder('9:name=systemd:/\n4:memory:/x\n2:cpuacct:/\n1:cpu:/\n0::/\n', '/r')).toBe('/r');
    expect(cpuGroupFolder('5:cpu,cpuacct:/system.slice/eior.service\n0::/\n', '/r')).toBe('/r/system.slice/eior.service');
  });

  it('finds none on cgroup v2 alone', () => {
    expect(cpuGroupFolder('0::/user.slice\n', '/r')).toBeNull();
  });
});

describe('openMixGroup in a folder laid out like the hierarchy', () => {
  const tmp = tempDir('cpu-group');
  afterAll(() => tmp.remove());
  let made = 0;
  /** A fresh folder inside the test's temporary one. */
  const fresh = (): string => {
    const dir = path.join(tmp.dir, String(made++));
    mkdirSync(dir);
    return dir;
  };
  const DEAD = 2 ** 22 + 17; // above Linux's pid_max limit: never a live process

  it('makes eior-mix-<pid> with the least weight, adds members, and removes the groups of makers that are gone', () => {
    const root = fresh();
    writeFileSync(path.join(root, 'cgroup.procs'), '');
    writeFileSync(path.join(root, 'cpu.shares'), '1024');
    mkdirSync(path.join(root, `eior-mix-${DEAD}`));
    mkdirSync(path.join(root, `eior-mix-${process.pid}`));
    mkdirSync(path.join(root, 'eior-mixer'));
    const group = openMixGroup({ root, procCgroup: '1:cpu:/\n', pid: 4242 })!;
    expect(group.path).toBe(path.join(root, 'eior-mix-4242'));
    expect(readFileSync(path.join(group.path, 'cpu.shares'), 'utf8')).toBe(String(MIX_GROUP_SHARES));
    expect(group.add(31)).toBe(true);
    expect(readFileSync(path.join(group.path, 'cgroup.procs'), 'utf8')).toBe('31');
    // the dead maker's group is gone; a live maker's and a name that is not ours are kept
    expect([existsSync(path.join(root, `eior-mix-${DEAD}`)), existsSync(path.join(root, `eior-mix-${process.pid}`)), existsSync(path.join(root, 'eior-mixer'))]).toEqual([false, true, true]);
  });

  it('gives null where there is no cpu hierarchy to write', () => {
    const root = fresh();
    expect(openMixGroup({ root, procCgroup: '1:cpu:/\n' })).toBeNull(); // no cgroup.procs or cpu.shares
    expect(openMixGroup({ root, procCgroup: '0::/\n' })).toBeNull();
  });
});

const onThisMachine = machineAllowsGroups() ? it : it.skip;

describe('openMixGroup on this machine', () => {
  onThisMachine('puts a child process in a group of weight 2, and the group goes once the child has exited and it is closed', async () => {
    const group = openMixGroup()!;
    expect(group).not.toBeNull();
    expect(readFileSync(path.join(group.path, 'cpu.shares'), 'utf8').trim()).toBe(String(MIX_GROUP_SHARES));
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      expect(group.add(child.pid!)).toBe(true);
      expect(cpuGroupFolder(readFileSync(`/proc/${child.pid}/cgroup`, 'utf8'), '/sys/fs/cgroup/cpu')).toBe(group.path);
    } finally {
      child.kill();
    }
    await exited;
    group.close();
    expect(existsSync(group.path)).toBe(false);
  });
});
