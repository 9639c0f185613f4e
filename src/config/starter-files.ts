import { describeNumber, ENV_BINDINGS, type EnvBinding } from './environment.ts';

export interface StarterOptions {
  /** Fills `allowedOrganizationIds`. */
  readonly organizationId?: string;
}

/** What the comment beside a setting says: its variable, and what it takes when not obvious. */
function settingNote(binding: EnvBinding): string {
  const { leaf } = binding;
  const parts = [binding.variable];
  if (leaf.choices) parts.push(`one of ${leaf.choices.join(', ')}`);
  else if (leaf.kind === 'number') parts.push(describeNumber(leaf));
  else if (leaf.kind === 'list') parts.push('a list; in the variable, comma-separated');
  if (leaf.description) parts.push(leaf.description);
  return parts.join(' · ');
}

function valueOf(binding: EnvBinding, options: StarterOptions): unknown {
  if (binding.path.join('.') === 'allowedOrganizationIds' && options.organizationId)
    return [options.organizationId];
  return binding.leaf.underOptional ? undefined : binding.leaf.defaultValue;
}

/**
 * A commented `relay.yaml` with every setting the schema has: the default written out (so the
 * file runs as it is), or, for a setting without one, a commented-out line to fill in. Built
 * from the schema, so a new setting shows up here without anyone listing it.
 */
export function renderStarterYaml(options: StarterOptions = {}): string {
  const out = [
    '# sf-relay configuration, written by `sf-relay init`. Every setting is here with its default;',
    '# a commented-out line is unset. The variable named beside each setting (SFRELAY_*) overrides',
    '# this file, and command-line flags override both. Keep secrets (clientSecret, passwords,',
    '# tokens) in the environment rather than here: see .env.example.',
    '#',
    '#   sf-relay check --config relay.yaml     tests it: database, OAuth token, ERP, TLS files, WSDL',
    '#   sf-relay start --config relay.yaml     runs it',
    '',
  ];
  const active = (binding: EnvBinding): boolean => valueOf(binding, options) !== undefined;
  let open: readonly string[] = [];
  for (const binding of ENV_BINDINGS) {
    const parents = binding.path.slice(0, -1);
    let shared = 0;
    while (shared < open.length && shared < parents.length && open[shared] === parents[shared])
      shared++;
    for (let depth = shared; depth < parents.length; depth++) {
      const prefix = parents.slice(0, depth + 1);
      const anyActive = ENV_BINDINGS.some(
        (other) => prefix.every((key, i) => other.path[i] === key) && active(other),
      );
      out.push(`${'  '.repeat(depth)}${anyActive ? '' : '# '}${prefix[depth] ?? ''}:`);
    }
    open = parents;
    const indent = '  '.repeat(parents.length);
    const key = binding.path[binding.path.length - 1] ?? '';
    const value = valueOf(binding, options);
    const line =
      value === undefined
        ? `${indent}# ${key}:${binding.leaf.choices ? ` ${binding.leaf.choices[0] ?? ''}` : ''}`
        : `${indent}${key}: ${JSON.stringify(value)}`;
    out.push(`${line}  # ${settingNote(binding)}`);
  }
  return `${out.join('\n')}\n`;
}

/** `.env.example`: every variable, commented out with its default, the org filled in if given. */
export function renderEnvExample(options: StarterOptions = {}): string {
  const out = [
    '# sf-relay environment variables, written by `sf-relay init`. Each one overrides relay.yaml.',
    '# sf-relay does not read .env files itself: copy this to .env, fill it in, and load it',
    '# (`set -a; . ./.env; set +a`) or hand it to your process manager or container.',
    '',
  ];
  for (const binding of ENV_BINDINGS) {
    const value = valueOf(binding, options);
    const text =
      value === undefined ? '' : Array.isArray(value) ? value.map(String).join(',') : String(value);
    const filled =
      binding.path.join('.') === 'allowedOrganizationIds' && options.organizationId !== undefined;
    out.push(`${filled ? '' : '# '}${binding.variable}=${text}`);
  }
  return `${out.join('\n')}\n`;
}
