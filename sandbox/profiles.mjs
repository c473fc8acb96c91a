// Profile table: which Dex / auth proxy / KFP backend each emulated distribution runs.
//
// Follows shared/research/dex-login-flows.md §0 (version matrix), §1.7 (Dex config in the
// distributions), §2.8 (gateway wiring), §3 (deployKF), §4 (Kubeflow manifests) and §6 (hop tables);
// and shared/kfp-api/REPORT.md §0 (which KFP backend each distribution ships).

const H = 3600;

// ---------------------------------------------------------------- users
const DEPLOYKF_ADMIN_GROUPS = Array.from({ length: 40 }, (_, i) => `cn=kubeflow-group-${String(i).padStart(3, "0")},ou=groups,dc=example,dc=com`);

export const DEPLOYKF_USERS = [
  // Static passwords carry no groups in real Dex; admin gets many so its session cookie splits into
  // _0/_1 like the LDAP/group-heavy case of deployKF issue #171 (§2.5).
  { username: "admin@example.com", password: "admin", connector: "local", namespace: "team-1", namespaces: { "*": "edit" }, groups: DEPLOYKF_ADMIN_GROUPS },
  { username: "user1@example.com", password: "user1", connector: "local", namespace: "team-1", namespaces: { "team-1": "edit", "team-1-prod": "view" } },
  { username: "user2@example.com", password: "user2", connector: "local", namespace: "team-1", namespaces: { "team-1": "view" } },
];

export const LDAP_USERS = [
  { username: "alice", password: "alice-ldap-pw", connector: "ldap", email: "alice@example.org", namespace: "team-alice", namespaces: { "team-alice": "edit" }, groups: ["cn=team-alice,ou=groups,dc=example,dc=org"] },
  { username: "bob", password: "bob-ldap-pw", connector: "ldap", email: "bob@example.org", namespace: "team-1", namespaces: { "team-1": "view" }, groups: ["cn=team-1-viewers,ou=groups,dc=example,dc=org"] },
];

export const KUBEFLOW_USERS = [{ username: "user@example.com", password: "12341234", connector: "local", dexUsername: "user", namespace: "kubeflow-user-example-com", namespaces: { "kubeflow-user-example-com": "edit" } }];

export const SERVICE_ACCOUNT_USERS = [
  { username: "system:serviceaccount:kubeflow-user-example-com:default-editor", password: null, connector: null, namespace: "kubeflow-user-example-com", namespaces: { "kubeflow-user-example-com": "edit" } },
];

// ---------------------------------------------------------------- building blocks
const API_ROUTES = ["/api/", "/apis/", "^/ml_metadata"];

const deploykfProxy = {
  version: "7.6.0",
  cookieBaseName: "_deploykf_token",
  securePrefix: true, // __Secure- over https (0.1.4+)
  cookieSecure: "scheme", // follows clientsUseHttps
  domain: false,
  sameSite: "Lax",
  csrfPerRequest: true,
  skipProviderButton: true,
  apiRoutes: API_ROUTES,
  forwardAccept: true,
  prompt: "none",
  pkce: true,
  nonce: true,
  clientId: "oauth2-proxy",
  scope: "openid email groups profile offline_access",
  absoluteUrls: true,
  acceptBearer: true, // skip_jwt_bearer_tokens (0.1.3+)
  defaultExpire: 168 * H,
  defaultRefresh: 3600,
};

const kubeflowProxy = {
  version: "7.6.0",
  cookieBaseName: "oauth2_proxy_kubeflow",
  securePrefix: false,
  cookieSecure: false, // FORCE_HTTPS=false
  domain: false,
  sameSite: undefined,
  csrfPerRequest: false,
  skipProviderButton: false,
  apiRoutes: API_ROUTES,
  forwardAccept: false, // Istio does not forward Accept to ext_authz (§2.8)
  prompt: "none",
  pkce: true,
  nonce: false, // insecure_oidc_skip_nonce default true
  clientId: "kubeflow-oidc-authservice",
  scope: "profile email groups openid",
  absoluteUrls: false,
  acceptBearer: false,
  defaultExpire: 24 * H,
  defaultRefresh: 0,
};

const KF_KFP = { tag: "2.3.0", hasV2: true };

