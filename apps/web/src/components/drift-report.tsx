// The drift report, one section per kind of comparison: charts of (method, value, threshold) with drifted
// values in red, the exact values in a table, and an empty state that says why a kind is absent.
import type { ReactNode } from 'react';
import type { DriftComparisonKind, DriftQuery } from '@/generated/graphql';
import { DRIFT_KINDS, driftedShareGroup, groupByMethod, groupBySubject, subjectLabel, thresholdRule, type DriftGroup } from '@/lib/drift';
import { formatCount, formatDrift, formatPercent, formatTime } from '@/lib/format';
import { DriftChart } from './drift-chart';
import { EmptyState } from './notices';

type Report = DriftQuery['drift'];
type Comparison = Report['comparisons'][number];

/** Why a kind has no comparison in this report. */
function absentReason(kind: DriftComparisonKind, report: Report): ReactNode {
  switch (kind) {
    case 'ENVIRONMENT':
      return `Model ${report.modelVersion} has no environments (only EIOR-style models infer them), so there is nothing to compare between environments.`;
    case 'TIME_WINDOW':
      return report.hasTimestamps
        ? 'No later period to compare with: the validation and test splits and the recorded feedback are empty.'
        : 'This dataset has no timestamps: no time windows. (A window against feedback appears once interactions are recorded through the API.)';
    case 'SERVED':
      return 'No recommendation with an attention weight α_I has been served by this API process yet (or the model has no two branches): ask for some recommendations, then reload.';
    case 'MODEL_VERSION':
      return `No previous version to compare ${report.modelVersion} with: train another version of the dataset to see the top-K overlap.`;
  }
}

function Charts({ groups }: { groups: DriftGroup[] }) {
  return (
    <div className="grid">
      {groups.map((g) => (
        <DriftChart key={g.key} group={g} rule={thresholdRule(g.method, g.threshold)} />
      ))}
    </div>
  );
}

function ComparisonHeader({ c }: { c: Comparison }) {
  return (
    <div className="spread" data-testid="comparison" data-name={c.name} data-drifted={c.drifted}>
      <span>
        <strong>{c.name}</strong>{' '}
        <span className={`badge ${c.drifted ? 'badge-drifted' : 'badge-stable'}`}>{c.drifted ? 'drifted' : 'no drift'}</span>
      </span>
      <span className="muted small">
        {formatPercent(c.driftedShare)} of subjects drifted · {c.current} ({formatCount(c.currentSize)} rows) vs {c.reference} ({formatCount(c.referenceSize)} rows)
      </span>
    </div>
  );
}

function ValuesTable({ comparisons }: { comparisons: Comparison[] }) {
  return (
    <details>
      <summary data-testid="values-toggle">Exact values ({comparisons.reduce((s, c) => s + c.values.length, 0)})</summary>
      <table>
        <thead>
          <tr>
            <th>comparison</th>
            <th>subject</th>
            <th>method</th>
            <th className="num">value</th>
            <th className="num">threshold</th>
            <th>drifted</th>
            <th className="num">PSI</th>
          </tr>
        </thead>
        <tbody>
          {comparisons.flatMap((c) =>
            c.values.map((v, k) => (
              <tr key={`${c.name}|${k}`} className={v.drifted ? 'drifted' : undefined} data-testid="drift-value" data-comparison={c.name} data-subject={subjectLabel(v)}>
                <td>{c.name}</td>
                <td>{subjectLabel(v)}</td>
                <td>{v.method}</td>
                <td className="num" data-testid="drift-value-number">{formatDrift(v.value)}</td>
                <td className="num">{v.threshold}</td>
                <td>{v.drifted ? 'yes' : 'no'}</td>
                <td className="num">{v.psi === null ? '–' : `${formatDrift(v.psi)} (${v.psiBand})`}</td>
              </tr>
            )),
          )}
        </tbody>
      </table>
    </details>
  );
}

function KindSection({ kind, comparisons, report }: { kind: DriftComparisonKind; comparisons: Comparison[]; report: Report }) {
  const meta = DRIFT_KINDS.find((k) => k.kind === kind)!;
  return (
    <section data-testid={`drift-kind-${kind}`}>
      <h2>
        {meta.title} <span className="muted small">({kind}: {meta.about})</span>
      </h2>
      {!comparisons.length ? (
        <EmptyState testId={`drift-empty-${kind}`}>{absentReason(kind, report)}</EmptyState>
      ) : kind === 'ENVIRONMENT' ? (
        <div className="stack">
          <Charts groups={[driftedShareGroup(comparisons), ...groupBySubject(comparisons)]} />
          <ValuesTable comparisons={comparisons} />
        </div>
      ) : (
        <div className="stack">
          {comparisons.map((c, k) => (
            <div key={c.name} className="stack">
              <ComparisonHeader c={c} />
              <Charts groups={groupByMethod(c, `${kind}${k}`)} />
            </div>
          ))}
          <ValuesTable comparisons={comparisons} />
        </div>
      )}
    </section>
  );
}

export function DriftReportView({ report }: { report: Report }) {
  const drifted = report.comparisons.filter((c) => c.drifted).length;
  if (report.state === 'NOT_READY' || report.computedAt === null) {
    return (
      <p className="muted small" data-testid="drift-not-ready">
        The drift report of model {report.modelVersion} is being built in the background (it starts when a version begins serving): reload in a minute.
      </p>
    );
  }
  const stale = report.state === 'STALE' ? ' · about an earlier version: the served one\'s is being built' : '';
  return (
    <div data-testid="drift-report" data-has-timestamps={report.hasTimestamps}>
      <p className="muted small">
        Model {report.modelVersion} · computed {formatTime(report.computedAt)} ({Math.round(report.ageSeconds ?? 0)} s ago){stale} · {drifted} of {report.comparisons.length}{' '}
        comparisons drifted (at least half their subjects past the threshold) · timestamps: {report.hasTimestamps ? 'yes' : 'no'}
      </p>
      {DRIFT_KINDS.map(({ kind }) => (
        <KindSection key={kind} kind={kind} report={report} comparisons={report.comparisons.filter((c) => c.kind === kind)} />
      ))}
    </div>
  );
}
