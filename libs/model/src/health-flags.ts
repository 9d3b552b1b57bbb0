// Degenerate explanation splits in words (docs/method.md#explanation-health): where a version's
// explanations carry no information, the CLI, the API and the dashboard say so instead of drawing the parts as if
// they meant something. Thresholds are named here once.
import type { ExplanationHealth } from './explanation-health';

export type HealthFlagCode = 'MASK_EMPTY' | 'MASK_FULL' | 'NOTHING_STABLE' | 'ALPHA_FLAT' | 'CONTENT_TINY' | 'PARTS_UNFAITHFUL' | 'EVIDENCE_FLAT';

export interface HealthFlag {
  code: HealthFlagCode;
  message: string;
}

/** α_I with a standard deviation below this over the served pairs does not tell pairs apart. */
export const ALPHA_FLAT_STD = 0.01;
/** Content (all modality parts together) below this share of the rating is noise next to ids and biases. */
export const CONTENT_TINY_SHARE = 0.01;
/** A branch score that moves by more than this beyond its stated part when the modality is zeroed. */
export const PARTS_TOLERANCE = 1e-3;
/** The named items' evidence must beat random history items by this ratio to mean more than the history's size. */
export const EVIDENCE_RATIO = 1.5;

const percent = (x: number): string => `${(100 * x).toFixed(x < 0.001 ? 3 : 1)} %`;

export function healthFlags(health: Omit<ExplanationHealth, 'flags'>): HealthFlag[] {
  const flags: HealthFlag[] = [];
  const { mask, alpha, shares, modalities, becauseYouWatched: evidence } = health;
  if (mask && mask.columns > 0 && mask.kept === 0) {
    flags.push({ code: 'MASK_EMPTY', message: `the mask kept no feature column (of ${mask.columns}): the invariant branch uses item ids only` });
  } else if (mask && mask.columns > 0 && mask.kept === 1) {
    flags.push({ code: 'MASK_FULL', message: `the mask kept every feature column (of ${mask.columns}): the variant branch uses item ids only` });
  }
  if (mask && mask.columns > 0 && mask.kept > 0 && mask.stable === 0) {
    flags.push({
      code: 'NOTHING_STABLE',
      message: `no feature column stands out as stable across environments (of ${mask.columns}): the invariant/variant split of the content is not a finding`,
    });
  }
  if (alpha && alpha.std < ALPHA_FLAT_STD) {
    flags.push({ code: 'ALPHA_FLAT', message: `α_I is flat (std ${alpha.std.toFixed(4)} < ${ALPHA_FLAT_STD}, mean ${alpha.mean.toFixed(3)}): the attention does not tell pairs apart` });
  }
  if (shares && shares.content < CONTENT_TINY_SHARE) {
    flags.push({ code: 'CONTENT_TINY', message: `content carries under 1 % of the rating (${percent(shares.content)}): the modality parts are noise next to the item id` });
  }
  const worst = modalities.reduce((a, m) => Math.max(a, m.maxDeviation), 0);
  if (worst > PARTS_TOLERANCE) {
    flags.push({ code: 'PARTS_UNFAITHFUL', message: `removing a modality moved a branch score by up to ${worst.toExponential(2)} more than its stated part` });
  }
  if (evidence && (evidence.ratio === null || evidence.ratio < EVIDENCE_RATIO)) {
    const ratio = evidence.ratio === null ? 'no evidence in random items either' : `ratio ${evidence.ratio.toFixed(2)} < ${EVIDENCE_RATIO}`;
    flags.push({ code: 'EVIDENCE_FLAT', message: `the "because you interacted with" items carry little more co-occurrence evidence than random history items (${ratio})` });
  }
  return flags;
}
