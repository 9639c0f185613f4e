import { builtinModules } from 'node:module';
import { dirname, relative, resolve, sep } from 'node:path';

/**
 * The `layers/boundaries` rule: checks every import in `src/` against the layer rules listed in
 * eslint.config.js. Each rule names the folder or folders it binds (`from`) and what they may
 * not import (`forbid`): a path under the project (`src/worker`, `src/erp-service`), `src/*`
 * for any src folder but the importer's own and the shared layer (option `shared`, every
 * folder's common ground), or a package (`fastify`, `node:fs`). A rule with
 * `throughIndex: true` instead allows a reach into another src folder only through its
 * `index.ts`, and none into a loose file at the src root (the root holds only the package
 * entry; shared helpers live in the shared folder). Imports are resolved against the importing
 * file, so `../worker/index.ts` and `../../worker/worker.ts` are the same folder wherever the
 * importer sits.
 *
 * @typedef {{ name: string, from: string | string[], forbid?: string[], throughIndex?: boolean }} LayerRule
 */

const BUILTINS = new Set(builtinModules);

/** `fs/promises` → `node:fs/promises`; `@scope/pkg/sub` → `@scope/pkg/sub`; relative → undefined. */
function packageOf(specifier) {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('#'))
    return undefined;
  if (specifier.startsWith('node:')) return specifier;
  const root = specifier.split('/')[0];
  return BUILTINS.has(root) ? `node:${specifier}` : specifier;
}

/** A path relative to the project with forward slashes, whatever the platform. */
function projectPath(rootDir, absolute) {
  return relative(rootDir, absolute).split(sep).join('/');
}

/** The src folder a project path lies in (`src/worker/x.ts` → `worker`); '' for a src/ root file. */
function srcFolderOf(path) {
  const parts = path.split('/');
  return parts[0] === 'src' && parts.length > 2 ? parts[1] : '';
}

function under(path, prefix) {
  return path === prefix || path.startsWith(`${prefix}/`);
}

/** A loose file at the src root (`src/x.ts`), as opposed to a folder's file or a package. */
function isSrcRootFile(path) {
  const parts = path.split('/');
  return parts[0] === 'src' && parts.length === 2;
}

/** Whether `rule` binds the file at `importer`. */
function binds(rule, importer) {
  const froms = Array.isArray(rule.from) ? rule.from : [rule.from];
  return froms.some((from) => under(importer, from));
}

/** Why `target` (a project path or a package) breaks `rule` for an importer in `importer`; undefined if it does not. */
function breach(rule, importer, target, shared) {
  const importerFolder = srcFolderOf(importer);
  if (rule.throughIndex) {
    if (isSrcRootFile(target) && !isSrcRootFile(importer))
      return `the src root holds only the package entry; import src/${shared}/index.ts (put shared helpers there)`;
    const folder = srcFolderOf(target);
    if (folder === '' || folder === importerFolder) return undefined;
    if (target === `src/${folder}/index.ts`) return undefined;
    return `import src/${folder}/index.ts instead (export what you need there)`;
  }
  for (const forbidden of rule.forbid ?? []) {
    if (forbidden === 'src/*') {
      const folder = srcFolderOf(target);
      if (folder !== '' && folder !== importerFolder && folder !== shared)
        return `no src folder may be imported here`;
    } else if (under(target, forbidden) && !under(importer, forbidden)) {
      return `${forbidden} may not be imported here`;
    }
  }
  return undefined;
}

/** @type {import('eslint').Rule.RuleModule} */
const boundaries = {
  meta: {
    type: 'problem',
    docs: { description: 'Enforce the layer rules between src/ folders' },
    schema: [
      {
        type: 'object',
        properties: {
          rootDir: { type: 'string' },
          shared: { type: 'string' },
          rules: { type: 'array' },
        },
        required: ['rootDir', 'shared', 'rules'],
        additionalProperties: false,
      },
    ],
    messages: {
      broken:
        'layer rule "{{rule}}": {{importer}} imports {{target}}; {{why}} (the rule and its reason: eslint.config.js).',
    },
  },
  create(context) {
    /** @type {{ rootDir: string, shared: string, rules: LayerRule[] }} */
    const { rootDir, shared, rules } = context.options[0];
    const importer = projectPath(rootDir, context.filename);
    const applicable = rules.filter((rule) => binds(rule, importer));
    if (applicable.length === 0) return {};

    function check(source) {
      if (source === null || source === undefined || typeof source.value !== 'string') return;
      const target =
        packageOf(source.value) ??
        projectPath(rootDir, resolve(dirname(context.filename), source.value));
      for (const rule of applicable) {
        const why = breach(rule, importer, target, shared);
        if (why !== undefined)
          context.report({
            node: source,
            messageId: 'broken',
            data: { rule: rule.name, importer, target, why },
          });
      }
    }
    return {
      ImportDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source.type === 'Literal' ? node.source : null),
    };
  },
};

export default { rules: { boundaries } };
