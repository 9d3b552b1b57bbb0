// The MMRec dataset layout: one `<name>.inter` TSV and one `<modality>_feat.npy` per modality.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { GraphError } from '../errors';

export type ModalityKind = 'visual' | 'acoustic' | 'textual';

/** File-name prefixes of MMRec feature files and the modality each one means. */
export const MODALITY_PREFIXES: Readonly<Record<string, ModalityKind>> = {
  image: 'visual',
  v: 'visual',
  visual: 'visual',
  audio: 'acoustic',
  a: 'acoustic',
  acoustic: 'acoustic',
  text: 'textual',
  t: 'textual',
  textual: 'textual',
};

export interface FeatureFile {
  modality: ModalityKind;
  file: string;
}

export interface DatasetLayout {
  dir: string;
  interFile: string;
  features: FeatureFile[];
}

/** Finds the files of a dataset folder; refuses an ambiguous or incomplete folder with what was found. */
export async function locateDataset(dir: string): Promise<DatasetLayout> {
  let entries: string[];
  try {
    entries = (await fs.readdir(dir)).sort();
  } catch (err) {
    throw new GraphError('BAD_USER_INPUT', `cannot read dataset folder ${dir}: ${(err as Error).message}`, { cause: err });
  }
  const inters = entries.filter((f) => f.endsWith('.inter'));
  if (inters.length !== 1) {
    throw new GraphError(
      'BAD_USER_INPUT',
      `${dir}: expected exactly one <name>.inter file, found ${inters.length === 0 ? 'none' : inters.join(', ')}`,
    );
  }
  const features: FeatureFile[] = [];
  for (const f of entries.filter((e) => e.endsWith('_feat.npy'))) {
    const prefix = f.slice(0, -'_feat.npy'.length);
    const modality = MODALITY_PREFIXES[prefix];
    if (!modality) {
      throw new GraphError(
        'BAD_USER_INPUT',
        `${path.join(dir, f)}: unknown modality '${prefix}': expected one of ${Object.keys(MODALITY_PREFIXES).join(', ')}`,
      );
    }
    const twin = features.find((x) => x.modality === modality);
    if (twin) {
      throw new GraphError('BAD_USER_INPUT', `${dir}: ${path.basename(twin.file)} and ${f} both give the ${modality} modality`);
    }
    features.push({ modality, file: path.join(dir, f) });
  }
  return { dir, interFile: path.join(dir, inters[0]), features };
}
