import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { ErpFaults } from './erp-faults.ts';
import { invalidRequest, issuesOf, sendProblem } from './problem.ts';

const count = z.number().int().min(0).max(1_000_000);

const faultPatch = z
  .object({
    errorRate: z.number().min(0).max(1).optional(),
    failNext: count.optional(),
    latencyMs: z.number().int().min(0).max(300_000).optional(),
    dropAfterCommitNext: count.optional(),
    dropRate: z.number().min(0).max(1).optional(),
    timeoutRate: z.number().min(0).max(1).optional(),
    timeoutMs: z.number().int().min(0).max(300_000).optional(),
    seed: z.number().int().optional(),
  })
  .strict();

/** The control API under `/erp/faults`: `PUT` merges settings, `DELETE` clears them all. */
export async function faultRoutes(
  app: FastifyInstance,
  options: { readonly faults: ErpFaults },
): Promise<void> {
  const { faults } = options;

  app.get('/erp/faults', async () => faults.state());

  app.put('/erp/faults', async (request, reply) => {
    const patch = faultPatch.safeParse(request.body ?? {});
    if (!patch.success) {
      return sendProblem(reply, invalidRequest('invalid fault settings', issuesOf(patch.error)));
    }
    faults.set(patch.data);
    return faults.state();
  });

  app.delete('/erp/faults', async () => {
    faults.clear();
    return faults.state();
  });
}
