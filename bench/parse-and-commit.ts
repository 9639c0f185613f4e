/**
 * First figure for the benchmark issue: time to parse a 100-notification outbound message and
 * commit it to the SQLite inbox, median of many runs, with a same-run baseline (a bare
 * better-sqlite3 transaction inserting 100 rows with the same durability settings).
 *
 *   npx tsx bench/parse-and-commit.ts [runs]
 */
import Database from 'better-sqlite3';
import { openSqliteInbox } from '../src/inbox/index.ts';
import {
  parseOutboundMessage,
  renderOutboundMessage,
  type OutboundMessage,
} from '../src/soap/index.ts';
import { makeTempDir } from '../test/support/temp-dir.ts';

const runs = Number(process.argv[2] ?? 300);

function message(run: number): OutboundMessage {
  const tag = run.toString(36).padStart(4, '0');
  return {
    organizationId: '00D5g000004XyZ1EAK',
    actionId: '04k5g000000AbCdAAK',
    sessionId: null,
    enterpriseUrl: 'https://acme.my.salesforce.com/services/Soap/c/60.0/00D5g000004XyZ1',
    partnerUrl: 'https://acme.my.salesforce.com/services/Soap/u/60.0/00D5g000004XyZ1',
    notifications: Array.from({ length: 100 }, (_, i) => {
      const n = `${tag}${String(i).padStart(2, '0')}`;
      // 15 significant characters must differ: Salesforce ids are unique on their first 15.
      const serial = String(run * 100 + i).padStart(10, '0');
      return {
        id: `04l5g${serial}AAA`,
        sObject: {
          type: 'Opportunity',
          id: `0065g${serial}AAA`,
          fields: {
            AccountId: '0015g00000Lm3nOAAR',
            Amount: '12000.0',
            CloseDate: '2026-11-20',
            Name: `Acme Fibre 1 Gbps - 36 months #${n}`,
            StageName: 'Closed Won',
          },
        },
      };
    }),
  };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
};

const dir = makeTempDir('sf-relay-bench-');
try {
  const inbox = openSqliteInbox(dir.file('relay.db'));
  const raw = new Database(dir.file('raw.db'));
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = FULL');
  raw.exec('CREATE TABLE t (id TEXT PRIMARY KEY, body TEXT NOT NULL)');
  const insert = raw.prepare('INSERT INTO t (id, body) VALUES (?, ?) ON CONFLICT (id) DO NOTHING');
  const insertAll = raw.transaction((rows: readonly [string, string][]) =>
    rows.forEach((row) => insert.run(row)),
  );

  const bodies = Array.from({ length: runs }, (_, run) =>
    Buffer.from(renderOutboundMessage(message(run))),
  );
  const parse: number[] = [];
  const commit: number[] = [];
  const total: number[] = [];
  const baseline: number[] = [];
  for (const [run, body] of bodies.entries()) {
    const t0 = performance.now();
    const parsed = parseOutboundMessage(body);
    const t1 = performance.now();
    await inbox.store(parsed);
    const t2 = performance.now();
    parse.push(t1 - t0);
    commit.push(t2 - t1);
    total.push(t2 - t0);
    const rows = parsed.notifications.map((n): [string, string] => [
      `${run}-${n.id}`,
      JSON.stringify(n),
    ]);
    const t3 = performance.now();
    insertAll(rows);
    baseline.push(performance.now() - t3);
  }
  await inbox.close();
  raw.close();
  const result = {
    runs,
    bodyBytes: bodies[0]?.byteLength,
    parseMsP50: median(parse),
    commitMsP50: median(commit),
    parseAndCommitMsP50: median(total),
    baselineRawInsertMsP50: median(baseline),
    commitVsBaseline: median(commit) / median(baseline),
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} finally {
  dir.remove();
}
