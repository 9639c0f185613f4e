/**
 * Base of every error sf-relay raises on purpose. `code` is stable and documented; callers
 * branch on the class or the code, never on the message text.
 */
export abstract class SfRelayError extends Error {
  abstract readonly code: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}
