import { defineErrorCatalogue } from '../shared/index.ts';

export const CODEGEN_ERRORS = defineErrorCatalogue('codegen', {
  CODEGEN_FAILED: {
    meaning: '`sf-relay codegen` could not read the WSDL or write the generated file.',
    action: 'Check the paths in the message; the WSDL must be an outbound-message WSDL from Setup.',
  },
});
