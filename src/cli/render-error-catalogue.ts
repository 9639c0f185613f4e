import type { ErrorCatalogue, ErrorDescription } from '../shared/index.ts';

export interface CataloguedError extends ErrorDescription {
  readonly code: string;
  readonly part: string;
}

export function flattenCatalogues(catalogues: readonly ErrorCatalogue[]): CataloguedError[] {
  return catalogues.flatMap((catalogue) =>
    Object.entries(catalogue.errors).map(([code, entry]) => ({
      code,
      part: catalogue.part,
      ...entry,
    })),
  );
}

function answerOf(entry: ErrorDescription): string {
  return entry.http === undefined ? '' : `${entry.http.status} ${entry.http.fault}`;
}

function retriedOf(entry: ErrorDescription): string {
  if (entry.retryable === undefined) return '';
  return entry.retryable ? 'retried' : 'dead';
}

/** A table cell: pipes escaped, one line. */
function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

const PREAMBLE = `# Error codes

Every code sf-relay answers a sender with, stores on a notification, or stops a command with.
The same list is printed by \`sf-relay errors\` (\`sf-relay errors CODE\` for one, \`--json\`
for machines). This page is generated from the catalogues in \`src/*/error-catalogue.ts\` by
\`npm run docs:errors\`; a test fails when it drifts from them.

- **Answer**: the HTTP status and SOAP fault code the listener replies with. A refusal stores
  nothing; Salesforce retries the message for 24 hours, then drops it.
- **Outcome**: for a failure while processing a stored notification, \`retried\` (with backoff,
  until \`worker.maxAgeHours\`, then dead) or \`dead\` at once. A dead notification keeps the
  code and the reason; \`sf-relay replay\` sends it round again.
`;

export function renderErrorMarkdown(catalogues: readonly ErrorCatalogue[]): string {
  const sections = catalogues.map((catalogue) => {
    const rows = Object.entries(catalogue.errors).map(
      ([code, entry]) =>
        `| \`${code}\` | ${answerOf(entry)} | ${retriedOf(entry)} | ${cell(entry.meaning)} | ${cell(entry.action)} |`,
    );
    return [
      `## ${catalogue.part}`,
      '',
      '| Code | Answer | Outcome | What it means | What to do |',
      '| --- | --- | --- | --- | --- |',
      ...rows,
    ].join('\n');
  });
  return `${PREAMBLE}\n${sections.join('\n\n')}\n`;
}

export function renderErrorText(entry: CataloguedError): string {
  const lines = [`${entry.code}  (${entry.part})`];
  if (entry.http !== undefined)
    lines.push(`  answer:  HTTP ${entry.http.status}, SOAP fault ${entry.http.fault}`);
  if (entry.retryable !== undefined)
    lines.push(`  outcome: ${entry.retryable ? 'retried with backoff' : 'dead at once'}`);
  lines.push(`  meaning: ${entry.meaning}`, `  to do:   ${entry.action}`);
  return `${lines.join('\n')}\n`;
}
