import { escapeText } from '../../soap/index.ts';
import { toId18 } from '../../soap/index.ts';
import type { RecordStore } from '../records/record-store.ts';
import type { EmulatorUser, Session } from '../auth/session-authority.ts';

export interface UserInfoContext {
  readonly store: RecordStore;
  readonly sessionSecondsValid: number;
}

/** The org's name: its `Organization` record's, when the store holds one. */
function organizationName(store: RecordStore, organizationId: string): string {
  const org = store.get(organizationId);
  const name = org?.values.get('Name');
  return typeof name === 'string' ? name : 'Emulated Org';
}

/** A stable System Administrator profile id for the org (every emulator user has it). */
export function profileIdFor(organizationId: string): string {
  return toId18(`00e${organizationId.slice(3, 15)}`);
}

/** `GetUserInfoResult` elements in the WSDL's sequence order. */
export function renderUserInfo(
  session: Session,
  user: EmulatorUser | undefined,
  context: UserInfoContext,
): string {
  const fullName = [user?.firstName, user?.lastName]
    .filter((p) => p !== undefined && p !== '')
    .join(' ');
  const nil = (name: string): string => `<${name} xsi:nil="true"/>`;
  const el = (name: string, value: string): string => `<${name}>${escapeText(value)}</${name}>`;
  return [
    el('accessibilityMode', 'false'),
    el('chatterExternal', 'false'),
    el('currencySymbol', '$'),
    el('orgAttachmentFileSizeLimit', '5242880'),
    el('orgDefaultCurrencyIsoCode', 'USD'),
    nil('orgDefaultCurrencyLocale'),
    el('orgDisallowHtmlAttachments', 'false'),
    el('orgHasPersonAccounts', 'false'),
    el('organizationId', session.organizationId),
    el('organizationMultiCurrency', 'false'),
    el('organizationName', organizationName(context.store, session.organizationId)),
    el('profileId', profileIdFor(session.organizationId)),
    nil('roleId'),
    el('sessionSecondsValid', String(context.sessionSecondsValid)),
    nil('userDefaultCurrencyIsoCode'),
    el('userEmail', user?.email ?? ''),
    el('userFullName', fullName),
    el('userId', session.userId),
    el('userLanguage', 'en_US'),
    el('userLocale', 'en_US'),
    el('userName', session.username),
    el('userTimeZone', 'GMT'),
    el('userType', 'Standard'),
    el('userUiSkin', 'Theme3'),
  ].join('');
}
