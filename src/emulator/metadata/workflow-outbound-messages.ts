import { basename } from 'node:path';
import { isApiName } from '../../soap/index.ts';
import { MetadataError } from './metadata-error.ts';
import { booleanText, childrenNamed, readMetadataFile, requiredText } from './metadata-xml.ts';

/** An outbound message definition as the `Workflow` type's `outboundMessages` declares it. */
export interface OutboundMessageMetadata {
  readonly name: string;
  readonly object: string;
  /** The fields to send besides Id, as listed (Salesforce sends them alphabetically). */
  readonly fields: readonly string[];
  readonly endpointUrl: string;
  /** `integrationUser`: the username of the "user to send as". */
  readonly userToSendAs: string;
  readonly includeSessionId: boolean;
  readonly file: string;
}

/**
 * The outbound messages of one `workflows/<Object>.workflow-meta.xml`. Workflow rules in the
 * same file are not read: they are out of support, and the flows fire the messages.
 */
export function readWorkflowOutboundMessages(file: string): OutboundMessageMetadata[] {
  const root = readMetadataFile(file, 'Workflow');
  const object = basename(file).replace(/\.workflow-meta\.xml$/, '');
  if (!isApiName(object)) {
    throw new MetadataError(`${file}: the file name must be <Object>.workflow-meta.xml`);
  }
  return childrenNamed(root, 'outboundMessages').map((message) => {
    const name = requiredText(message, 'fullName', file);
    const where = `${file}: outbound message ${name}`;
    if (!isApiName(name)) throw new MetadataError(`${where}: fullName is not an API name`);
    const endpointUrl = requiredText(message, 'endpointUrl', where);
    if (!/^https?:\/\/[^\s]+$/.test(endpointUrl)) {
      throw new MetadataError(`${where}: endpointUrl ${endpointUrl} is not an http(s) URL`);
    }
    const fields = childrenNamed(message, 'fields').map((field) => field.text.trim());
    for (const field of fields) {
      if (!isApiName(field))
        throw new MetadataError(`${where}: <fields>${field}</fields> is not a field name`);
    }
    return {
      name,
      object,
      // Id is always sent first; the definition lists it like any field.
      fields: fields.filter((field) => field !== 'Id'),
      endpointUrl,
      userToSendAs: requiredText(message, 'integrationUser', where),
      includeSessionId: booleanText(message, 'includeSessionId', where),
      file,
    };
  });
}