// ---------------------------------------------------------------- profiles
export const PROFILE_DEFS = {
  "deploykf-0.1.5": {
    description: "deployKF 0.1.5: Dex 2.39.1, oauth2-proxy 7.6.0, prompt=none, PKCE, absolute issuer, 302 to Dex, api_routes 401 {}",
    kind: "oauth2-proxy",
    dex: { version: "2.39.1", connectors: ["local"] },
    users: DEPLOYKF_USERS,
    oauth2Proxy: deploykfProxy,
    kfp: { tag: "2.1.0-deploykf.0", hasV2: true },
    seed: [
      { namespace: "team-1", names: ["Default", "team-1 example"] },
      { namespace: "team-1-prod", names: ["Default", "team-1-prod example"] },
    ],
    logoutRoute: true,
  },
  "deploykf-0.1.5-signin": {
    description: "deployKF 0.1.5 with enableSignInPage: 403 sign-in page, then /oauth2/start",
    kind: "oauth2-proxy",
    dex: { version: "2.39.1", connectors: ["local"] },
    users: DEPLOYKF_USERS,
    oauth2Proxy: { ...deploykfProxy, skipProviderButton: false },
    kfp: { tag: "2.1.0-deploykf.0", hasV2: true },
    seed: [
      { namespace: "team-1", names: ["Default", "team-1 example"] },
      { namespace: "team-1-prod", names: ["Default", "team-1-prod example"] },
    ],
    logoutRoute: true,
  },
  "deploykf-0.1.2": {
    description: "deployKF 0.1.2: Dex 2.37.0, oauth2-proxy 7.4.0, approval_prompt=force (hmac approval hop, no page), Domain cookie, no api_routes, KFP 2.0.0-alpha.7 (v1beta1 only)",
    kind: "oauth2-proxy",
    dex: { version: "2.37.0", connectors: ["local"] },
    users: DEPLOYKF_USERS,
    oauth2Proxy: { ...deploykfProxy, version: "7.4.0", securePrefix: false, domain: true, apiRoutes: [], forwardAccept: false, prompt: undefined },
    kfp: { tag: "2.0.0-alpha.7", hasV2: false },
    seed: [
      { namespace: "team-1", names: ["Default", "team-1 example"] },
      { namespace: "team-1-prod", names: ["Default", "team-1-prod example"] },
    ],
    logoutRoute: true,
  },
  "deploykf-0.1.4": {
    description: "deployKF 0.1.4: Dex 2.37.0, oauth2-proxy 7.5.1, api_routes 401 {}, __Secure- cookies, no prompt (approval_prompt=force: hmac approval hop), KFP 2.0.0-alpha.7 (v1beta1 only)",
    kind: "oauth2-proxy",
    dex: { version: "2.37.0", connectors: ["local"] },
    users: DEPLOYKF_USERS,
    oauth2Proxy: { ...deploykfProxy, version: "7.5.1", prompt: undefined },
    kfp: { tag: "2.0.0-alpha.7", hasV2: false },
    seed: [
      { namespace: "team-1", names: ["Default", "team-1 example"] },
      { namespace: "team-1-prod", names: ["Default", "team-1-prod example"] },
    ],
    logoutRoute: true,
  },
  "deploykf-ldap": {
    description: "deployKF 0.1.5 with connectors local + ldap + github: Dex selection page",
    kind: "oauth2-proxy",
    dex: { version: "2.39.1", connectors: ["local", "ldap", "github"] },
    users: [...DEPLOYKF_USERS, ...LDAP_USERS],
    oauth2Proxy: deploykfProxy,
    kfp: { tag: "2.1.0-deploykf.0", hasV2: true },
    seed: [
      { namespace: "team-1", names: ["Default", "team-1 example"] },
      { namespace: "team-1-prod", names: ["Default", "team-1-prod example"] },
      { namespace: "team-alice", names: ["Default", "alice's experiment"] },
    ],
    logoutRoute: true,
  },
  "kubeflow-1.9.0": {
    description: "Kubeflow 1.9.0: Dex 2.39.1, oauth2-proxy 7.6.0, skip_provider_button, approval_prompt=force → Grant Access page",
    kind: "oauth2-proxy",
    dex: { version: "2.39.1", connectors: ["local"] },
    users: KUBEFLOW_USERS,
    oauth2Proxy: { ...kubeflowProxy, skipProviderButton: true, apiRoutes: [], prompt: undefined, pkce: false, acceptBearer: true },
    kfp: { tag: "2.2.0", hasV2: true },
    seed: [{ namespace: "kubeflow-user-example-com", names: ["Default", "Example experiment"] }],
  },
  "kubeflow-1.9.1": {
    description: "Kubeflow 1.9.1: Dex 2.39.1, oauth2-proxy 7.6.0, 403 sign-in page, api_routes 401 {}, prompt=none, Istio RBAC on Authorization",
    kind: "oauth2-proxy",
    dex: { version: "2.39.1", connectors: ["local"] },
    users: KUBEFLOW_USERS,
    oauth2Proxy: kubeflowProxy,
    istioAuthorizationBypass: true,
    kfp: KF_KFP,
    seed: [{ namespace: "kubeflow-user-example-com", names: ["Default", "Example experiment"] }],
  },
  "kubeflow-1.10": {
    description: "Kubeflow 1.10: Dex 2.41.1, oauth2-proxy 7.7.1, otherwise like 1.9.1",
    kind: "oauth2-proxy",
    dex: { version: "2.41.1", connectors: ["local"] },
    users: KUBEFLOW_USERS,
    oauth2Proxy: { ...kubeflowProxy, version: "7.7.1" },
    istioAuthorizationBypass: true,
    kfp: { tag: "2.4.0", hasV2: true },
    seed: [{ namespace: "kubeflow-user-example-com", names: ["Default", "Example experiment"] }],
  },
  "kubeflow-1.11": {
    description: "Kubeflow 1.11: Dex 2.44.0, oauth2-proxy 7.13.0 (Max-Age cookies), otherwise like 1.9.1",
    kind: "oauth2-proxy",
    dex: { version: "2.44.0", connectors: ["local"] },
    users: KUBEFLOW_USERS,
    oauth2Proxy: { ...kubeflowProxy, version: "7.13.0" },
    istioAuthorizationBypass: true,
    kfp: { tag: "2.5.0", hasV2: true },
    seed: [{ namespace: "kubeflow-user-example-com", names: ["Default", "Example experiment"] }],
  },
  "kubeflow-1.8": {
    description: "Kubeflow 1.8: oidc-authservice e236439 + Dex 2.36.0 (oidc_state_csrf, authservice_session)",
    kind: "authservice",
    dex: { version: "2.36.0", connectors: ["local"] },
    users: KUBEFLOW_USERS,
    authservice: { commit: "e236439" },
    kfp: { tag: "2.0.3", hasV2: true },
    seed: [{ namespace: "kubeflow-user-example-com", names: ["Default", "Example experiment"] }],
  },
  "kubeflow-1.7": {
    description: "Kubeflow 1.7: oidc-authservice e236439 + Dex 2.31.2 (approval redirect without hmac, 200 on a wrong password), KFP 2.0.0-alpha.7 (v1beta1 only)",
    kind: "authservice",
    dex: { version: "2.31.2", connectors: ["local"] },
    users: KUBEFLOW_USERS,
    authservice: { commit: "e236439" },
    kfp: { tag: "2.0.0-alpha.7", hasV2: false },
    seed: [{ namespace: "kubeflow-user-example-com", names: ["Default", "Example experiment"] }],
  },
  "kubeflow-1.6": {
    description: "Kubeflow 1.6: oidc-authservice 6ac9400 (/login/oidc, no state cookie) + Dex 2.31.2, KFP 1.8.5 (v1beta1 only)",
    kind: "authservice",
    dex: { version: "2.31.2", connectors: ["local"] },
    users: KUBEFLOW_USERS,
    authservice: { commit: "6ac9400" },
    kfp: { tag: "1.8.5", hasV2: false },
    seed: [{ namespace: "kubeflow-user-example-com", names: ["Default", "Example experiment"] }],
  },
  "kubeflow-1.5": {
    description: "Kubeflow 1.5: oidc-authservice 6ac9400 (/login/oidc) + Dex 2.22.0 (?req= flow), KFP 1.8 (v1beta1 only)",
    kind: "authservice",
    dex: { version: "2.22.0", connectors: ["local"] },
    users: KUBEFLOW_USERS,
    authservice: { commit: "6ac9400" },
    kfp: { tag: "1.8.1", hasV2: false },
    seed: [{ namespace: "kubeflow-user-example-com", names: ["Default", "Example experiment"] }],
  },
  "no-auth": {
    description: "Standalone KFP UI without auth (multi_user false)",
    kind: "none",
    users: [],
    kfp: { tag: "2.3.0", hasV2: true },
    seed: [{ namespace: "", names: ["Default", "Example experiment"] }],
  },
  "no-auth-v1": {
    description: "Standalone KFP 2.0.0-alpha.7 without auth (v1-line: /apis/v1beta1 only, multi_user false)",
    kind: "none",
    users: [],
    kfp: { tag: "2.0.0-alpha.7", hasV2: false },
    seed: [{ namespace: "", names: ["Default", "Example experiment"] }],
  },
  "no-auth-2.14": {
    description: "Standalone KFP 2.14.0 without auth (grpc-gateway v2 errors, cascade delete, upload display_name)",
    kind: "none",
    users: [],
    kfp: { tag: "2.14.0", hasV2: true },
    seed: [{ namespace: "", names: ["Default", "Example experiment"] }],
  },
  "service-account": {
    description: "KFP API server reached directly, multi-user; Authorization: Bearer <issueToken()>",
    kind: "service-account",
    users: SERVICE_ACCOUNT_USERS,
    kfp: { tag: "2.3.0", hasV2: true },
    seed: [{ namespace: "kubeflow-user-example-com", names: ["Default", "Example experiment"] }],
  },
};

export const PROFILES = Object.keys(PROFILE_DEFS);
