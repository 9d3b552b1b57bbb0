// MMRec files: NumPy feature matrices and the generator of synthetic datasets with a planted shift.
export * from './npy';
export { decodeFloat16, encodeFloat16 } from './float16';
export * from './generate-config';
export * from './generate';
export { INTER_HEADER as GENERATED_INTER_HEADER, periodOf, spuriousProfile } from './generate-interactions';
export type { PlantedItems, PlantedModality } from './planted-items';
export type { LatentFactors } from './latent-factors';
export { Prng } from './prng';
export { AliasTable } from './alias-table';
