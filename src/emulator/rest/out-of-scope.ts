/**
 * Salesforce APIs the emulator leaves out, by URL. A call to one gets Salesforce's answer for a
 * resource an org does not have (404 NOT_FOUND, "The requested resource does not exist"), with
 * the reason added so nobody hunts for a typo in their URL.
 */
const OUT_OF_SCOPE: readonly { readonly pattern: RegExp; readonly api: string }[] = [
  { pattern: /^\/services\/async\//, api: 'the Bulk API' },
  { pattern: /^\/services\/data\/v[\d.]+\/jobs\//, api: 'the Bulk API 2.0' },
  {
    pattern: /^\/services\/data\/v[\d.]+\/tooling\//,
    api: 'the Tooling API (Apex execution included)',
  },
  { pattern: /^\/services\/Soap\/[mT]\//, api: 'the Metadata and Tooling SOAP APIs' },
  { pattern: /^\/services\/Soap\/s\//, api: 'Apex execution (the Apex SOAP API)' },
  {
    pattern: /^\/services\/data\/v[\d.]+\/analytics\//,
    api: 'the Analytics (Reports and Dashboards) API',
  },
  {
    pattern: /^\/services\/data\/v[\d.]+\/(chatter|connect)\//,
    api: 'the Chatter / Connect REST API',
  },
  { pattern: /^\/cometd\//, api: 'the Streaming API' },
  { pattern: /^\/services\/data\/v[\d.]+\/(search|parameterizedSearch)\b/, api: 'SOSL search' },
  {
    pattern: /^\/services\/data\/v[\d.]+\/composite\/(tree|graph)\b/,
    api: 'sObject Tree and Composite Graph',
  },
  {
    pattern:
      /^\/services\/data\/v[\d.]+\/sobjects\/\w+\/(describe\/(layouts|compactLayouts)|listviews)\b/,
    api: 'layouts and list views',
  },
  { pattern: /^\/services\/data\/v[\d.]+\/ui-api\//, api: 'the User Interface API' },
];

export function notFoundMessage(url: string): string {
  const path = url.split('?')[0] ?? '';
  const match = OUT_OF_SCOPE.find(({ pattern }) => pattern.test(path));
  const base = 'The requested resource does not exist';
  return match ? `${base}: the sf-relay emulator does not offer ${match.api}` : base;
}
