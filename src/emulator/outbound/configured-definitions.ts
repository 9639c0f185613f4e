import type { EmulatorConfig } from '../../config/index.ts';
import { DEFAULT_EMULATOR_USER } from '../../config/index.ts';
import type { OutboundMessageDefinition } from './definition.ts';

type Configured = NonNullable<EmulatorConfig['outboundMessages']>[number];
type Definition = Omit<OutboundMessageDefinition, 'actionId'> & { readonly actionId?: string };

/** What a configured definition naming no metadata definition starts from: the bundled one's shape. */
const STANDALONE: Omit<OutboundMessageDefinition, 'actionId' | 'name'> = {
  object: 'Opportunity',
  fields: ['AccountId', 'Amount', 'CloseDate', 'Name', 'StageName'],
  endpointUrl: 'http://127.0.0.1:8080/soap/outbound',
  userToSendAs: DEFAULT_EMULATOR_USER,
  includeSessionId: false,
  criteria: { field: 'StageName', equals: 'Closed Won', triggerType: 'onCreateOrTriggeringUpdate' },
};

/**
 * The org's outbound message definitions: the metadata's, unless the config lists its own;
 * a configured entry named like a metadata definition changes only the keys it gives, so a
 * test or the demo can repoint the deployed definition without restating it.
 */
export function configuredDefinitions(
  fromMetadata: readonly Omit<OutboundMessageDefinition, 'actionId'>[],
  configured: EmulatorConfig['outboundMessages'],
): Definition[] {
  if (configured === undefined) return [...fromMetadata];
  return configured.map((entry: Configured): Definition => {
    const base = fromMetadata.find((definition) => definition.name === entry.name) ?? {
      ...STANDALONE,
      name: entry.name,
    };
    const given = Object.fromEntries(
      Object.entries(entry).filter(([, value]) => value !== undefined),
    ) as Partial<Definition>;
    return { ...base, ...given };
  });
}
