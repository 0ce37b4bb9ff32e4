import type { CaseReport } from './measure.js';

const fmt = (n: number | null, digits: number) => (n === null ? '-' : n.toFixed(digits));

function targetText(r: CaseReport): string {
  const t = r.benchCase.target;
  if (!t) return '-';
  const parts: string[] = [];
  if (t.ratio !== undefined) parts.push(`≥ ${t.ratio.toFixed(2)}`);
  if (t.maxWritesPerRequest !== undefined) parts.push(`≤ ${t.maxWritesPerRequest} writes/req`);
  return parts.length > 0 ? parts.join(', ') : '-';
}

/** Whether the figures meet the case's target; targets are printed, never asserted. */
export function meetsTarget(r: CaseReport): boolean {
  const t = r.benchCase.target;
  if (r.failed > 0) return false;
  if (!t) return true;
  if (t.ratio !== undefined && r.ratio < t.ratio) return false;
  const writes = r.writesPerRequest ?? 0;
  // A few writes per 10,000 requests are the throttled touch, not a write per request.
  return t.maxWritesPerRequest === undefined || writes <= t.maxWritesPerRequest + 0.001;
}

/** A Markdown table of the run, ready to paste into docs/benchmarks.md. */
export function formatTable(reports: readonly CaseReport[]): string {
  const header = [
    'case',
    'req/s',
    'bare req/s',
    'ratio (min–max)',
    'server CPU µs/req (bare)',
    'store reads/req',
    'store writes/req',
    'target',
    'met',
  ];
  const rows = reports.map((r) => [
    r.benchCase.title,
    fmt(r.rps, 0),
    fmt(r.bareRps, 0),
    `${fmt(r.ratio, 2)} (${fmt(Math.min(...r.ratios), 2)}–${fmt(Math.max(...r.ratios), 2)})`,
    `${fmt(r.cpuMicrosPerRequest, 1)} (${fmt(r.bareCpuMicrosPerRequest, 1)})`,
    fmt(r.readsPerRequest, 3),
    fmt(r.writesPerRequest, 3),
    targetText(r),
    `${meetsTarget(r) ? 'yes' : 'NO'}${r.failed > 0 ? ` (${r.failed} failed)` : ''}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
