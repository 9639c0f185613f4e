import type { ElementRule, SchemaAdditions } from './metadata-wsdl.ts';

/**
 * What the Metadata API gained after the version of the WSDL jsforce ships (47.0) and that
 * salesforce-metadata/ uses, each entry with the reference page that documents it. Keep this
 * short: an element belongs here only when a file needs it and the page names it.
 */
const optional = (name: string, type: string, max = 1): ElementRule => ({
  name,
  type,
  min: 0,
  max,
});

/** https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_visual_workflow.htm */
const FLOW_PAGE = 'Flow';
/** https://developer.salesforce.com/docs/platform/api-metadata/references/meta-types/metadata-connectedapp.html */
const CONNECTED_APP_PAGE = 'ConnectedApp';

export interface Cited {
  readonly page: string;
  readonly rules: readonly ElementRule[];
}

export const NEWER_ELEMENTS: Readonly<Record<string, Cited>> = {
  // Flow: apiVersion, environments (API 58.0, "Default" for every flow not built for Slack).
  Flow: {
    page: FLOW_PAGE,
    rules: [optional('apiVersion', 'xsd:double'), optional('environments', 'xsd:string', Infinity)],
  },
  // FlowActionCall.flowTransactionModel (API 53.0): CurrentTransaction, NewTransaction, Automatic.
  FlowActionCall: {
    page: FLOW_PAGE,
    rules: [optional('flowTransactionModel', 'FlowTransactionModel')],
  },
  // FlowStart: record-triggered flows (API 48.0+): recordTriggerType, the entry condition's
  // filterLogic, and doesRequireRecordChangedToMeetCriteria ("only when a record is updated to
  // meet the condition requirements", API 54.0).
  FlowStart: {
    page: FLOW_PAGE,
    rules: [
      optional('doesRequireRecordChangedToMeetCriteria', 'xsd:boolean'),
      optional('filterLogic', 'xsd:string'),
      optional('recordTriggerType', 'RecordTriggerType'),
    ],
  },
  // ConnectedAppOauthConfig: the client credentials flow (API 56.0).
  ConnectedAppOauthConfig: {
    page: CONNECTED_APP_PAGE,
    rules: [
      optional('isClientCredentialEnabled', 'xsd:boolean'),
      optional('oauthClientCredentialUser', 'xsd:string'),
    ],
  },
  // ConnectedApp.oauthPolicy: the admin's OAuth policies, as in the page's sample definition.
  ConnectedApp: {
    page: CONNECTED_APP_PAGE,
    rules: [optional('oauthPolicy', 'ConnectedAppOauthPolicy')],
  },
};

/** Types that are new since 47.0, in full (as far as salesforce-metadata/ uses them). */
export const NEWER_TYPES: Readonly<Record<string, Cited>> = {
  ConnectedAppOauthPolicy: {
    page: CONNECTED_APP_PAGE,
    rules: [optional('ipRelaxation', 'xsd:string'), optional('refreshTokenPolicy', 'xsd:string')],
  },
};

export const NEWER_VALUES: Readonly<Record<string, { page: string; values: readonly string[] }>> = {
  // The Outbound Message action of a flow, which replaced workflow rules (SALESFORCE.md §0.2).
  InvocableActionType: { page: FLOW_PAGE, values: ['outboundMessage'] },
  // Record-triggered flows: before-save and after-save (API 48.0+).
  FlowTriggerType: { page: FLOW_PAGE, values: ['RecordBeforeSave', 'RecordAfterSave'] },
  FlowTransactionModel: {
    page: FLOW_PAGE,
    values: ['Automatic', 'CurrentTransaction', 'NewTransaction'],
  },
  RecordTriggerType: { page: FLOW_PAGE, values: ['Create', 'Update', 'CreateAndUpdate', 'Delete'] },
};

export function schemaAdditions(): SchemaAdditions & {
  readonly types: Readonly<Record<string, readonly ElementRule[]>>;
} {
  return {
    elements: Object.fromEntries(
      Object.entries(NEWER_ELEMENTS).map(([type, cited]) => [type, cited.rules]),
    ),
    values: Object.fromEntries(
      Object.entries(NEWER_VALUES).map(([type, cited]) => [type, cited.values]),
    ),
    types: Object.fromEntries(
      Object.entries(NEWER_TYPES).map(([type, cited]) => [type, cited.rules]),
    ),
  };
}
