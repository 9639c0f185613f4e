import type { Inbox } from '../inbox/index.ts';

/**
 * The inbox the listener stores into. Outside legacy mode nothing ever uses a message's
 * SessionId, so it is dropped before the commit and never reaches the disk.
 */
export function inboxForListener(inbox: Inbox, keepSessionIds: boolean): Inbox {
  if (keepSessionIds) return inbox;
  return new Proxy(inbox, {
    get(target, property, receiver) {
      if (property === 'store') {
        return ((message, options) =>
          target.store({ ...message, sessionId: null }, options)) satisfies Inbox['store'];
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
