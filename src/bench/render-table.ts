import type {
  AckResult,
  BenchReport,
  EndToEndResult,
  RecoveryResult,
  StartupResult,
} from './report.ts';

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

const n = (value: number | null): string =>
  value === null ? '—' : value.toLocaleString('en-US', { maximumFractionDigits: 2 });

/** The report as Markdown tables (what docs/benchmarks.md shows). */
export function renderTable(report: BenchReport): string {
  // Long on purpose: one table per scenario in the order docs/benchmarks.md shows them; each block is a flat column list.
  const m = report.machine;
  const out: string[] = [
    `machine: ${m.cores} cores (${m.cpuModel}), ${m.memoryGb} GB, ${m.platform}, Node ${m.nodeVersion}; ${m.secondsPerRun} s per load run`,
  ];
  const ack = report.results.filter((r): r is AckResult => r.scenario === 'ack');
  if (ack.length > 0) {
    out.push(
      '',
      'ack throughput (closed loop; notifications/s = messages/s × batch)',
      '',
      table(
        [
          'target',
          'batch',
          'conns',
          'notifications/s',
          'messages/s',
          'ack p50 ms',
          'ack p99 ms',
          'RSS MB',
          'failures',
        ],
        ack.map((r) => [
          r.target,
          String(r.batch),
          String(r.concurrency),
          n(r.notificationsPerSec),
          n(r.messagesPerSec),
          n(r.ackP50Ms),
          n(r.ackP99Ms),
          n(r.rssMb),
          String(r.failures),
        ]),
      ),
      '',
      'same-run ratios of notifications/s at 32 connections',
      '',
      table(
        ['ratio', 'value'],
        [
          ['batch 1: sqlite / baseline', n(report.ratios.batch1.sqliteVsBaseline)],
          ['batch 1: sqlite / node-soap', n(report.ratios.batch1.sqliteVsNodeSoap)],
          ['batch 1: postgres / baseline', n(report.ratios.batch1.postgresVsBaseline)],
          ['batch 1: postgres / node-soap', n(report.ratios.batch1.postgresVsNodeSoap)],
          ['batch 100: sqlite / node-soap', n(report.ratios.batch100.sqliteVsNodeSoap)],
          ['batch 100: postgres / node-soap', n(report.ratios.batch100.postgresVsNodeSoap)],
        ],
      ),
    );
  }
  const e2e = report.results.filter((r): r is EndToEndResult => r.scenario === 'end-to-end');
  if (e2e.length > 0) {
    out.push(
      '',
      `end to end: close → order number on the Opportunity (highest sustained rate: ${n(report.sustainedClosesPerSec)} closes/s)`,
      '',
      table(
        ['closes/s', 'closed', 'completed', 'p50 ms', 'p95 ms', 'p99 ms', 'backlog flat'],
        e2e.map((r) => [
          String(r.closesPerSec),
          String(r.closed),
          String(r.completed),
          n(r.e2eP50Ms),
          n(r.e2eP95Ms),
          n(r.e2eP99Ms),
          r.sustained ? 'yes' : 'no',
        ]),
      ),
    );
  }
  const recovery = report.results.filter((r): r is RecoveryResult => r.scenario === 'recovery');
  for (const r of recovery) {
    out.push(
      '',
      `recovery: ${n(r.queued)} queued, restart → first claimed notification ${n(r.firstClaimMs)} ms`,
    );
  }
  for (const r of report.results) {
    if (r.scenario !== 'api-calls') continue;
    out.push(
      '',
      `api-calls: ${n(r.closes)} close(s) at once → ${n(r.apiCalls)} Salesforce API calls, ${r.apiCallsPerOrder} per order (${n(r.completed)} completed)`,
    );
  }
  const startup = report.results.filter((r): r is StartupResult => r.scenario === 'startup');
  if (startup.length > 0) {
    const { memory } = report.ratios;
    out.push(
      '',
      `start-up: spawn → /healthz 200, median of ${startup[0]?.rounds ?? 0} (relay / baseline: ${n(report.ratios.startup.vsBaseline)}); relay RSS idle ${n(memory.relayIdleRssMb)} MB, after batch 100 ${n(memory.relayAfterBatch100RssMb)} MB`,
      '',
      table(
        ['target', 'start-up ms', 'idle RSS MB'],
        startup.map((r) => [r.target, n(r.startupMs), n(r.idleRssMb)]),
      ),
    );
  }
  const notes = [...report.skipped.map((s) => `${s.target}: ${s.reason}`), ...report.ratios.notes];
  if (notes.length > 0) out.push('', ...notes.map((note) => `note: ${note}`));
  return `${out.join('\n')}\n`;
}
