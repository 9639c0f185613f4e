/** Edits (insert, delete, replace one character) that turn `a` into `b`, ignoring case. */
function editDistance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + cost,
      );
    }
    previous = current;
  }
  return previous[y.length] ?? 0;
}

/**
 * The known key a mistyped one most likely meant (`allowedOrganisationIds` →
 * `allowedOrganizationIds`, `maxDepht` → `maxDepth`, `PORT` → `port`), or undefined when none
 * is close enough to be a typo rather than a different idea.
 */
export function closestKey(typed: string, known: readonly string[]): string | undefined {
  let best: { key: string; distance: number } | undefined;
  for (const key of known) {
    const distance = editDistance(typed, key);
    if (best === undefined || distance < best.distance) best = { key, distance };
  }
  if (best === undefined) return undefined;
  const allowed = Math.max(2, Math.floor(Math.min(typed.length, best.key.length) / 3));
  return best.distance <= allowed ? best.key : undefined;
}
