import { toId15 } from '../../soap/index.ts';
import { NAMESPACES } from './dialect.ts';
import { childText, noOperation } from './parse-request.ts';
import { type SoapContext, type SoapOperation, asSoapFault, authenticate } from './soap-context.ts';
import { renderUserInfo } from './user-info.ts';

/** Salesforce removed `login()` from the SOAP API in version 65.0. */
export const LOGIN_REMOVED_IN_VERSION = 65;

const serverUrl = (context: SoapContext, letter: 'u' | 'c' | 'm', version: string): string =>
  `${context.instanceUrl()}/services/Soap/${letter}/${version}/${toId15(context.organizationId)}`;

/** `login(username, password)`: a LoginResult with the session and the server URLs. */
export const login: SoapOperation = (context, { dialect, version, request }) => {
  if (Number(version) >= LOGIN_REMOVED_IN_VERSION) throw noOperation(request.operation);
  const username = childText(request.operation, 'username') ?? '';
  const password = childText(request.operation, 'password') ?? '';
  const session = asSoapFault(() => context.authority.login(username, password));
  const user = context.authority.findUser(session.userId);
  const { store, sessionSecondsValid } = context;
  return (
    `<metadataServerUrl>${serverUrl(context, 'm', version)}</metadataServerUrl>` +
    `<passwordExpired>false</passwordExpired>` +
    `<sandbox>${context.sandbox ? 'true' : 'false'}</sandbox>` +
    `<serverUrl>${serverUrl(context, NAMESPACES[dialect].pathLetter, version)}</serverUrl>` +
    `<sessionId>${session.accessToken}</sessionId>` +
    `<userId>${session.userId}</userId>` +
    `<userInfo>${renderUserInfo(session, user, { store, sessionSecondsValid })}</userInfo>`
  );
};

export const logout: SoapOperation = (context, { request }) => {
  const session = authenticate(context, request);
  context.authority.revoke(session.accessToken);
  return '';
};

export const getUserInfo: SoapOperation = (context, { request }) => {
  const session = authenticate(context, request);
  const { store, sessionSecondsValid } = context;
  return renderUserInfo(session, context.authority.findUser(session.userId), {
    store,
    sessionSecondsValid,
  });
};
