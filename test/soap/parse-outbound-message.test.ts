import { describe, expect, it } from 'vitest';
import {
  DEFAULT_XML_LIMITS,
  parseOutboundMessage,
  renderOutboundMessage,
  SoapRejectedError,
  type OutboundMessage,
  type SoapRejectionCode,
} from '../../src/soap/index.ts';
import { hostileSampleNames, sample } from '../support/samples.ts';

const ENV = 'http://schemas.xmlsoap.org/soap/envelope/';
const OM = 'http://soap.sforce.com/2005/09/outbound';
const SF = 'urn:sobject.enterprise.soap.sforce.com';
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';

function rejection(
  input: string | Buffer,
  options?: Parameters<typeof parseOutboundMessage>[1],
): SoapRejectedError {
  try {
    parseOutboundMessage(input, options);
  } catch (error) {
    if (error instanceof SoapRejectedError) return error;
    throw error;
  }
  throw new Error('expected the message to be rejected');
}

function expectRejected(input: string | Buffer, code: SoapRejectionCode, message?: RegExp): void {
  const error = rejection(input);
  expect(error.code).toBe(code);
  if (message) expect(error.message).toMatch(message);
}

const base: OutboundMessage = {
  organizationId: '00D5g000004XyZ1EAK',
  actionId: '04k5g000000AbCdAAK',
  sessionId: null,
  enterpriseUrl: 'https://acme.my.salesforce.com/services/Soap/c/60.0/00D5g000004XyZ1',
  partnerUrl: 'https://acme.my.salesforce.com/services/Soap/u/60.0/00D5g000004XyZ1',
  notifications: [
    {
      id: '04l5g00000AbCdEAAV',
      sObject: {
        type: 'Opportunity',
        id: '0065g00000Q1w2eAAB',
        fields: { StageName: 'Closed Won' },
      },
    },
  ],
};

/** A hand-built envelope around `inner` (the content of `<notifications>`). */
function envelope(inner: string, notificationsNs = OM): string {
  return `<e:Envelope xmlns:e="${ENV}" xmlns:xsi="${XSI}"><e:Body><n:notifications xmlns:n="${notificationsNs}">${inner}</n:notifications></e:Body></e:Envelope>`;
}
const HEADER =
  '<n:OrganizationId>00D5g000004XyZ1EAK</n:OrganizationId><n:ActionId>04k5g000000AbCdAAK</n:ActionId>' +
  '<n:SessionId xsi:nil="true"/><n:EnterpriseUrl>https://a.example/services/Soap/c/60.0/00D5g000004XyZ1</n:EnterpriseUrl><n:PartnerUrl>https://a.example/services/Soap/u/60.0/00D5g000004XyZ1</n:PartnerUrl>';
/** `count` notifications with distinct ids, as Salesforce numbers them. */
const notifications = (count: number): string =>
  Array.from({ length: count }, (_, i) =>
    NOTIFICATION.replace('04l5g00000AbCdEAAV', `04l5g00000Ab${String(i).padStart(3, '0')}AAV`),
  ).join('');
const NOTIFICATION = `<n:Notification><n:Id>04l5g00000AbCdEAAV</n:Id><n:sObject xsi:type="s:Opportunity" xmlns:s="${SF}"><s:Id>0065g00000Q1w2eAAB</s:Id></n:sObject></n:Notification>`;

