// kfp-wasm sandbox: an in-process emulation of Kubeflow Pipelines deployments behind Dex +
// oauth2-proxy / oidc-authservice, for tests and demos. Node built-ins only.
//
//   import { startSandbox, PROFILES } from "./sandbox/index.mjs";
//   const sb = await startSandbox({ profile: "deploykf-0.1.5", https: true });
//   // sb.apiUrl, sb.users, sb.caCertPem, sb.stats, sb.expireSessions(), sb.close()
//
// Module map (each cites the section of shared/research/dex-login-flows.md it follows):
//   profiles.mjs      §0, §1.7, §3, §4   – which versions/configs each profile runs
//   gateway.mjs       §2.8, §3, §6(d)    – routing, Istio RBAC, /pipeline prefix
//   dex.mjs           §1                 – Dex login/approval flows
//   oauth2-proxy.mjs  §2                 – oauth2-proxy sessions, CSRF, sign-in page
//   authservice.mjs   §4, §6(c)          – oidc-authservice
//   kfp-api.mjs       kfp-api/REPORT.md  – KFP REST API (experiments, pipelines, upload, runs,
//                                          recurring runs, healthz; modules in kfp/)
//   cookies.mjs       §1.2, §2.3, §2.4   – Go encodings and cookie serialization
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { AuthService } from "./authservice.mjs";
import { Dex } from "./dex.mjs";
import { createRequestListener } from "./gateway.mjs";
import { KfpApi } from "./kfp-api.mjs";
import { OAuth2Proxy } from "./oauth2-proxy.mjs";
import { PROFILE_DEFS, PROFILES } from "./profiles.mjs";

export { PROFILES, PROFILE_DEFS };

const CERT_DIR = fileURLToPath(new URL("./certs/", import.meta.url));
export const CA_CERT_PEM = fs.readFileSync(CERT_DIR + "ca.pem", "utf8");

function hostnameOf(hostPort) {
  if (hostPort.startsWith("[")) return hostPort.slice(1, hostPort.indexOf("]"));
  const i = hostPort.lastIndexOf(":");
  return i > 0 && hostPort.indexOf(":") === i ? hostPort.slice(0, i) : hostPort;
}

function emailOf(u) {
  return u.email || u.username;
}

// The gateway's own routes, which a static folder must not hide.
const RESERVED = ["/pipeline", "/dex", "/oauth2", "/authservice", "/login", "/logout", "/apis"];

