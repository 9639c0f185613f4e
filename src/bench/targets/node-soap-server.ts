import { createServer, type Server } from 'node:http';
import { DEFAULT_OUTBOUND_WSDL } from '../../soap/index.ts';
import { importBenchDependency } from '../bench-dependency.ts';

/**
 * What a typical hand-made receiver is: a node-soap server generated from the same outbound
 * WSDL. node-soap reads and parses the whole envelope into objects and calls the operation,
 * which acks without storing anything — so it promises less than sf-relay, which fsyncs first.
 */
export async function startNodeSoapServer(host: string, port: number): Promise<Server> {
  const soap = await importBenchDependency<typeof import('soap')>('soap');
  const server = createServer();
  const services = {
    NotificationService: {
      Notification: {
        notifications: (args: { Notification?: unknown }) => {
          // Touch the parsed notifications, as any real handler would.
          const count = Array.isArray(args.Notification) ? args.Notification.length : 1;
          return { Ack: count > 0 };
        },
      },
    },
  };
  await new Promise<void>((resolve, reject) => {
    soap.listen(server, {
      path: '/soap/outbound',
      services,
      xml: DEFAULT_OUTBOUND_WSDL,
      callback: (error: unknown) => (error ? reject(toError(error)) : resolve()),
    });
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  return server;
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
