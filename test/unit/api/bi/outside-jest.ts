// Loads a package with Node's own require, outside jest's sandbox. PGlite's CommonJS build imports node:fs and
// friends with import(), which the sandbox refuses unless node runs with --experimental-vm-modules; use as
//   jest.mock('@electric-sql/pglite', () => jest.requireActual('./outside-jest').requireOutsideJest('@electric-sql/pglite'));
// Values it returns come from another realm: `instanceof Date` is false for its Dates (the BI code never asks).
import * as sandboxModule from 'node:module';

export function requireOutsideJest(id: string): unknown {
  // jest gives test code a subclass of Node's Module whose createRequire stays in the sandbox; its parent is Node's
  const nodeModule = Object.getPrototypeOf(sandboxModule.Module) as typeof sandboxModule.Module;
  return nodeModule.createRequire(__filename)(id);
}