function staticMounts(mounts) {
  if (mounts === undefined || mounts === null) return null;
  const out = {};
  for (const [prefix, dir] of Object.entries(mounts)) {
    if (!/^\/([^/?#]+\/)+$/.test(prefix)) throw new Error(`static: the path ${JSON.stringify(prefix)} must start and end with "/", e.g. "/dashboard/"`);
    if (RESERVED.some((r) => prefix === r + "/" || prefix.startsWith(r + "/"))) throw new Error(`static: ${JSON.stringify(prefix)} would hide the gateway's route ${prefix.split("/")[1]}`);
    const abs = path.resolve(String(dir));
    if (!fs.statSync(abs, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`static: ${JSON.stringify(String(dir))} is not a folder`);
    out[prefix] = abs;
  }
  return out;
}

/**
 * Start one emulated deployment.
 * @param {object} opts
 * @param {string} opts.profile one of PROFILES
 * @param {boolean} [opts.https=false]
 * @param {string} [opts.host="127.0.0.1"]
 * @param {number} [opts.port=0]
 * @param {string|((port:number)=>string)} [opts.publicHost] host[:port] the gateway believes it serves
 * @param {number} [opts.sessionTtlSeconds] cookie_expire / authservice session lifetime
 * @param {number} [opts.refreshSeconds] deployKF cookie_refresh (default 3600)
 * @param {number} [opts.csrfTtlSeconds=900]
 * @param {Array} [opts.users] override the profile's users
 * @param {{pendingMs?: number, runningMs?: number, cancelMs?: number}} [opts.kfp] run lifecycle timings
 *   (defaults 150 / 600 / 100 ms); `sb.kfp` is the KfpApi (seedRuns, setOutcome, setTimings, stats…)
 * @param {Record<string,string>} [opts.static] `{ "/dashboard/": dir }`: static folders served at
 *   those paths of the gateway's own origin, without the auth proxy (a public page beside the
 *   gateway, e.g. a dashboard that logs in with kfp-wasm); the longest prefix wins
 */
export async function startSandbox(opts = {}) {
  const profile = opts.profile;
  const def = PROFILE_DEFS[profile];
  if (!def) throw new Error(`unknown sandbox profile ${JSON.stringify(profile)}; known: ${PROFILES.join(", ")}`);
  const useHttps = !!opts.https;
  const host = opts.host ?? "127.0.0.1";
  const scheme = useHttps ? "https" : "http";
  const users = (opts.users ?? def.users).map((u) => ({ ...u, namespaces: { ...u.namespaces } }));

  const stats = { requests: [], logins: 0, passwordPosts: 0, approvalPosts: 0 };
  const tokens = new Map(); // bearer token → identity

  let boundPort = 0;
  const publicHost = () => {
    if (typeof opts.publicHost === "function") return opts.publicHost(boundPort);
    if (opts.publicHost) return opts.publicHost;
    return `${host.includes(":") ? `[${host}]` : host}:${boundPort}`;
  };
  const publicOrigin = () => `${scheme}://${publicHost()}`;

  const findUser = (who) => {
    const w = String(who).toLowerCase();
    return users.find((u) => u.username.toLowerCase() === w || emailOf(u).toLowerCase() === w);
  };
  const access = (identity, ns) => {
    const map = identity.namespaces || findUser(identity.email)?.namespaces || {};
    return map[ns] || map["*"] || null;
  };

  const sb = {
    def,
    static: staticMounts(opts.static),
    scheme,
    stats,
    publicHost,
    publicOrigin,
    lookupToken: (t) => tokens.get(t) || null,
  };

  // ---- KFP backend
  const seed = def.seed;
  sb.kfp = new KfpApi({ ...(opts.kfp || {}), tag: def.kfp.tag, hasV2: def.kfp.hasV2, multiUser: def.kind !== "none", access, seed });

  // ---- Dex
  if (def.dex) {
    const localUsers = users.filter((u) => u.connector === "local").map((u) => ({ email: emailOf(u), password: u.password, username: u.dexUsername || emailOf(u).split("@")[0], groups: u.groups }));
    const ldapUsers = users.filter((u) => u.connector === "ldap").map((u) => ({ login: u.username, password: u.password, email: emailOf(u), groups: u.groups }));
    const connectors = def.dex.connectors.map((id) => {
      if (id === "local") return { id: "local", type: "local", name: "Email", users: localUsers };
      if (id === "ldap") return { id: "ldap", type: "ldap", name: "LDAP", prompt: "Username", users: ldapUsers };
      return { id: "github", type: "github", name: "GitHub" };
    });
    let clients;
    if (def.kind === "authservice") {
      clients = [{ id: "kubeflow-oidc-authservice", name: "kubeflow-oidc-authservice", redirectURIs: [def.authservice.commit === "6ac9400" ? "/login/oidc" : "/authservice/oidc/callback"] }];
    } else if (def.oauth2Proxy.absoluteUrls) {
      clients = [
        { id: "oauth2-proxy", name: "oauth2-proxy", get redirectURIs() { return [publicOrigin() + "/oauth2/callback"]; } },
        { id: "kubeflow-pipelines-sdk", name: "kubeflow-pipelines-sdk", redirectURIs: ["urn:ietf:wg:oauth:2.0:oob"] },
      ];
    } else {
      clients = [{ id: "kubeflow-oidc-authservice", name: "kubeflow-oidc-authservice", redirectURIs: ["/oauth2/callback"] }];
    }
    sb.dex = new Dex({ version: def.dex.version, connectors, clients, skipApprovalScreen: true, stats });
  }

  // ---- auth proxy
  if (def.kind === "oauth2-proxy") {
    const o = def.oauth2Proxy;
    sb.proxy = new OAuth2Proxy({
      ...o,
      dex: sb.dex,
      stats,
      expireSeconds: opts.sessionTtlSeconds ?? o.defaultExpire,
      refreshSeconds: o.defaultRefresh > 0 ? opts.refreshSeconds ?? o.defaultRefresh : 0,
      csrfTtlSeconds: opts.csrfTtlSeconds ?? 900,
      cookieDomain: o.domain ? () => hostnameOf(publicHost()) : undefined,
      loginUrl: () => (o.absoluteUrls ? publicOrigin() : "") + "/dex/auth",
      redirectUrl: () => (o.absoluteUrls ? publicOrigin() : "") + "/oauth2/callback",
      bearerLookup: o.acceptBearer ? (t) => tokens.get(t) || null : undefined,
    });
  } else if (def.kind === "authservice") {
    sb.authservice = new AuthService({ commit: def.authservice.commit, dex: sb.dex, stats, sessionTtlSeconds: opts.sessionTtlSeconds ?? 24 * 3600 });
  }

  // ---- server
  const listener = createRequestListener(sb);
  let server;
  if (useHttps) {
    server = https.createServer({ cert: fs.readFileSync(CERT_DIR + "server.pem"), key: fs.readFileSync(CERT_DIR + "server-key.pem") }, listener);
  } else {
    server = http.createServer(listener);
  }
  server.keepAliveTimeout = 1000;
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  boundPort = server.address().port;
  const origin = `${scheme}://${host.includes(":") ? `[${host}]` : host}:${boundPort}`;
  const gatewayProfile = def.kind === "oauth2-proxy" || def.kind === "authservice";

  return {
    profile,
    description: def.description,
    https: useHttps,
    origin,
    apiUrl: gatewayProfile ? `${origin}/pipeline` : origin,
    get publicHost() {
      return publicHost();
    },
    caCertPem: CA_CERT_PEM,
    users: users.map((u) => ({ username: u.username, password: u.password, connector: u.connector, namespaces: { ...u.namespaces }, email: emailOf(u), namespace: u.namespace })),
    namespaceOf(username) {
      const u = findUser(username);
      if (u) return u.namespace;
      for (const id of tokens.values()) if (id.email === username) return id.namespace;
      return undefined;
    },
    stats,
    /** The emulated KFP API server (sandbox/kfp-api.mjs): seedRuns, setOutcome, setTimings, runJson, stats. */
    kfp: sb.kfp,
    resetStats() {
      stats.requests.length = 0;
      stats.logins = 0;
      stats.passwordPosts = 0;
      stats.approvalPosts = 0;
    },
    expireSessions() {
      sb.proxy?.expireSessions();
      sb.authservice?.expireSessions();
    },
    issueToken(subject, { namespace } = {}) {
      const token = crypto.randomBytes(32).toString("base64url");
      const known = findUser(subject);
      const namespaces = known ? { ...known.namespaces } : {};
      if (namespace) namespaces[namespace] = "edit";
      tokens.set(token, { email: known ? emailOf(known) : subject, namespaces, namespace: namespace || known?.namespace });
      return token;
    },
    revokeToken(token) {
      tokens.delete(token);
    },
    close() {
      sb.kfp.close();
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      });
    },
  };
}
