import { z } from 'zod';
import { KeepAliveClient } from '../shared/index.ts';
import { describeFetchFailure } from './describe-fetch-failure.ts';
import {
  ErpKeyConflictError,
  ErpRejectedError,
  ErpUnavailableError,
  type CreateOrderResult,
  type ErpOrder,
  type ErpOrderRequest,
  type ErpPort,
} from './erp-port.ts';
import { KEY_REUSED_PROBLEM, orderJsonSchema } from './order-json.ts';

export interface HttpErpAdapterOptions {
  /** Where the ERP's API lives, e.g. `http://127.0.0.1:8090`; `/orders` is resolved under it. */
  readonly baseUrl: string;
  /** For the whole exchange, reply body included. */
  readonly timeoutMs: number;
}

const problemSchema = z.object({
  type: z.string().optional(),
  title: z.string().optional(),
  detail: z.string().optional(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

/**
 * 408 and 429 are client-error codes that mean "not now" rather than "never": treating them as
 * permanent would kill a notification over a busy ERP.
 */
const RETRYABLE_4XX = new Set([408, 429]);

/** `ErpPort` over the ERP's HTTP API (`POST /orders` with an `Idempotency-Key`). */
export class HttpErpAdapter implements ErpPort {
  readonly #ordersUrl: URL;
  readonly #timeoutMs: number;
  /** Only the host goes into messages: a base URL may carry credentials or tokens elsewhere. */
  readonly #where: string;
  /** One order per notification: kept-alive connections, not a fetch each (see KeepAliveClient). */
  readonly #client = new KeepAliveClient();

  constructor(options: HttpErpAdapterOptions) {
    const base = new URL(options.baseUrl);
    if (!base.pathname.endsWith('/')) base.pathname += '/';
    this.#ordersUrl = new URL('orders', base);
    this.#timeoutMs = options.timeoutMs;
    this.#where = `ERP at ${base.host}`;
  }

  async createOrder(
    request: ErpOrderRequest,
    idempotencyKey: string,
    signal?: AbortSignal,
  ): Promise<CreateOrderResult> {
    const { status, text } = await this.#exchange(
      this.#ordersUrl,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
        body: JSON.stringify(request),
      },
      signal,
    );
    if (status === 200 || status === 201) return this.#parseOrder(status, text);
    const problem = describeProblem(text);
    if (status === 422 && problemType(text) === KEY_REUSED_PROBLEM) {
      throw new ErpKeyConflictError(`${this.#where} rejected the order with 422: ${problem}`);
    }
    if (status >= 400 && status < 500 && !RETRYABLE_4XX.has(status))
      throw new ErpRejectedError(`${this.#where} rejected the order with ${status}: ${problem}`);
    throw new ErpUnavailableError(`${this.#where} answered ${status}: ${problem}`);
  }

  async findOrderFor(opportunityId: string, signal?: AbortSignal): Promise<ErpOrder | null> {
    const url = new URL(this.#ordersUrl);
    url.searchParams.set('opportunityId', opportunityId);
    url.searchParams.set('limit', '1');
    const { status, text } = await this.#exchange(url, { method: 'GET' }, signal);
    if (status !== 200) {
      throw new ErpUnavailableError(
        `${this.#where} answered ${status} to an order lookup: ${describeProblem(text)}`,
      );
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new ErpUnavailableError(
        `${this.#where} answered an order lookup with a body that is not JSON`,
      );
    }
    const list = orderListSchema.safeParse(json);
    if (!list.success) {
      throw new ErpUnavailableError(
        `${this.#where} answered an order lookup with an unexpected body`,
      );
    }
    const [first] = list.data.orders;
    if (first === undefined) return null;
    const { orderNumber, status: orderStatus, createdAt } = first;
    return { orderNumber, status: orderStatus, opportunityId: first.opportunityId, createdAt };
  }

  /**
   * One HTTP exchange, reply body read in full under the call's own timeout (and the caller's
   * abort when one is given). No answer at all is `ErpUnavailableError`: the ERP may not even
   * have seen the request, and every call we make is safe to repeat.
   */
  async #exchange(
    url: URL,
    init: { method: string; headers?: Record<string, string>; body?: string },
    signal: AbortSignal | undefined,
  ): Promise<{ status: number; text: string }> {
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    try {
      return await this.#client.exchange(url, {
        ...init,
        headers: { accept: 'application/json, application/problem+json', ...init.headers },
        signal: signal === undefined ? timeout : AbortSignal.any([timeout, signal]),
      });
    } catch (error) {
      throw new ErpUnavailableError(
        `${this.#where} ${describeFetchFailure(error, this.#timeoutMs)}`,
        { cause: error },
      );
    }
  }

  /** Closes the kept-alive connections to the ERP. */
  close(): void {
    this.#client.close();
  }

  #parseOrder(status: number, text: string): CreateOrderResult {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new ErpUnavailableError(
        `${this.#where} answered ${status} with a body that is not JSON`,
      );
    }
    const order = orderJsonSchema.safeParse(json);
    if (!order.success) {
      const wrong = order.error.issues
        .map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`)
        .join('; ');
      throw new ErpUnavailableError(
        `${this.#where} answered ${status} with an order body that does not fit: ${wrong}`,
      );
    }
    const { orderNumber, status: orderStatus, opportunityId, createdAt } = order.data;
    return {
      order: { orderNumber, status: orderStatus, opportunityId, createdAt },
      created: status === 201,
    };
  }
}

const orderListSchema = z.object({ orders: z.array(orderJsonSchema) });

/** A problem's `type` URI, or null. */
function problemType(text: string): string | null {
  try {
    const problem = problemSchema.safeParse(JSON.parse(text));
    return problem.success ? (problem.data.type ?? null) : null;
  } catch {
    return null;
  }
}

/** The problem's detail, or the start of a body that is not a problem (a proxy's HTML page). */
function describeProblem(text: string): string {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return text.trim().slice(0, 200) || '(empty body)';
  }
  const problem = problemSchema.safeParse(json);
  if (!problem.success) return text.trim().slice(0, 200);
  const { title, detail, errors } = problem.data;
  if (detail) return detail;
  if (errors?.length) return errors.map((e) => `${e.path}: ${e.message}`).join('; ');
  return title ?? 'no detail given';
}
