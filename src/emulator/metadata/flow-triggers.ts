import type { OutboundCriteria } from '../outbound/definition.ts';
import { MetadataError } from './metadata-error.ts';
import { childrenNamed, optionalText, readMetadataFile, requiredText } from './metadata-xml.ts';

/** What an active record-triggered flow tells the emulator: when to send which messages. */
export interface FlowTrigger {
  readonly flow: string;
  readonly object: string;
  readonly criteria: OutboundCriteria;
  /** `<Object>.<OutboundMessage>` of each outboundMessage action, as `actionName` spells it. */
  readonly actions: readonly string[];
  readonly file: string;
}

/**
 * Reads one `flows/<Name>.flow-meta.xml`. The emulator runs the one shape sf-relay ships and
 * Salesforce recommends for outbound messages since workflow rules went out of support: an
 * active after-save record-triggered flow with one `EqualTo` entry condition, whose start
 * leads to Outbound Message actions. Anything else is refused by name rather than run wrongly.
 * Flows without an outbound message action, and inactive ones, give `undefined`.
 */
export function readFlowTrigger(file: string): FlowTrigger | undefined {
  const root = readMetadataFile(file, 'Flow');
  const actions = childrenNamed(root, 'actionCalls').filter(
    (action) => optionalText(action, 'actionType') === 'outboundMessage',
  );
  if (actions.length === 0 || optionalText(root, 'status') !== 'Active') return undefined;
  const flow = optionalText(root, 'label') ?? file;
  const unsupported = (why: string): MetadataError =>
    new MetadataError(`${file}: the emulator cannot run this flow: ${why}`);

  const start = childrenNamed(root, 'start')[0];
  if (!start) throw unsupported('it has no <start>');
  const triggerType = optionalText(start, 'triggerType');
  if (triggerType !== 'RecordAfterSave') {
    throw unsupported(`start triggerType is ${triggerType ?? 'missing'}, not RecordAfterSave`);
  }
  const recordTriggerType = optionalText(start, 'recordTriggerType');
  if (recordTriggerType !== 'CreateAndUpdate') {
    throw unsupported(
      `recordTriggerType is ${recordTriggerType ?? 'missing'}, not CreateAndUpdate`,
    );
  }
  for (const element of ['decisions', 'assignments', 'loops', 'recordUpdates', 'recordLookups']) {
    if (childrenNamed(root, element).length > 0) {
      throw unsupported(
        `it has <${element}>; only a start that leads to outbound message actions is modelled`,
      );
    }
  }
  if (childrenNamed(start, 'filterFormula').length > 0) {
    throw unsupported('it has a filterFormula; only one EqualTo filter is modelled');
  }
  const filters = childrenNamed(start, 'filters');
  const filter = filters[0];
  if (filters.length !== 1 || !filter) {
    throw unsupported(`it has ${filters.length} entry conditions; exactly one is modelled`);
  }
  const operator = optionalText(filter, 'operator');
  if (operator !== 'EqualTo')
    throw unsupported(`the entry condition's operator is ${operator ?? 'missing'}, not EqualTo`);
  const value = childrenNamed(filter, 'value')[0];
  const equals = value && optionalText(value, 'stringValue');
  if (equals === undefined) throw unsupported('the entry condition has no <value><stringValue>');

  return {
    flow,
    object: requiredText(start, 'object', file),
    criteria: {
      field: requiredText(filter, 'field', file),
      equals,
      // "Only when a record is updated to meet the condition requirements" (SALESFORCE.md §0.2).
      triggerType:
        optionalText(start, 'doesRequireRecordChangedToMeetCriteria') === 'true'
          ? 'onCreateOrTriggeringUpdate'
          : 'onAllChanges',
    },
    actions: actions.map((action) => requiredText(action, 'actionName', file)),
    file,
  };
}
