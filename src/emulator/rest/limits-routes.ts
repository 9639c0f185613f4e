import type { RestContext, RestRequest } from './rest-context.ts';

/**
 * Limits the emulator does not enforce, at Developer Edition's allowances: reported so that
 * code reading `/limits` finds the keys it expects, always with nothing used.
 */
const FIXED_LIMITS: Readonly<Record<string, number>> = {
  DailyAsyncApexExecutions: 250_000,
  DailyBulkApiBatches: 15_000,
  DailyBulkV2QueryJobs: 10_000,
  DailyStreamingApiEvents: 10_000,
  DailyWorkflowEmails: 1_000,
  DataStorageMB: 5,
  FileStorageMB: 20,
  HourlyTimeBasedWorkflow: 50,
  MassEmail: 10,
  SingleEmail: 15,
  StreamingApiConcurrentClients: 20,
};

/**
 * `GET /limits` ("Limits", REST API Developer Guide, resources_limits.htm): each limit as
 * `{"Max": n, "Remaining": n}`. DailyApiRequests is live: the rolling 24-hour count that
 * `Sforce-Limit-Info` reports and REQUEST_LIMIT_EXCEEDED enforces.
 */
export function limitsRoutes(context: RestContext): void {
  const { app, usage } = context;
  app.get('/services/data/:version/limits', async (request: RestRequest) => {
    context.apiVersion(request);
    context.authenticate(request);
    const limits: Record<string, { Max: number; Remaining: number }> = {
      DailyApiRequests: { Max: usage.max, Remaining: usage.remaining },
    };
    for (const [name, max] of Object.entries(FIXED_LIMITS))
      limits[name] = { Max: max, Remaining: max };
    return Object.fromEntries(Object.entries(limits).sort(([a], [b]) => a.localeCompare(b)));
  });
}
