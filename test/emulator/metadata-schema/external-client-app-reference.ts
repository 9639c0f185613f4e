import type { ElementRule } from './metadata-wsdl.ts';

/**
 * The external client app types, which the WSDL jsforce ships predates (they arrived in API
 * 59.0). Each table lists the fields of the type's page in the Metadata API Developer Guide,
 * in the alphabetical order a retrieve writes them; `min: 1` where the page says "Required".
 * Types of nested fields the project does not use (customAttributes, idTokenConfig,
 * trustedIpRanges) are kept opaque: using one fails the check until it is described here.
 */
export interface ReferenceType {
  /** The Metadata API Developer Guide page the table is taken from. */
  readonly page: string;
  /** Source format: the folder under force-app/main/default and the file suffix. */
  readonly folder: string;
  readonly suffix: string;
  readonly rules: readonly ElementRule[];
}

const field = (name: string, type = 'xsd:string', required = false, max = 1): ElementRule => ({
  name,
  type,
  min: required ? 1 : 0,
  max,
});
const flag = (name: string): ElementRule => field(name, 'xsd:boolean');
const OPAQUE = 'NotDescribedHere';

export const EXTERNAL_CLIENT_APP_TYPES: Readonly<Record<string, ReferenceType>> = {
  ExternalClientApplication: {
    page: 'https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_externalclientapplication.htm',
    folder: 'externalClientApps',
    suffix: '.eca-meta.xml',
    rules: [
      field('contactEmail'),
      field('contactPhone'),
      field('description'),
      field('distributionState', 'ExtlClntAppDistState'),
      field('iconUrl'),
      field('infoUrl'),
      flag('isProtected'),
      field('label'),
      field('logoUrl'),
      field('managedType'),
      field('orgScopedExternalApp'),
    ],
  },
  ExtlClntAppGlobalOauthSettings: {
    page: 'https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_extlclntappglobaloauthsettings.htm',
    folder: 'extlClntAppGlobalOauthSets',
    suffix: '.ecaGlblOauth-meta.xml',
    rules: [
      field('callbackUrl'),
      field('certificate'),
      field('consumerKey'),
      field('consumerSecret'),
      field('externalClientApplication', 'xsd:string', true),
      field('idTokenConfig', OPAQUE),
      flag('isClientCredentialsFlowEnabled'),
      flag('isCodeCredFlowEnabled'),
      flag('isCodeCredPostOnly'),
      flag('isConsumerSecretOptional'),
      flag('isIntrospectAllTokens'),
      flag('isPkceRequired'),
      field('label'),
    ],
  },
  ExtlClntAppOauthSettings: {
    page: 'https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_extlclntappoauthsettings.htm',
    folder: 'extlClntAppOauthSettings',
    suffix: '.ecaOauth-meta.xml',
    rules: [
      flag('areAttributesIncludedInAssetToken'),
      flag('areCustomPermsIncludedInAssetToken'),
      field('assetTokenAudiences'),
      field('commaSeparatedOauthScopes'),
      field('customAttributes', OPAQUE, false, Infinity),
      field('externalClientApplication', 'xsd:string', true),
      field('label'),
      field('oauthLink'),
      field('singleLogoutUrl'),
      field('trustedIpRanges', OPAQUE, false, Infinity),
    ],
  },
  ExtlClntAppOauthConfigurablePolicies: {
    page: 'https://developer.salesforce.com/docs/atlas.en-us.api_meta.meta/api_meta/meta_extlclntappoauthconfigurablepolicies.htm',
    folder: 'extlClntAppOauthPolicies',
    suffix: '.ecaOauthPlcy-meta.xml',
    rules: [
      field('apexHandler'),
      field('clientCredentialsFlowUser'),
      field('commaSeparatedCustomScopes'),
      field('commaSeparatedPermissionSet'),
      field('commaSeparatedProfile'),
      field('customAttributes', OPAQUE, false, Infinity),
      field('executeHandlerAs'),
      field('externalClientApplication', 'xsd:string', true),
      field('guestJwtTimeout', 'xsd:int'),
      field('ipRelaxationPolicyType', 'IpRelaxationPolicyType'),
      flag('isClientCredentialsFlowEnabled'),
      flag('isGuestCodeCredFlowEnabled'),
      flag('isNamedUserJwtEnabled'),
      flag('isTokenExchangeFlowEnabled'),
      field('label'),
      field('namedUserJwtTimeout', 'xsd:int'),
      field('permittedUsersPolicyType', 'PermittedUsersPolicyType'),
      field('policyAction', 'PolicyAction'),
      field('refreshTokenPolicyType', 'RefreshTokenPolicyType'),
      field('refreshTokenValidityPeriod', 'xsd:int'),
      field('refreshTokenValidityUnit'),
      field('requiredSessionLevel'),
      field('sessionTimeoutInMinutes', 'xsd:int'),
      field('singleLogoutUrl'),
      field('startUrl'),
    ],
  },
};

/** The enumerations those pages spell out. */
export const EXTERNAL_CLIENT_APP_VALUES: Readonly<Record<string, readonly string[]>> = {
  ExtlClntAppDistState: ['AutoInstalled', 'Local', 'Managed', 'Packaged'],
  IpRelaxationPolicyType: ['Enforce', 'Bypass', 'Bypass_2factor', 'Enforce_RelaxRefresh'],
  PermittedUsersPolicyType: ['AdminApprovedPreAuthorized', 'AllSelfAuthorized'],
  PolicyAction: ['Block', 'RaiseSessionLevel'],
};
