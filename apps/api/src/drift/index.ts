// Public surface of the drift statistics: Evidently's default per-column drift rules, PSI and dataset drift,
// and the tests and distances behind them for callers that want one directly.
export {
  datasetDrift,
  detectDrift,
  inferColumnKind,
  psi,
  psiBand,
  selectDriftMethod,
  DEFAULT_DRIFT_SHARE,
  DRIFT_THRESHOLDS,
  MAX_REFERENCE_ROWS_FOR_TESTS,
  MAX_UNIQUE_AS_CATEGORICAL,
  PSI_BANDS,
  type ColumnKind,
  type DatasetDriftResult,
  type DriftMethod,
  type DriftOptions,
  type DriftResult,
  type PsiBand,
  type PsiResult,
} from './drift-test';
export { ksTest, kolmogorovSurvival, KS_MAX_EXACT_SIZE, type KsTestResult } from './ks-test';
export { chiSquareFromCounts, chiSquareTest, type ChiSquareResult } from './chi-square';
export { zTest, type ZTestResult } from './z-test';
export {
  jensenShannonDistance,
  normedWasserstein,
  populationStabilityIndex,
  wassersteinDistance,
  MIN_WASSERSTEIN_NORM,
} from './distances';
export { chiSquareSurvival, erfc, lnGamma, regularizedGammaP, regularizedGammaQ } from './special-functions';
export { DriftInputError } from './sample';
