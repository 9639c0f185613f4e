/**
 * The load generator, run in its own process (`node dist/bench/load/autocannon-process.js SPEC`)
 * so that sending requests never competes with the server under test for one event loop.
 * Prints autocannon's result object as one JSON line on stdout.
 *
 * autocannon's CLI can only splice random UUID-like ids into a body, which are not Salesforce
 * ids; its API lets every request carry fresh, valid ids, hence this small wrapper.
 */
import { createRequire } from 'node:module';
import { requireBenchDependencies } from '../bench-dependency.ts';
import { outboundBodyFactory } from '../outbound-body.ts';
import { loadSpecSchema } from './load-spec.ts';

interface AutocannonRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}
interface AutocannonOptions {
  url: string;
  connections: number;
  duration: number;
  timeout: number;
  requests: { setupRequest: (request: AutocannonRequest) => AutocannonRequest }[];
  method: string;
  headers: Record<string, string>;
}
type Autocannon = (options: AutocannonOptions) => Promise<unknown>;

// autocannon ships no types; this is the one call made, typed here.
requireBenchDependencies(['autocannon']);
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const spec = loadSpecSchema.parse(JSON.parse(process.argv[2] ?? 'null'));
const nextBody = outboundBodyFactory(spec.batch, spec.runTag);
const result = await autocannon({
  url: spec.url,
  connections: spec.connections,
  duration: spec.seconds,
  timeout: 30,
  method: 'POST',
  // What Salesforce sends (SALESFORCE.md §1).
  headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: '""' },
  requests: [{ setupRequest: (request) => ({ ...request, body: nextBody() }) }],
});
process.stdout.write(`${JSON.stringify(result)}\n`);
