// The MMRec dataset layout: one `<name>.inter` TSV and one `<modality>_feat.npy` per modality. MMRec's own names
// (image/v, audio/a, text/t) mean visual, acoustic and textual; any other name is a modality of that name.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { GraphError } from '../errors';

/** A modality's name: visual, acoustic or textual for MMRec's files, or the name a feature file gives. */
export type ModalityKind = string;

/** A modality name of our own choosing: a letter, then up to 31 letters, digits, `_` or `-`. */
export const MODALITY_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,31}$/;

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

/** The modality a name means (MMRec's prefixes mapped, others as they are), or null for a name that is not valid. */
export function modalityOf(name: string): ModalityKind | null {
  return MODALITY_PREFIXES[name] ?? (MODALITY_NAME.test(name) ? name : null);
}

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
    const modality = modalityOf(prefix);
    if (!modality) {
      throw new GraphError(
        'BAD_USER_INPUT',
        `${path.join(dir, f)}: modality name '${prefix}' is not valid: expected a letter, then up to 31 letters, digits, _ or - ` +
          `(${Object.keys(MODALITY_PREFIXES).join(', ')} are MMRec's names for visual, acoustic, textual)`,
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
