/**
 * An outbound message definition (the `Workflow` metadata type's `outboundMessages`) with the
 * criteria of the record-triggered flow that fires it (SALESFORCE.md §0.2).
 */
export interface OutboundMessageDefinition {
  /** API name, e.g. `Send_Closed_Won_To_Relay`. */
  readonly name: string;
  /** The `04k…` id Salesforce sends as `ActionId`. */
  readonly actionId: string;
  readonly object: string;
  /** Fields to send besides `Id` (sent in alphabetical order, as Salesforce does). */
  readonly fields: readonly string[];
  readonly endpointUrl: string;
  /** Username of the "user to send as". */
  readonly userToSendAs: string;
  /** Legacy "Send Session ID": honoured only while the emulator's legacy switch is on. */
  readonly includeSessionId: boolean;
  readonly criteria: OutboundCriteria;
}

export interface OutboundCriteria {
  readonly field: string;
  readonly equals: string;
  /**
   * `onCreateOrTriggeringUpdate`: only when a record is created meeting the criteria or
   * updated to meet them (the flow's "only when a record is updated to meet the condition
   * requirements"); `onAllChanges`: every create or edit that meets them.
   */
  readonly triggerType: 'onCreateOrTriggeringUpdate' | 'onAllChanges';
}
