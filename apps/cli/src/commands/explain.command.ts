// `eior explain --dataset NAME --user ID [--item ID] [--top N]`: why the dataset's current model rates items as it
// does for a user: the rating, the weights α_I/α_E of the invariant and variant branches, each branch's score in
// ID, bias and modality parts, the user's environment, and the user's own items most like each one.
import type { Command } from 'commander';
import { exportTrainingData } from '@eior/graph';
import { loadConfig } from '../config';
import { CliError } from '../errors';
import { explanationLines, type ItemExplanation } from '../explain/explanation-lines';
import { indexOfId, topUnseenItems } from '../explain/id-lookup';
import { withGraph } from '../graph-session';
import { report } from '../output';
import { artifactRoot } from '../training/artifact-root';
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
      const { manifest, weights } = await new lib.ArtifactStore(artifactRoot(config, opts.dataset)).load();
      const data = await withGraph(config, (client) => exportTrainingData(client, opts.dataset, { feedbackUntil: manifest.dataset.feedback?.until }));
      if (manifest.dataset.fingerprint !== data.fingerprint) {
        throw new CliError(
          `model ${manifest.version} of '${opts.dataset}' was trained on other data (fingerprint ${manifest.dataset.fingerprint.slice(0, 12)}…, the graph's is ${data.fingerprint.slice(0, 12)}…): retrain with \`eior train --dataset ${opts.dataset} --model ${manifest.model}\``,
        );
      }
      const user = indexOfId('user', opts.user, data.userIds, opts.dataset);
      const item = opts.item === undefined ? null : indexOfId('item', opts.item, data.itemIds, opts.dataset);
      const seen = new Set<number>();
      for (let k = 0; k < data.train.users.length; k++) if (data.train.users[k] === user) seen.add(data.train.items[k]);

      const restored = lib.restoreModel(manifest.model, manifest.config, weights, data);
      try {
        const items = item !== null ? [item] : topUnseenItems(restored.model.scoreAllItems(Int32Array.of(user)), seen, top);
        const content = data.features.length > 0 ? lib.buildItemFeatures(data.numItems, data.features) : null;
        const similarity = new lib.ItemSimilarity(data.numUsers, data.numItems, data.train, content);
        const explained: ItemExplanation[] = items.map((i) => ({
          item: data.itemIds[i],
          seen: seen.has(i),
          ...restored.explain(user, i),
          becauseYouWatched: similarity.becauseYouWatched(user, i, BECAUSE_YOU_WATCHED).map((s) => ({ ...s, item: data.itemIds[s.item] })),
          absentModalities: data.features.filter((m) => m.present && !m.present[i]).map((m) => m.modality),
        }));
        const stored = weights.get('userEnvironment')?.[user];
        const environment = stored === undefined || stored < 0 ? null : stored;
        report(
          opts.json,
          [
            `user ${opts.user} of '${opts.dataset}': model ${manifest.model} ${manifest.version}, ${seen.size} train items, environment ${environment ?? (stored === undefined ? '(the model has none)' : '(none: no train items)')}`,
            ...explained.flatMap((e, k) => explanationLines(k + 1, e)),
          ],
          { dataset: opts.dataset, version: manifest.version, model: manifest.model, user: opts.user, environment, items: explained },
        );
      } finally {
        restored.model.dispose();
      }
    });
}
