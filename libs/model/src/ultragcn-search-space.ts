// What `eior tune` may change in UltraGCN (and in the EIOR kinds' backbone), and over which ranges. The ranges span
// the values the reference configs use across datasets, not one dataset's optimum: UltraGCN's official configs
// (γ 1e-4, λ 1e-7 to 2.75, 75 to 1,500 negatives), InvRL's multimodal copy (lr 1e-3, γ 2e-4, γ_W 2e-2, 50 negatives)
// and the TikTok preset (sampled softmax τ 1, γ 3e-2, γ_W 20, λ 5, lr 2e-3, history w 0.3, ID pretraining). Everything else keeps the base preset's value.
import { TIKTOK_PRESET, type UltraGcnConfig } from './config';
import { validatePortfolio, validateSearchSpace, type SearchSpace } from './tuning/search-space';

/** ID-only UltraGCN. */
export const ULTRAGCN_SEARCH_SPACE: SearchSpace<UltraGcnConfig> = validateSearchSpace<UltraGcnConfig>(
  {
    /** Adam learning rate. */
    lr: { kind: 'log', min: 5e-4, max: 1e-2 },
    /** γ: L2 on the embeddings; sparse data wants more. */
    gamma: { kind: 'log', min: 1e-4, max: 1e-1 },
    /** λ: weight of the item-item constraint L_I. */
    lambda: { kind: 'log', min: 1e-2, max: 10 },
    /** |N(u, i)|: negatives per positive pair. */
    negativeNum: { kind: 'choice', values: [25, 50, 100, 200] },
    /** negative_weight: how much the negatives count against the positive (the BCE only). */
    negativeWeight: { kind: 'log', min: 1, max: 100 },
    /** τ of the sampled softmax, or 0: UltraGCN's weighted BCE. */
    softmaxTemperature: { kind: 'choice', values: [0, 0.5, 1, 2] },
    /** w of the user-history term [ours]: 0 off; sparse users borrow their items' vectors. */
    userHistoryWeight: { kind: 'choice', values: [0, 0.1, 0.3, 1] },
    /** Whether a training row's history mean leaves its own positive out (FISM) [ours]. */
    userHistoryLeaveOneOut: { kind: 'choice', values: [true, false] },
    /** Start from the popularity ranking (a log-degree column in V) [ours]. */
    popularityInit: { kind: 'choice', values: [true, false] },
  },
  TIKTOK_PRESET,
);

/** UltraGCN with item features (the EIOR kinds' backbone): the ID space plus the projection and content neighbours. */
export const ULTRAGCN_FEATURES_SEARCH_SPACE: SearchSpace<UltraGcnConfig> = validateSearchSpace<UltraGcnConfig>(
  {
    ...ULTRAGCN_SEARCH_SPACE,
    /** γ_W: L2 on the feature projection W, b; small lets content carry the score, large keeps it to the ids. */
    projectionGamma: { kind: 'log', min: 1e-3, max: 100 },
    /** Total ω of an item's content neighbours in L_I [ours]. */
    iiContentWeight: { kind: 'log', min: 1e-3, max: 0.2 },
    /** Whether the user-history mean covers the feature half too, or the ID half only [ours]. */
    userHistoryFeatures: { kind: 'choice', values: [true, false] },
    /** Train the ID-only model first and start the multimodal one from it [ours]. */
    idPretrain: { kind: 'choice', values: [true, false] },
  },
  TIKTOK_PRESET,
);

/** The space of a model kind: with or without features. */
export function ultraGcnSearchSpace(useFeatures: boolean): SearchSpace<UltraGcnConfig> {
  return useFeatures ? ULTRAGCN_FEATURES_SEARCH_SPACE : ULTRAGCN_SEARCH_SPACE;
}

/** A point of the space the tuner tries before it samples, with what it is for. */
export interface PortfolioPoint {
  name: string;
  about: string;
  settings: Partial<UltraGcnConfig>;
}

const DEFAULTS_POINT: PortfolioPoint = { name: 'defaults', about: 'the preset as it is', settings: {} };

/**
 * Start from the popularity ranking and leave each row's positive out of its history mean [ours]: where the model
 * cannot beat popularity it keeps popularity's ranking instead of falling below it (docs/method.md#9-model-selection-the-popularity-floor-and-tuning).
 */
const POPULARITY_START_POINT: PortfolioPoint = {
  name: 'popularity start',
  about: 'the preset from the popularity ranking, history without the row\'s own item',
  settings: { popularityInit: true, userHistoryLeaveOneOut: true },
};

/**
 * The content profile [ours]: the user's feature half is w · (W x̄_u + b), the projected mean content of the user's own
 * train items (leave-one-out in training), ids and free user vectors held small (γ 0.1), a light projection (γ_W 0.1),
 * the popularity start. What data with a strong personal content taste and flat popularity needs
 * (zoo-flat-popularity), and what TikTok's defaults (γ_W 20) rule out.
 */
const CONTENT_PROFILE_POINT: PortfolioPoint = {
  name: 'content profile',
  about: 'user side from the content of the user\'s own items, popularity start',
  settings: { popularityInit: true, userHistoryLeaveOneOut: true, userHistoryFeatures: true, userHistoryWeight: 1, projectionGamma: 0.1, gamma: 0.1, idPretrain: false },
};

/** What the tuner tries first for a model kind, validated against its space. */
export function ultraGcnPortfolio(useFeatures: boolean): readonly PortfolioPoint[] {
  const points = useFeatures ? [DEFAULTS_POINT, POPULARITY_START_POINT, CONTENT_PROFILE_POINT] : [DEFAULTS_POINT, POPULARITY_START_POINT];
  validatePortfolio(points.map((p) => p.settings), ultraGcnSearchSpace(useFeatures));
  return points;
}