describe('parseOutboundMessage on the shared samples', () => {
  it('reads the single Closed Won notification with its legacy SessionId and every field', () => {
    const message = parseOutboundMessage(sample('opportunity-closed-won.xml'));
    expect(message).toEqual({
      organizationId: '00D5g000004XyZ1EAK',
      actionId: '04k5g000000AbCdAAK',
      sessionId: '00D5g000004XyZ1!AQ0AQFake.SessionToken.ForSamplesOnly',
      enterpriseUrl: 'http://127.0.0.1:8443/services/Soap/c/60.0/00D5g000004XyZ1',
      partnerUrl: 'http://127.0.0.1:8443/services/Soap/u/60.0/00D5g000004XyZ1',
      notifications: [
        {
          id: '04l5g00000AbCdEAAV',
          sObject: {
            type: 'Opportunity',
            id: '0065g00000Q1w2eAAB',
            fields: {
              AccountId: '0015g00000Lm3nOAAR',
              Amount: '12000.0',
              CloseDate: '2026-11-20',
              Name: 'Acme Fibre 1 Gbps - 36 months',
              StageName: 'Closed Won',
            },
          },
        },
      ],
    });
    expect(Object.keys(message.notifications[0]?.sObject?.fields ?? {})).toEqual([
      'AccountId',
      'Amount',
      'CloseDate',
      'Name',
      'StageName',
    ]);
  });

  it('reads three notifications under unusual prefixes, with a nil field and escaped text', () => {
    const message = parseOutboundMessage(sample('batch-of-three-other-prefixes.xml'));
    expect(message.sessionId).toBe('00D5g000004XyZ1!AQ0AQAnother.Fake.Token');
    expect(message.notifications.map((n) => n.id)).toEqual([
      '04l5g00000AbCdFAAV',
      '04l5g00000AbCdGAAV',
      '04l5g00000AbCdHAAV',
    ]);
    expect(message.notifications[0]?.sObject).toEqual({
      type: 'Opportunity',
      id: '0065g00000Q1w2fAAB',
      fields: { StageName: 'Closed Won', Amount: null },
    });
    expect(message.notifications[1]?.sObject?.fields.Name).toBe('Café & Co <Mobile>');
    expect(message.notifications[2]?.sObject?.fields).toEqual({ StageName: 'Closed Won' });
  });

  it('reads a nil SessionId as null, as every org sends since 2026', () => {
    const message = parseOutboundMessage(sample('no-session-id.xml'));
    expect(message.sessionId).toBeNull();
    expect(message.notifications[0]?.sObject?.id).toBe('0065g00000Q1w2jAAB');
  });

  it.each(hostileSampleNames())('refuses %s with a typed error', (name) => {
    const error = rejection(sample(name));
    expect(error.faultCode).toBe('Client');
  });

  it('refuses the billion-laughs DTD before any entity is expanded, in well under a second', () => {
    const started = performance.now();
    expectRejected(sample('hostile/billion-laughs.xml'), 'SOAP_DTD_FORBIDDEN');
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('refuses the external-entity sample as a DTD, so the entity is never resolved', () => {
    expectRejected(sample('hostile/xxe-file.xml'), 'SOAP_DTD_FORBIDDEN', /DOCTYPE/);
  });

  it('names the namespace it expected when the body is not an outbound message', () => {
    expectRejected(
      sample('hostile/wrong-namespace.xml'),
      'SOAP_NOT_OUTBOUND_MESSAGE',
      /not-salesforce/,
    );
  });

  it('calls a truncated message malformed', () => {
    expectRejected(sample('hostile/truncated.xml'), 'SOAP_MALFORMED');
  });
});

describe('parseOutboundMessage structure rules', () => {
  it('parses by namespace URI whatever the prefixes', () => {
    const message = parseOutboundMessage(envelope(HEADER + NOTIFICATION));
    expect(message.notifications[0]?.sObject?.type).toBe('Opportunity');
    expect(message.enterpriseUrl).toBe('https://a.example/services/Soap/c/60.0/00D5g000004XyZ1');
  });

  it('rejects the right element names in the wrong namespace', () => {
    expectRejected(
      envelope(HEADER + NOTIFICATION, 'urn:something-else'),
      'SOAP_NOT_OUTBOUND_MESSAGE',
    );
    const fieldInWrongNs = NOTIFICATION.replace(
      `xmlns:s="${SF}"`,
      `xmlns:s="${SF}" xmlns:t="urn:t"`,
    ).replace(
      '<s:Id>0065g00000Q1w2eAAB</s:Id>',
      '<s:Id>0065g00000Q1w2eAAB</s:Id><t:StageName>x</t:StageName>',
    );
    expectRejected(
      envelope(HEADER + fieldInWrongNs),
      'SOAP_UNEXPECTED_ELEMENT',
      /namespace "urn:t"/,
    );
  });

  it('accepts a notification for a deleted record, with no sObject or an sObject without data', () => {
    const noSObject = '<n:Notification><n:Id>04l5g00000AbCdEAAV</n:Id></n:Notification>';
    expect(parseOutboundMessage(envelope(HEADER + noSObject)).notifications[0]).toEqual({
      id: '04l5g00000AbCdEAAV',
      sObject: null,
    });
    const emptySObject = `<n:Notification><n:Id>04l5g00000AbCdEAAV</n:Id><n:sObject xsi:type="s:Opportunity" xmlns:s="${SF}"/></n:Notification>`;
    expect(parseOutboundMessage(envelope(HEADER + emptySObject)).notifications[0]?.sObject).toEqual(
      {
        type: 'Opportunity',
        id: null,
        fields: {},
      },
    );
  });

  it('keeps an empty field as the empty string and a nil one as null', () => {
    const withFields = NOTIFICATION.replace(
      '</s:Id>',
      '</s:Id><s:Description></s:Description><s:Name xsi:nil="true"/><s:Padding>  two  </s:Padding>',
    );
    expect(
      parseOutboundMessage(envelope(HEADER + withFields)).notifications[0]?.sObject?.fields,
    ).toEqual({
      Description: '',
      Name: null,
      Padding: '  two  ',
    });
  });

  it('takes the sObject type from the WSDL when a generic client leaves out xsi:type', () => {
    const untyped = NOTIFICATION.replace(' xsi:type="s:Opportunity"', '');
    expectRejected(envelope(HEADER + untyped), 'SOAP_MISSING_ELEMENT', /xsi:type/);
    expect(
      parseOutboundMessage(envelope(HEADER + untyped), { defaultObjectType: 'Opportunity' })
        .notifications[0]?.sObject?.type,
    ).toBe('Opportunity');
  });

  it.each([
    ['OrganizationId', HEADER.replace(/<n:OrganizationId>.*?<\/n:OrganizationId>/, '')],
    ['ActionId', HEADER.replace(/<n:ActionId>.*?<\/n:ActionId>/, '')],
    ['SessionId', HEADER.replace('<n:SessionId xsi:nil="true"/>', '')],
    ['EnterpriseUrl', HEADER.replace(/<n:EnterpriseUrl>.*?<\/n:EnterpriseUrl>/, '')],
    ['PartnerUrl', HEADER.replace(/<n:PartnerUrl>.*?<\/n:PartnerUrl>/, '')],
  ])('names the missing required element %s', (name, header) => {
    expectRejected(envelope(header + NOTIFICATION), 'SOAP_MISSING_ELEMENT', new RegExp(name));
  });

  it('enforces the XSD sequence of the header elements', () => {
    const swapped = HEADER.replace(
      '<n:OrganizationId>00D5g000004XyZ1EAK</n:OrganizationId><n:ActionId>04k5g000000AbCdAAK</n:ActionId>',
      '<n:ActionId>04k5g000000AbCdAAK</n:ActionId><n:OrganizationId>00D5g000004XyZ1EAK</n:OrganizationId>',
    );
    expectRejected(
      envelope(swapped + NOTIFICATION),
      'SOAP_MISSING_ELEMENT',
      /expected <OrganizationId>/,
    );
  });

  it('requires at least one notification and accepts exactly 100', () => {
    expectRejected(envelope(HEADER), 'SOAP_MISSING_ELEMENT', /no <Notification>/);
    const hundred = parseOutboundMessage(envelope(HEADER + notifications(100)));
    expect(hundred.notifications).toHaveLength(100);
  });

  it('refuses 101 notifications, the most Salesforce sends being 100', () => {
    expectRejected(envelope(HEADER + notifications(101)), 'SOAP_TOO_MANY_NOTIFICATIONS', /101/);
  });

  it.each([
    ['a 14-character org id', HEADER.replace('00D5g000004XyZ1EAK', '00D5g000004XyZ')],
    ['a 16-character action id', HEADER.replace('04k5g000000AbCdAAK', '04k5g000000AbCdA')],
    ['punctuation in an org id', HEADER.replace('00D5g000004XyZ1EAK', "00D5g000004X'Z1EAK")],
  ])('refuses %s', (_what, header) => {
    expectRejected(envelope(header + NOTIFICATION), 'SOAP_INVALID_ID');
  });

  it('refuses a notification id or a record id that is not a Salesforce id', () => {
    expectRejected(
      envelope(HEADER + NOTIFICATION.replace('04l5g00000AbCdEAAV', '04l5g00000AbCdEAAVX')),
      'SOAP_INVALID_ID',
    );
    expectRejected(
      envelope(HEADER + NOTIFICATION.replace('0065g00000Q1w2eAAB', '1 OR 1=1')),
      'SOAP_INVALID_ID',
    );
  });

  it('stores the API URLs as sent: a sandbox URL naming another org id is a real message, not a forgery', () => {
    // Captured from real sandbox orgs: the URL's org id is not OrganizationId. Refusing it would
    // lose the message after Salesforce's 24 hours of retries; legacy mode checks URLs where it
    // uses them.
    const sandbox = envelope(
      HEADER.replaceAll(
        'https://a.example/services/Soap/u/60.0/00D5g000004XyZ1',
        'https://acme--uat.sandbox.my.salesforce.com/services/Soap/u/61.0/00D7e0000008AbC',
      ) + NOTIFICATION,
    );
    expect(parseOutboundMessage(sandbox).partnerUrl).toBe(
      'https://acme--uat.sandbox.my.salesforce.com/services/Soap/u/61.0/00D7e0000008AbC',
    );
    for (const [from, to] of [
      ['/services/Soap/u/60.0/00D5g000004XyZ1', '/services/Soap/u/60.0/00D000000000001'],
      ['/services/Soap/u/60.0/00D5g000004XyZ1', '/services/Soap/c/60.0/00D5g000004XyZ1'],
    ] as const) {
      const message = parseOutboundMessage(envelope(HEADER.replace(from, to) + NOTIFICATION));
      expect(`${message.enterpriseUrl} ${message.partnerUrl}`).toContain(to);
    }
  });

  it('refuses API URLs that are not http(s) URLs, or carry credentials', () => {
    for (const [from, to] of [
      ['https://a.example/services/Soap/u', 'javascript:alert(1)/services/Soap/u'],
      ['https://a.example/services/Soap/c/60.0/00D5g000004XyZ1', 'not a url'],
      ['https://a.example/services/Soap/c', 'https://user:pw@a.example/services/Soap/c'],
    ] as const) {
      expectRejected(envelope(HEADER.replace(from, to) + NOTIFICATION), 'SOAP_INVALID_VALUE');
    }
  });

  it('refuses the same notification id twice in one message', () => {
    expectRejected(
      envelope(HEADER + NOTIFICATION + NOTIFICATION),
      'SOAP_DUPLICATE_NOTIFICATION',
      /04l5g00000AbCdEAAV/,
    );
  });

  it('refuses an xsi:type outside the enterprise sObject namespace', () => {
    const foreign = NOTIFICATION.replace(
      'xsi:type="s:Opportunity"',
      'xsi:type="q:Opportunity" xmlns:q="urn:anything"',
    );
    expectRejected(envelope(HEADER + foreign), 'SOAP_INVALID_VALUE', /urn:anything/);
  });

  it('refuses a field that holds elements instead of text', () => {
    const nested = NOTIFICATION.replace(
      '</s:Id>',
      '</s:Id><s:Account><s:Name>x</s:Name></s:Account>',
    );
    expectRejected(envelope(HEADER + nested), 'SOAP_UNEXPECTED_ELEMENT', /must hold text/);
  });

  it('refuses a field that appears twice', () => {
    const twice = NOTIFICATION.replace('</s:Id>', '</s:Id><s:Name>a</s:Name><s:Name>b</s:Name>');
    expectRejected(envelope(HEADER + twice), 'SOAP_UNEXPECTED_ELEMENT', /twice/);
  });

  it('reports a SOAP 1.2 envelope as a version mismatch', () => {
    const soap12 = envelope(HEADER + NOTIFICATION).replace(
      ENV,
      'http://www.w3.org/2003/05/soap-envelope',
    );
    const error = rejection(soap12);
    expect(error.code).toBe('SOAP_VERSION_MISMATCH');
    expect(error.faultCode).toBe('VersionMismatch');
  });

  it('refuses a header block it must understand, and ignores one it need not', () => {
    const withHeader = (attributes: string): string =>
      envelope(HEADER + NOTIFICATION).replace(
        '<e:Body>',
        `<e:Header><h:Trace xmlns:h="urn:h"${attributes}>1</h:Trace></e:Header><e:Body>`,
      );
    expect(parseOutboundMessage(withHeader('')).notifications).toHaveLength(1);
    const error = rejection(withHeader(' e:mustUnderstand="1"'));
    expect(error.code).toBe('SOAP_MUST_UNDERSTAND');
    expect(error.faultCode).toBe('MustUnderstand');
  });

  it('refuses stray text between structural elements', () => {
    expectRejected(
      envelope(HEADER + 'junk' + NOTIFICATION),
      'SOAP_UNEXPECTED_ELEMENT',
      /holds text/,
    );
  });

  it('refuses an empty body, plain text and a non-SOAP root', () => {
    expectRejected('', 'SOAP_MALFORMED', /empty/);
    expectRejected('hello', 'SOAP_MALFORMED');
    expectRejected(
      '<notifications xmlns="http://soap.sforce.com/2005/09/outbound"/>',
      'SOAP_NOT_OUTBOUND_MESSAGE',
    );
  });
});

describe('parseOutboundMessage limits and hostile XML', () => {
  const valid = renderOutboundMessage(base);

  it('refuses a body over the size limit before parsing it', () => {
    expectRejected(Buffer.alloc(2 * 1024 * 1024 + 1, 0x20), 'SOAP_TOO_LARGE', /2097153 bytes/);
    const error = rejection(valid, { limits: { maxBytes: 100, maxDepth: 32, maxAttributes: 64 } });
    expect(error.code).toBe('SOAP_TOO_LARGE');
  });

  it('refuses nesting deeper than the limit', () => {
    const deep = valid
      .replace('<sf:StageName>', `${'<sf:X>'.repeat(40)}`)
      .replace('</sf:StageName>', '</sf:X>'.repeat(40));
    expectRejected(deep, 'SOAP_TOO_DEEP', /limit is 32/);
  });

  it('refuses an element with too many attributes', () => {
    const attributes = Array.from({ length: 100 }, (_, i) => ` a${i}="x"`).join('');
    expectRejected(
      valid.replace('<Notification>', `<Notification${attributes}>`),
      'SOAP_TOO_MANY_ATTRIBUTES',
    );
  });

  it('refuses entities other than the five predefined ones, even without a DTD', () => {
    expectRejected(
      valid.replace('Closed Won', 'Closed &nbsp; Won'),
      'SOAP_ENTITY_FORBIDDEN',
      /&nbsp;/,
    );
  });

  it('decodes the predefined entities and numeric character references', () => {
    const message = parseOutboundMessage(
      valid.replace('Closed Won', '&lt;&amp;&gt;&quot;&apos;&#233;&#x1F600;'),
    );
    expect(message.notifications[0]?.sObject?.fields.StageName).toBe('<&>"\'é😀');
  });

  it('refuses invalid UTF-8 and encodings other than UTF-8', () => {
    const bytes = Buffer.from(valid, 'utf8');
    const broken = Buffer.concat([
      bytes.subarray(0, 300),
      Buffer.from([0xc3, 0x28]),
      bytes.subarray(300),
    ]);
    expectRejected(broken, 'SOAP_MALFORMED', /UTF-8/);
    expectRejected(
      valid.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"'),
      'SOAP_ENCODING_UNSUPPORTED',
    );
  });

  it('refuses XML 1.1, whose control characters no reply or callback could carry', () => {
    expectRejected(
      valid.replace('version="1.0"', 'version="1.1"'),
      'SOAP_ENCODING_UNSUPPORTED',
      /1\.1/,
    );
  });

  it('refuses a document with more elements than the limit, and an sObject with over 1000 fields', () => {
    const error = rejection(valid, { limits: { ...DEFAULT_XML_LIMITS, maxElements: 10 } });
    expect(error.code).toBe('SOAP_TOO_MANY_ELEMENTS');
    const wide = valid.replace('<sf:StageName>', `${'<sf:F>x</sf:F>'.repeat(1001)}<sf:StageName>`);
    expectRejected(wide, 'SOAP_TOO_MANY_ELEMENTS', /10\d\d fields/);
  });

  it('refuses an xsi:type with an undeclared prefix', () => {
    expectRejected(
      valid.replace('xsi:type="sf:Opportunity"', 'xsi:type="zz:Opportunity"'),
      'SOAP_MALFORMED',
      /undeclared prefix/,
    );
  });

  it('refuses processing a DOCTYPE even when it declares nothing', () => {
    expectRejected(
      valid.replace('<soapenv:Envelope', '<!DOCTYPE x><soapenv:Envelope'),
      'SOAP_DTD_FORBIDDEN',
    );
  });
});
