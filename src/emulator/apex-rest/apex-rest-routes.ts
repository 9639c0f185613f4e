import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { isSalesforceId, toId18 } from '../../soap/index.ts';
import { SalesforceApiError } from '../api-error.ts';
import type { SessionAuthority } from '../auth/session-authority.ts';
import type { RecordStore } from '../records/record-store.ts';
import { bearerToken } from '../rest/rest-routes.ts';

export interface ApexRestRoutesOptions {
  readonly store: RecordStore;
  readonly authority: SessionAuthority;
}

/**
 * The contract of the Apex class `SfRelayOrders` (`@RestResource(urlMapping='/sfrelay/orders')`,
 * shipped by the metadata), which writes an order result onto its Opportunity inside the org:
 *
 *   POST /services/apexrest/sfrelay/orders
 *   Authorization: Bearer <access token>
 *   {"opportunityId": "006…", "orderNumber": "SO-000001", "orderStatus": "Created"}
 *
 *   200 {"success": true, "opportunityId": "<18-character id>"}
 *
 * Errors are a JSON array like the REST API's, `[{"errorCode": "…", "message": "…"}]`:
 *   401 INVALID_SESSION_ID              (the platform, before the class runs)
 *   400 JSON_PARSER_ERROR               (the body is not the JSON object above)
 *   400 REQUIRED_FIELD_MISSING          (a field is missing or empty)
 *   400 MALFORMED_ID                    (opportunityId is not an Opportunity id)
 *   404 NOT_FOUND                       (no such Opportunity)
 *   409 ORDER_NUMBER_CONFLICT           (it already has a different order number)
 *   400 ENTITY_IS_DELETED, UNABLE_TO_LOCK_ROW, INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST, …
 *       (the class catches the DmlException and answers its StatusCode)
 * The class must answer these itself (RestContext.response), not let the exception escape:
 * an uncaught Apex exception becomes 500 APEX_ERROR, which says nothing a caller can act on.
 */
export async function apexRestRoutes(
  app: FastifyInstance,
  options: ApexRestRoutesOptions,
): Promise<void> {
  const { store, authority } = options;

  app.setErrorHandler((error, _request, reply) => {
    if (error instanceof SalesforceApiError) {
      return reply.code(error.status).send([{ errorCode: error.code, message: error.message }]);
    }
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    if (status === 400) {
      return reply
        .code(400)
        .send([{ errorCode: 'JSON_PARSER_ERROR', message: 'the request body is not valid JSON' }]);
    }
    return reply
      .code(500)
      .send([{ errorCode: 'APEX_ERROR', message: 'An unexpected error occurred.' }]);
  });

  const orderBody = z.object({
    opportunityId: z.string(),
    orderNumber: z.string(),
    orderStatus: z.string(),
  });

  app.post('/services/apexrest/sfrelay/orders', async (request) => {
    const session = authority.authenticate(bearerToken(request));
    const parsed = orderBody.safeParse(request.body);
    if (!parsed.success) {
      throw new SalesforceApiError(
        'JSON_PARSER_ERROR',
        'expected {"opportunityId": string, "orderNumber": string, "orderStatus": string}',
      );
    }
    const { opportunityId, orderNumber, orderStatus } = parsed.data;
    const missing = Object.entries({ opportunityId, orderNumber, orderStatus })
      .filter(([, value]) => value.trim() === '')
      .map(([name]) => name);
    if (missing.length > 0) {
      throw new SalesforceApiError(
        'REQUIRED_FIELD_MISSING',
        `Required fields are missing: [${missing.join(', ')}]`,
      );
    }
    refuseOverwrite(store, opportunityId, orderNumber);
    store.update(
      'Opportunity',
      opportunityId,
      { Order_Number__c: orderNumber, Order_Status__c: orderStatus },
      session.userId,
    );
    return {
      success: true,
      opportunityId: isSalesforceId(opportunityId) ? toId18(opportunityId) : opportunityId,
    };
  });
}

/**
 * The class refuses to replace an existing, different order number: the field's uniqueness
 * stops two Opportunities sharing one, not a second number overwriting the first. Compared
 * case-insensitively, as Apex compares strings and the unique index compares values.
 */
function refuseOverwrite(store: RecordStore, opportunityId: string, orderNumber: string): void {
  const existing = store.get(opportunityId)?.values.get('Order_Number__c');
  if (typeof existing !== 'string' || existing === '') return;
  if (existing.toLowerCase() === orderNumber.toLowerCase()) return;
  const id = isSalesforceId(opportunityId) ? toId18(opportunityId) : opportunityId;
  throw new SalesforceApiError(
    'ORDER_NUMBER_CONFLICT',
    `Opportunity ${id} already has order number ${existing}; refusing to overwrite it with ${orderNumber}`,
    { status: 409 },
  );
}
