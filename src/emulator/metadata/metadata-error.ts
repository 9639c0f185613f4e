import { SfRelayError } from '../../shared/index.ts';

/** A metadata file the emulator cannot use; the message names the file and the element. */
export class MetadataError extends SfRelayError {
  readonly code = 'METADATA_INVALID';
}
