// @eior/model: TensorFlow.js model code for EIOR. Knows nothing of Neo4j, GraphQL, HTTP, dataset files or the
// environment: it takes plain typed arrays (RecDataset) and typed configs. Call `await selectBackend()` before
// anything else: importing the package registers the wasm backend, which must initialise asynchronously.
export * from './types';
export * from './errors';
export * from './backend';
export * from './random';
export * from './config';
export * from './interactions';
export * from './graph-stats';
export * from './features';
export * from './sampler';
export * from './sparse-ops';
export * from './ultragcn-loss';
export * from './adam';
export * from './parameters';
export * from './ultragcn';
export * from './popularity';
export * from './top-k';
export * from './metrics';
export * from './evaluate';
export * from './trainer';
export * from './fit-ultragcn';
export * from './invariance-penalties';
export * from './eior-config';
export * from './frozen-backbone';
export * from './environments';
export * from './invariant-mask';
export * from './attention';
export * from './score-parts';
export * from './eior-scores';
export * from './eior';
export * from './fit-eior';
export * from './because-you-watched';
export * from './restore';
export * from './kernel-arena';
export { sleb, uleb } from './wasm-assembler';
export * from './artifacts';
