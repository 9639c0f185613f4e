import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { isSalesforceId, toId18 } from '../../soap/index.ts';
import { SalesforceApiError } from '../api-error.ts';
import type { SessionAuthority } from '../auth/session-authority.ts';
import type { RecordStore } from '../records/record-store.ts';
import { bearerToken } from '../rest/rest-routes.ts';

/** The list form's limit: as many as one sObject Collections call takes. */
const MAX_ORDERS = 200;

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
 *
 * The list form writes up to 200 results in one call (one API request, one DML with
 * allOrNone false), each order succeeding or failing on its own with the status and code the
 * single form would have answered:
 *
 *   POST /services/apexrest/sfrelay/orders
 *   {"orders": [{"opportunityId": "006…", "orderNumber": "SO-000001", "orderStatus": "Created"}, …]}
 *
 *   200 {"results": [{"opportunityId": "006…", "success": true},
 *                    {"opportunityId": "006…", "success": false, "status": 409,
 *                     "errorCode": "ORDER_NUMBER_CONFLICT", "message": "…"}]}
 *
 * The call as a whole fails as the single form does (401, 400 JSON_PARSER_ERROR), and with
 * 400 EXCEEDED_ID_LIMIT for more than 200 orders.
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

  // An element that is not an object fails the class's JSON.deserialize as a whole.
  const orderList = z.object({ orders: z.array(z.record(z.string(), z.unknown())) });
  const orderBody = z.object({
    opportunityId: z.string(),
    orderNumber: z.string(),
    orderStatus: z.string(),
  });

  /** One order, as the single form answers it; throws its error. */
  const recordOrder = (
    input: unknown,
    userId: string,
  ): { success: true; opportunityId: string } => {
    const parsed = orderBody.safeParse(input);
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
      userId,
    );
    return {
      success: true,
      opportunityId: isSalesforceId(opportunityId) ? toId18(opportunityId) : opportunityId,
    };
  };

  app.post('/services/apexrest/sfrelay/orders', async (request) => {
    const session = authority.authenticate(bearerToken(request));
    const list = orderList.safeParse(request.body);
    if (!list.success) return recordOrder(request.body, session.userId);
    if (list.data.orders.length > MAX_ORDERS) {
      throw new SalesforceApiError(
        'EXCEEDED_ID_LIMIT',
        `cannot record more than ${MAX_ORDERS} orders in one call`,
      );
    }
    return {
      results: list.data.orders.map((order) => {
        const given = typeof order.opportunityId === 'string' ? order.opportunityId : '';
        const opportunityId = isSalesforceId(given) ? toId18(given) : given;
        try {
          return recordOrder(order, session.userId);
        } catch (error) {
          if (!(error instanceof SalesforceApiError)) throw error;
          return {
            opportunityId,
            success: false,
            status: error.status,
            errorCode: error.code,
            message: error.message,
          };
        }
      }),
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
