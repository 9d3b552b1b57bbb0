// The bulk import's way back (store-swap.ts) on a home folder of files: an import killed before its commit is undone
// (also when a first recovery was itself killed half-way), a committed one is finished, and a live import elsewhere
// is left alone.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { commitImport, interruptedImport, moveStoreAside, readSwapMarker, recoverStoreSwap } from '../../../../libs/graph/src/server/store-swap';

/** A pid that is no longer alive: a child that has exited. */
const deadPid = (spawnSync(process.execPath, ['-e', '0']).pid as number);

function home(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'eior-store-swap-'));
  for (const d of ['databases', 'transactions']) {
    mkdirSync(path.join(dir, 'data', d, 'neo4j'), { recursive: true });
    writeFileSync(path.join(dir, 'data', d, 'neo4j', 'store'), 'old');
  }
  return dir;
}

const content = (dir: string, d: string, name = 'neo4j') => {
  const file = path.join(dir, 'data', d, name, 'store');
  return existsSync(file) ? readFileSync(file, 'utf8') : null;
};

/** The import's result in place of the moved store, and the marker as a killed process (deadPid) left it. */
async function importedThenKilled(dir: string): Promise<void> {
  await moveStoreAside(dir, 'shop');
  for (const d of ['databases', 'transactions']) {
    mkdirSync(path.join(dir, 'data', d, 'neo4j'), { recursive: true });
    writeFileSync(path.join(dir, 'data', d, 'neo4j', 'store'), 'new');
  }
  const marker = (await readSwapMarker(dir))!;
  writeFileSync(path.join(dir, 'bulk-import.json'), JSON.stringify({ ...marker, pid: deadPid }));
}

describe('store swap of a bulk import', () => {
  const dirs: string[] = [];
  const fresh = () => {
    const d = home();
    dirs.push(d);
    return d;
  };
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('puts the old store back after a kill before the commit', async () => {
    const dir = fresh();
    await importedThenKilled(dir);
    expect(await interruptedImport(dir)).toBe(true);
    expect(await recoverStoreSwap(dir)).toBe('rolled back');
    expect([content(dir, 'databases'), content(dir, 'transactions')]).toEqual(['old', 'old']);
    expect(existsSync(path.join(dir, 'data', 'databases', 'neo4j.pre-bulk'))).toBe(false);
    expect(await readSwapMarker(dir)).toBeNull();
    expect(await recoverStoreSwap(dir)).toBeNull();
  });

  it('finishes a recovery that was killed after it restored one of the two folders', async () => {
    const dir = fresh();
    await importedThenKilled(dir);
    rmSync(path.join(dir, 'data', 'databases', 'neo4j'), { recursive: true });
    spawnSync('mv', [path.join(dir, 'data', 'databases', 'neo4j.pre-bulk'), path.join(dir, 'data', 'databases', 'neo4j')]);
    expect(await recoverStoreSwap(dir)).toBe('rolled back');
    expect([content(dir, 'databases'), content(dir, 'transactions')]).toEqual(['old', 'old']);
  });

  it('keeps a committed import and lets the old store go, also when the clean-up was killed', async () => {
    const dir = fresh();
    await importedThenKilled(dir);
    const marker = (await readSwapMarker(dir))!;
    writeFileSync(path.join(dir, 'bulk-import.json'), JSON.stringify({ ...marker, phase: 'done' }));
    expect(await recoverStoreSwap(dir)).toBe('committed');
    expect([content(dir, 'databases'), content(dir, 'transactions')]).toEqual(['new', 'new']);
    expect(content(dir, 'transactions', 'neo4j.pre-bulk')).toBeNull();
    const other = fresh();
    await moveStoreAside(other, 'shop');
    await commitImport(other, { dataset: 'shop', pid: process.pid, at: '' });
    expect(await readSwapMarker(other)).toBeNull();
    expect(content(other, 'databases', 'neo4j.pre-bulk')).toBeNull();
  });

  it('leaves an import of a live process alone: its own without being asked, another one refused', async () => {
    const dir = fresh();
    await moveStoreAside(dir, 'shop');
    expect(await interruptedImport(dir)).toBe(false);
    expect(await recoverStoreSwap(dir)).toBeNull();
    const marker = (await readSwapMarker(dir))!;
    writeFileSync(path.join(dir, 'bulk-import.json'), JSON.stringify({ ...marker, pid: process.ppid }));
    expect(await interruptedImport(dir)).toBe(false);
    await expect(recoverStoreSwap(dir)).rejects.toThrow(`a bulk import (pid ${process.ppid}, dataset 'shop') is running`);
    writeFileSync(path.join(dir, 'bulk-import.json'), JSON.stringify(marker));
    expect(await recoverStoreSwap(dir, true)).toBe('rolled back');
    expect(content(dir, 'databases')).toBe('old');
  });
});
