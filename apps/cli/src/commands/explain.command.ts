// `eior explain --dataset NAME --user ID [--item ID] [--top N]`: why the dataset's current model rates items as it
// does for a user: the rating, the weights α_I/α_E of the invariant and variant branches, each branch's score in
// ID, bias and modality parts, the user's environment, and the user's own items most like each one. The model is
// loaded, ranked and explained by the API's ServingModel, so the CLI and the API give the same figures.
import path from 'node:path';
import type { Command } from 'commander';
import { StaleModelError, artifactStoreFor, loadServingModel, type ServingModel } from '@eior/api';
import type { GraphClient } from '@eior/graph';
import { loadConfig } from '../config';
import { CliError } from '../errors';
import { explanationLines, type ItemExplanation } from '../explain/explanation-lines';
import { indexOfId } from '../explain/id-lookup';
import { withGraph } from '../graph-session';
import { report } from '../output';
import { modelsDir } from '../training/artifact-root';
import { parseIntegerOption } from './options';

interface ExplainOptions {
  dataset: string;
  user: string;
  item?: string;
  top: string;
  json: boolean;
}

/** Items of "because you watched" per explained item. */
const BECAUSE_YOU_WATCHED = 3;

export function registerExplainCommand(program: Command): void {
  program
    .command('explain')
    .description("Explain the current model's ratings for a user: branch weights, score parts per modality, environment, because you watched")
    .requiredOption('--dataset <name>', 'name of the dataset in the graph')
    .requiredOption('--user <id>', 'the user, by its id in the dataset files')
    .option('--item <id>', 'one item to explain, by its id (default: the user\'s top items)')
    .option('--top <n>', 'without --item: how many of the user\'s best items not seen in training (1..1000)', '10')
    .option('--json', 'print the figures as one JSON object on the last line of stdout', false)
    .action(async (opts: ExplainOptions) => {
      const top = parseIntegerOption('--top', opts.top, 1, 1000);
      const config = loadConfig();
      const lib = await import('@eior/model');
      await lib.selectBackend();
      const model = await withGraph(config, (client) => loadCurrentModel(client, modelsDir(config), opts.dataset));
      try {
        // a version trained before an append does not know who joined since: say so rather than "not in dataset"
        for (const [kind, id] of [['user', opts.user], ['item', opts.item]] as const) {
          const later = id === undefined ? null : model.joinedAfter(kind, id);
          if (later) throw new CliError(later);
        }
        const user = indexOfId('user', opts.user, model.userIds, opts.dataset);
        const item = opts.item === undefined ? null : indexOfId('item', opts.item, model.itemIds, opts.dataset);
        const seen = new Set(model.trainItemsOf(user));
        // the user's top items as the API ranks them: train items left out, best first
        const items = item !== null ? [item] : model.recommend(user, 0, top, true).items.map((r) => r.item);
        const explained: ItemExplanation[] = items.map((i) => ({
          item: model.itemId(i),
          seen: seen.has(i),
          ...model.weigh(user, i),
          becauseYouWatched: model.becauseYouWatched(user, i, BECAUSE_YOU_WATCHED).map((s) => ({ ...s, item: model.itemId(s.item) })),
          absentModalities: model.data.features.map((f) => f.modality).filter((name) => model.isAbsent(i, name)),
        }));
        const environment = model.environmentOf(user);
        const none = model.hasEnvironments ? '(none: no train items)' : '(the model has none)';
        report(
          opts.json,
          [
            `user ${opts.user} of '${opts.dataset}': model ${model.kind} ${model.version}, ${seen.size} train items, environment ${environment ?? none}`,
            ...explained.flatMap((e, k) => explanationLines(k + 1, e)),
          ],
          { dataset: opts.dataset, version: model.version, model: model.kind, user: opts.user, environment, items: explained },
        );
      } finally {
        model.dispose();
      }
    });
}

/**
 * The dataset's current version through the API's serving loader (the same checks as `eior serve`); a version
 * trained on other data or other feedback is refused with exit code 2, naming the command that retrains it.
 */
async function loadCurrentModel(client: GraphClient, models: string, dataset: string): Promise<ServingModel> {
  const version = await artifactStoreFor(models, dataset).current();
  if (!version) throw new CliError(`dataset '${dataset}' has no trained model in ${path.join(models, dataset)}: run \`eior train --dataset ${dataset}\``);
  try {
    return await loadServingModel(client, models, dataset, version);
  } catch (err) {
    if (err instanceof StaleModelError) throw new CliError(err.message);
    throw err;
  }
}
