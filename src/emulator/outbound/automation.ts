import type { RecordChange, SObject } from '../records/record-store.ts';
import type { OutboundMessageDefinition } from './definition.ts';
import type { OutboundDefinitions } from './outbound-definitions.ts';
import type { OutboundQueue } from './outbound-queue.ts';

function meets(definition: OutboundMessageDefinition, record: SObject | null): boolean {
  if (!record || record.deleted) return false;
  return record.values.get(definition.criteria.field) === definition.criteria.equals;
}

/**
 * The record-triggered flow: on each change of a record, queue one notification per outbound
 * message definition whose criteria the change meets.
 */
export function createAutomation(
  definitions: OutboundDefinitions,
  queue: OutboundQueue,
): (change: RecordChange) => void {
  return (change) => {
    if (change.kind === 'delete') return;
    for (const definition of definitions.list()) {
      if (definition.object.toLowerCase() !== change.after.type.toLowerCase()) continue;
      if (!meets(definition, change.after)) continue;
      const triggering =
        definition.criteria.triggerType === 'onAllChanges' ||
        change.kind === 'create' ||
        !meets(definition, change.before);
      if (triggering) queue.enqueue(definition, change.after.id);
    }
  };
}
