import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// The project's own eslint.config.js, exactly as `npm test` runs it.
const eslint = new ESLint({ cwd: ROOT });

/** The layer-rule messages ESLint gives for `code` placed at `filePath` (a file that need not exist). */
async function layerMessages(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? [])
    .filter((message) => message.ruleId === 'layers/boundaries')
    .map((message) => message.message);
}

/** One forbidden import for each layer rule: where it is written, and what it imports. */
const FORBIDDEN: Readonly<Record<string, readonly [file: string, code: string]>> = {
  'listener-not-worker': ['src/listener/x.ts', "import { Worker } from '../worker/index.ts';"],
  'worker-not-listener': [
    'src/worker/x.ts',
    "import { healthRoutes } from '../listener/index.ts';",
  ],
  'nothing-imports-cli': ['src/relay/x.ts', "import { main } from '../cli/index.ts';"],
  'inbox-no-http': ['src/inbox/sqlite/x.ts', "import Fastify from 'fastify';"],
  'soap-no-io': ['src/soap/x.ts', "import { readFileSync } from 'fs';"],
  'shared-imports-no-folder': [
    'src/shared/x.ts',
    "import { loadConfig } from '../config/index.ts';",
  ],
  'relay-runtime-not-erp-service': [
    'src/worker/x.ts',
    "import { startErp } from '../erp-service/index.ts';",
  ],
  'emulator-not-relay-runtime': [
    'src/emulator/outbound/x.ts',
    "import { openInbox } from '../../inbox/index.ts';",
  ],
  'through-index': [
    'src/check/x.ts',
    "import { sendRequest } from '../salesforce/send-request.ts';",
  ],
};

describe('layer rules (eslint layers/boundaries)', () => {
  it('has a forbidden-import case for every rule in eslint.config.js', async () => {
    const config: unknown = await eslint.calculateConfigForFile('src/any.ts');
    const rules = z
      .object({
        rules: z.object({
          'layers/boundaries': z.tuple([
            z.unknown(),
            z.object({ rules: z.array(z.object({ name: z.string() })) }),
          ]),
        }),
      })
      .parse(config).rules['layers/boundaries'][1].rules;
    expect(Object.keys(FORBIDDEN).sort()).toEqual(rules.map((rule) => rule.name).sort());
  });

  for (const [rule, [file, code]] of Object.entries(FORBIDDEN)) {
    it(`fails a forbidden import in ${file} naming the rule "${rule}"`, async () => {
      const messages = await layerMessages(file, `${code}\n`);
      expect(messages).toHaveLength(1);
      expect(messages[0]).toContain(`layer rule "${rule}"`);
      expect(messages[0]).toContain(file);
    });
  }

  it('resolves the import from where the file sits, so a nested file is held to the same rule', async () => {
    const messages = await layerMessages(
      'src/listener/deep/nested.ts',
      "export { Worker } from '../../worker/worker.ts';\nexport const later = () => import('../../worker/index.ts');\n",
    );
    expect(messages.filter((m) => m.includes('"listener-not-worker"'))).toHaveLength(2);
    expect(messages.filter((m) => m.includes('"through-index"'))).toHaveLength(1);
  });

  it('names the index to use instead of a deep import', async () => {
    const [message] = await layerMessages(
      'src/check/x.ts',
      "import { requestAccessToken } from '../salesforce/request-access-token.ts';\n",
    );
    expect(message).toContain('import src/salesforce/index.ts instead');
  });

  it('holds every runtime part of the relay, the ERP adapter included, away from the reference ERP', async () => {
    for (const folder of ['listener', 'worker', 'inbox', 'relay', 'salesforce', 'erp']) {
      const messages = await layerMessages(
        `src/${folder}/x.ts`,
        "import { startErp } from '../erp-service/index.ts';\n",
      );
      expect(messages.filter((m) => m.includes('"relay-runtime-not-erp-service"'))).toHaveLength(1);
    }
    for (const folder of ['cli', 'dev', 'demo', 'bench', 'chaos']) {
      expect(
        await layerMessages(
          `src/${folder}/x.ts`,
          "import { startErp } from '../erp-service/index.ts';\n",
        ),
      ).toEqual([]);
    }
  });

  it('lets every folder, soap/ included, import shared/ through its index, and no further', async () => {
    expect(
      await layerMessages('src/soap/x.ts', "import { messageOf } from '../shared/index.ts';\n"),
    ).toEqual([]);
    const [deep] = await layerMessages(
      'src/worker/x.ts',
      "import { createLogger } from '../shared/logger.ts';\n",
    );
    expect(deep).toContain('import src/shared/index.ts instead');
  });

  it('refuses a loose file at the src root, so the shared layer stays in its folder', async () => {
    const [message] = await layerMessages(
      'src/worker/x.ts',
      "import { systemClock } from '../clock.ts';\n",
    );
    expect(message).toContain('layer rule "through-index"');
    expect(message).toContain('import src/shared/index.ts');
  });

  it('allows imports within a folder, through an index, of the shared layer, and from tests', async () => {
    expect(
      await layerMessages(
        'src/listener/x.ts',
        [
          "import { openInbox } from '../inbox/index.ts';",
          "import { loadWsdl } from './load-wsdl.ts';",
          "import { createLogger } from '../shared/index.ts';",
          "import Fastify from 'fastify';",
        ].join('\n'),
      ),
    ).toEqual([]);
    expect(
      await layerMessages('src/cli/x.ts', "import { parsePort } from './options.ts';\n"),
    ).toEqual([]);
    expect(
      await layerMessages(
        'test/listener/x.test.ts',
        "import { Worker } from '../../src/worker/worker.ts';\n",
      ),
    ).toEqual([]);
  });
});
