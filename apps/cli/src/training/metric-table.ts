// Metrics as the CLI reports them: @eior/model's flat tables (`recall@20`, `ndcg@10`), the ones the artifacts and
// the staged EIOR pipeline (libs/model eior-pipeline.ts) use.
export { metricTable } from '@eior/model';
