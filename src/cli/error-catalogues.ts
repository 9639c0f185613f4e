import type { ErrorCatalogue } from '../shared/index.ts';

/**
 * Every part's catalogue, in the order a notification meets them. Loaded on demand: the
 * catalogues sit in each part's index, and `sf-relay errors` should not make other commands
 * load the stores and clients at start-up.
 */
export async function loadErrorCatalogues(): Promise<readonly ErrorCatalogue[]> {
  const [
    listener,
    soap,
    inbox,
    worker,
    salesforce,
    erp,
    config,
    process,
    codegen,
    dev,
    chaos,
    bench,
  ] = await Promise.all([
    import('../listener/index.ts'),
    import('../soap/index.ts'),
    import('../inbox/index.ts'),
    import('../worker/index.ts'),
    import('../salesforce/index.ts'),
    import('../erp/index.ts'),
    import('../config/index.ts'),
    import('../process/index.ts'),
    import('../codegen/index.ts'),
    import('../dev/index.ts'),
    import('../chaos/index.ts'),
    import('../bench/index.ts'),
  ]);
  return [
    listener.LISTENER_ERRORS,
    soap.SOAP_ERRORS,
    inbox.INBOX_ERRORS,
    worker.WORKER_ERRORS,
    salesforce.SALESFORCE_ERRORS,
    salesforce.SALESFORCE_REPLY_CODES,
    erp.ERP_ERRORS,
    config.CONFIG_ERRORS,
    process.PROCESS_ERRORS,
    codegen.CODEGEN_ERRORS,
    dev.DEV_ERRORS,
    chaos.CHAOS_ERRORS,
    bench.BENCH_ERRORS,
  ];
}
