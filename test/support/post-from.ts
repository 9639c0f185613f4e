import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { SoapReply } from './relay.ts';

export interface PostFromOptions {
  /** The client socket's own address: 127.0.0.2 and up are loopback too (Linux routes 127/8 to lo). */
  readonly localAddress?: string;
  readonly headers?: Record<string, string>;
  /** HTTPS: the CA to trust and the client certificate to present. */
  readonly tls?: { readonly ca: Buffer; readonly cert?: Buffer; readonly key?: Buffer };
  /** Default POST, with SOAP's content type and action. */
  readonly method?: string;
}

/** One request over a fresh connection from a chosen source address, as a SOAP reply. */
export function postFrom(
  url: string,
  body: string | Buffer,
  options: PostFromOptions = {},
): Promise<SoapReply> {
  const payload = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const method = options.method ?? 'POST';
  return new Promise((resolve, reject) => {
    const send = url.startsWith('https:') ? httpsRequest : httpRequest;
    const req = send(
      url,
      {
        method,
        agent: false,
        ...(options.localAddress === undefined ? {} : { localAddress: options.localAddress }),
        ...(options.tls ?? {}),
        headers: {
          ...(method === 'POST'
            ? { 'content-type': 'text/xml; charset=utf-8', soapaction: '""' }
            : {}),
          'content-length': String(payload.length),
          ...options.headers,
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: res.headers['content-type'] ?? null,
            body: text,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
