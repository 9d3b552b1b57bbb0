// Shown while the drift page renders: a drift report takes a few seconds the first time (then it is cached).
export default function DriftLoading() {
  return (
    <>
      <h1>Environment drift</h1>
      <p className="loading" role="status">
        Computing the drift report: the first one for a model takes a few seconds…
      </p>
      <div className="skeleton" />
      <div className="skeleton" />
    </>
  );
}
