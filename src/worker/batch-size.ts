/**
 * The most notifications one batch takes: one sObject Collections call or SOAP `update`
 * writes at most 200 records, so a larger batch would cost a second write-back call.
 */
export const MAX_BATCH_SIZE = 200;
