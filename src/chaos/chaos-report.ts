import { redactUrlCredentials } from '../config/index.ts';
import { renderLabelledRows } from '../shared/index.ts';

/** The chaos run's verdict; the JSON form has exactly these keys. */
export interface ChaosReport {
  readonly closed: number;
  readonly orders: number;
  readonly callbacks: number;
  readonly lost: number;
  readonly doubled: number;
  readonly kills: number;
  readonly erpFaults: number;
  readonly sfFaults: number;
  readonly seconds: number;
  readonly ok: boolean;
}

/** What the run saw beyond the report: for people, not for the JSON contract. */
export interface ChaosDetails {
  readonly seed: number;
  readonly db: string;
  readonly sessionExpiries: number;
  /** Disruptions carried out (see `--erp-outage`, `--db-restarts`, `--disk-faults`). */
  readonly erpOutages: number;
  readonly dbRestarts: number;
  readonly diskFaults: number;
  readonly problems: readonly string[];
  readonly logDir: string | undefined;
}

export function renderChaosJson(report: ChaosReport): string {
  const { closed, orders, callbacks, lost, doubled, kills, erpFaults, sfFaults, seconds, ok } =
    report;
  return `${JSON.stringify({ closed, orders, callbacks, lost, doubled, kills, erpFaults, sfFaults, seconds, ok })}\n`;
}

export function renderChaosTable(report: ChaosReport, details: ChaosDetails): string {
  const rows: [string, string][] = [
    ['inbox', redactUrlCredentials(details.db)],
    ['Opportunities closed', String(report.closed)],
    ['ERP orders', String(report.orders)],
    ['callbacks (number on the record)', String(report.callbacks)],
    ['lost', String(report.lost)],
    ['doubled', String(report.doubled)],
    ['relay processes SIGKILLed', String(report.kills)],
    ['ERP faults injected', String(report.erpFaults)],
    ['Salesforce API faults injected', String(report.sfFaults)],
    ['every session expired', `${details.sessionExpiries} times`],
    ...(details.erpOutages > 0
      ? [['ERP outages (every call refused)', String(details.erpOutages)] as [string, string]]
      : []),
    ...(details.dbRestarts > 0
      ? [['database server restarts', String(details.dbRestarts)] as [string, string]]
      : []),
    ...(details.diskFaults > 0
      ? [['stretches with an unwritable disk', String(details.diskFaults)] as [string, string]]
      : []),
    ['seconds', String(report.seconds)],
    ['seed', String(details.seed)],
    [
      'result',
      report.ok
        ? 'ok: every Opportunity has exactly one order and its number; nothing left but done; no secret in any log'
        : 'NOT OK',
    ],
  ];
  return `\n${renderLabelledRows(rows)}\n${renderProblems(details)}`;
}

/** Why a run failed and how to repeat it; empty for a run that passed. */
export function renderProblems(details: ChaosDetails): string {
  if (details.problems.length === 0) return '';
  return (
    `\n${details.problems.map((p) => `  problem: ${p}`).join('\n')}\n` +
    `  reproduce: sf-relay chaos --seed ${details.seed} (same counts and rates)\n` +
    (details.logDir === undefined ? '' : `  logs kept in ${details.logDir}\n`)
  );
}
