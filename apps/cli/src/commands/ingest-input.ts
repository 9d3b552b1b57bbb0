// The flags of `eior ingest --events FILE`: the events file's format and column names, and item features keyed
// by item id (`--features visual=img.npy --item-ids visual=img-ids.txt`, or `--features text=text.parquet`).
import path from 'node:path';
import { EVENT_FORMATS, EVENT_ROLES, MODALITY_PREFIXES, modalityOf, type EventColumns, type EventFormat, type EventsInput, type FeatureSource } from '@eior/graph';
import { CliError } from '../errors';
import { parseChoiceOption, parseIntegerOption } from './options';

export interface EventFlags {
  events: string;
  format?: string;
  userCol?: string;
  itemCol?: string;
  timestampCol?: string;
  ratingCol?: string;
  weightCol?: string;
  splitCol?: string;
  eventIdCol?: string;
  features: string[];
  itemIds: string[];
  featureIdCol?: string;
  seed: string;
}

/** Collects a repeatable flag's values. */
export const collect = (value: string, previous: string[]): string[] => [...previous, value];

const ROLE_FLAGS: Record<(typeof EVENT_ROLES)[number], keyof EventFlags> = {
  user: 'userCol',
  item: 'itemCol',
  timestamp: 'timestampCol',
  rating: 'ratingCol',
  weight: 'weightCol',
  split: 'splitCol',
};

export function eventsInput(flags: EventFlags): EventsInput {
  const columns: Partial<EventColumns> = {};
  for (const role of EVENT_ROLES) {
    const name = flags[ROLE_FLAGS[role]] as string | undefined;
    if (name !== undefined) {
      if (name === '') throw new CliError(`--${role}-col "" is not valid: expected a column name`);
      columns[role] = name;
    }
  }
  const idFiles = new Map(flags.itemIds.map((spec) => {
    const [modality, file] = modalitySpec('--item-ids', spec);
    return [modality, file] as const;
  }));
  const features: FeatureSource[] = flags.features.map((spec) => {
    const [modality, file] = modalitySpec('--features', spec);
    const ids = idFiles.get(modality);
    idFiles.delete(modality);
    return { modality, file, ...(ids ? { ids } : {}), ...(flags.featureIdCol ? { idColumn: flags.featureIdCol } : {}) };
  });
  if (idFiles.size > 0) throw new CliError(`--item-ids ${[...idFiles.keys()][0]}=... names a modality without --features: expected --features MODALITY=FILE beside it`);
  return {
    file: path.resolve(flags.events),
    ...(flags.format ? { format: parseChoiceOption<EventFormat>('--format', flags.format, EVENT_FORMATS) } : {}),
    columns,
    ...(flags.eventIdCol !== undefined ? { eventIdColumn: eventIdColumn(flags.eventIdCol) } : {}),
    features,
    seed: parseIntegerOption('--seed', flags.seed, 0, 2 ** 31 - 1),
  };
}

function eventIdColumn(name: string): string {
  if (name === '') throw new CliError('--event-id-col "" is not valid: expected a column name');
  return name;
}

function modalitySpec(flag: string, spec: string): [FeatureSource['modality'], string] {
  const eq = spec.indexOf('=');
  const modality = eq > 0 ? modalityOf(spec.slice(0, eq)) : null;
  if (!modality || eq === spec.length - 1) {
    throw new CliError(
      `${flag} ${JSON.stringify(spec)} is not valid: expected MODALITY=FILE with MODALITY a letter, then up to 31 letters, digits, _ or - ` +
        `(${Object.keys(MODALITY_PREFIXES).join(', ')} mean visual, acoustic, textual)`,
    );
  }
  return [modality, path.resolve(spec.slice(eq + 1))];
}
