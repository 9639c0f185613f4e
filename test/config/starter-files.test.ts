import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import {
  ENV_BINDINGS,
  loadConfig,
  relayConfigSchema,
  renderEnvExample,
  renderStarterYaml,
} from '../../src/config/index.ts';
import { makeTempDir } from '../support/temp-dir.ts';

const ORG = '00D5g000004XyZ1EAK';

describe('the starter files sf-relay init writes', () => {
  it('relay.yaml loads as it is, to exactly the defaults plus the org', () => {
    const dir = makeTempDir();
    try {
      const file = dir.file('relay.yaml');
      writeFileSync(file, renderStarterYaml({ organizationId: ORG }));
      expect(loadConfig({ file })).toEqual(
        relayConfigSchema.parse({ allowedOrganizationIds: [ORG] }),
      );
    } finally {
      dir.remove();
    }
  });

  it('names every setting and its variable, in both files', () => {
    const yaml = renderStarterYaml();
    const env = renderEnvExample();
    for (const binding of ENV_BINDINGS) {
      const key = binding.path[binding.path.length - 1] ?? '';
      expect(yaml).toMatch(new RegExp(`^\\s*(# )?${key}:.*# ${binding.variable}\\b`, 'm'));
      expect(env).toMatch(new RegExp(`^# ${binding.variable}=`, 'm'));
    }
    // Settings that exist only together (tls, salesforce.oauth) are left out as a block.
    expect(parseYaml(yaml)).not.toHaveProperty('tls');
    expect(parseYaml(yaml)).not.toHaveProperty('salesforce.oauth');
  });

  it('fills the org in .env.example and leaves every other variable commented out', () => {
    const lines = renderEnvExample({ organizationId: ORG })
      .split('\n')
      .filter((line) => /^SFRELAY_/.test(line));
    expect(lines).toEqual([`SFRELAY_ALLOWED_ORGANIZATION_IDS=${ORG}`]);
  });
});
