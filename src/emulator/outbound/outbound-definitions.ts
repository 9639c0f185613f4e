import type { OutboundMessageDefinition } from './definition.ts';

/**
 * The org's outbound message definitions. Queued notifications keep the definition they were
 * made with; a changed endpoint applies to notifications queued after the change, and to
 * retries, as Salesforce sends pending messages to the endpoint currently configured.
 */
export class OutboundDefinitions {
  readonly #byName = new Map<string, OutboundMessageDefinition>();

  constructor(definitions: readonly OutboundMessageDefinition[]) {
    for (const definition of definitions) this.#byName.set(definition.name, definition);
  }

  list(): OutboundMessageDefinition[] {
    return [...this.#byName.values()];
  }

  get(name: string): OutboundMessageDefinition | undefined {
    return this.#byName.get(name);
  }

  setEndpoint(name: string, endpointUrl: string): OutboundMessageDefinition | undefined {
    const current = this.#byName.get(name);
    if (!current) return undefined;
    const updated = { ...current, endpointUrl };
    this.#byName.set(name, updated);
    return updated;
  }
}
