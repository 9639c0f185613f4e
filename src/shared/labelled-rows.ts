/** A two-column report (label, value) with the labels padded to one width, as the CLI prints it. */
export function renderLabelledRows(rows: readonly (readonly [string, string])[]): string {
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`).join('\n');
}
