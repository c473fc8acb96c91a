// Emulated Dex (dexidp/dex), in-process.
//
// Follows shared/research/dex-login-flows.md §1 (routes, /auth, /auth/{id}, /auth/{id}/login,
// approval skip table §1.5, templates, error pages, no cookies §1.6) and §6 (hop tables), §7.
//
// Version toggles (this.v = [major, minor, patch]):
//   < 2.29  old flow: /auth creates the AuthRequest and 302s to /auth/<id>?req=<authReqID>;
//           GET /auth/<id>?req= renders the form (action = same URL); POST there logs in.
//   ≥ 2.29  /auth → /auth/<id>?<query> → 302 /auth/<id>/login?back=&state=<authReqID> → form.
//   ≥ 2.35  approval URL carries &hmac=<43>; missing/bad hmac → 401 "Unauthorized request".
//   ≥ 2.36  wrong password → 401 (200 before).
//   2.36    approval skipped when skipApproval || !force (bug);  ≥ 2.37: skipApproval && !force.
//   ≥ 2.39  GET /approval always renders the Grant Access page (skipApproval not evaluated there).
// The token endpoint is modelled in-process by redeem() (oauth2-proxy/authservice call it directly).
import crypto from "node:crypto";
import { dexId, goValuesEncode, parseQuery, hmac256, sha256, htmlEscape } from "./cookies.mjs";

const AUTH_REQUEST_TTL_MS = 24 * 3600 * 1000; // Dex expiry.authRequests default 24h
const AUTH_CODE_TTL_MS = 30 * 60 * 1000; // Dex auth codes live 30 minutes

const STATUS_TEXT = { 400: "Bad Request", 401: "Unauthorized", 404: "Not Found", 500: "Internal Server Error" };

function parseVersion(v) {
  return String(v).split(".").map((x) => Number(x));
}
function atLeast(v, want) {
  const w = parseVersion(want);
  for (let i = 0; i < 3; i++) {
    if ((v[i] || 0) > (w[i] || 0)) return true;
    if ((v[i] || 0) < (w[i] || 0)) return false;
  }
  return true;
}

function page(title, inner) {
  return `<!DOCTYPE html>
<html>
  <head>
    <meta charset="utf-8">
    <meta http-equiv="X-UA-Compatible" content="IE=edge">
    <title>${htmlEscape(title)}</title>
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    <link href="/dex/static/main.css" rel="stylesheet">
    <link href="/dex/theme/styles.css" rel="stylesheet">
    <link rel="icon" href="/dex/theme/favicon.png">
  </head>
  <body class="theme-body">
    <div class="theme-navbar">
      <div class="theme-navbar__logo-wrap">
        <img class="theme-navbar__logo" src="/dex/theme/logo.png">
      </div>
    </div>
    <div class="dex-container">
${inner}
    </div>
  </body>
</html>
`;
}

export class Dex {
  /**
   * @param {object} o
   * @param {string} o.version e.g. "2.39.1"
   * @param {Array} o.connectors [{ id, type: "local"|"ldap"|"github", name, prompt?, users: [{login, password, email, username, groups}] }]
   * @param {Array} o.clients [{ id, name, redirectURIs: [...] }]
   * @param {boolean} [o.skipApprovalScreen=true]
   * @param {object} o.stats sandbox stats object (passwordPosts, approvalPosts counters)
   */
  constructor(o) {
    this.version = o.version;
    this.v = parseVersion(o.version);
    this.connectors = o.connectors;
    this.clients = o.clients;
    this.skipApproval = o.skipApprovalScreen !== false;
    this.stats = o.stats;
    this.prefix = "/dex";
    this.authRequests = new Map();
    this.codes = new Map();
    this.issuerName = "dex";
  }

  ge(v) {
    return atLeast(this.v, v);
  }

  abs(p) {
    return this.prefix + p;
  }

  /** Handle a request under /dex. Returns true if handled. */
  handle(ctx) {
    const { url, method } = ctx;
    const p = url.pathname;
    if (!(p === this.prefix || p.startsWith(this.prefix + "/"))) return false;
    const rest = p.slice(this.prefix.length);
    if (rest === "/auth" || rest === "/auth/") return this.handleAuthorization(ctx), true;
    let m = rest.match(/^\/auth\/([^/]+)\/login$/);
    if (m && this.ge("2.29.0")) return this.handlePasswordLogin(ctx, decodeURIComponent(m[1])), true;
    m = rest.match(/^\/auth\/([^/]+)$/);
    if (m) return this.handleConnectorLogin(ctx, decodeURIComponent(m[1])), true;
    if (rest === "/approval") return this.handleApproval(ctx), true;
    if (rest === "/.well-known/openid-configuration" && method === "GET") {
      const origin = ctx.publicOrigin;
      return (
        ctx.json(200, {
          issuer: origin + this.prefix,
          authorization_endpoint: origin + this.abs("/auth"),
          token_endpoint: origin + this.abs("/token"),
          jwks_uri: origin + this.abs("/keys"),
          userinfo_endpoint: origin + this.abs("/userinfo"),
          response_types_supported: ["code"],
          code_challenge_methods_supported: ["S256", "plain"],
          scopes_supported: ["openid", "email", "groups", "profile", "offline_access"],
        }),
        true
      );
    }
    ctx.send(404, "404 page not found\n", "text/plain; charset=utf-8");
    return true;
  }

  /** r.FormValue: POST body first, then URL query (Go semantics). */
  formValue(ctx, name) {
    for (const [k, v] of ctx.form) if (k === name) return v;
    for (const [k, v] of ctx.query) if (k === name) return v;
    return "";
  }

  renderError(ctx, status, msg) {
    const inner = `<div class="theme-panel">
  <h2 class="theme-heading">${htmlEscape(STATUS_TEXT[status] || "Error")}</h2>
  <p>${htmlEscape(msg)}</p>
</div>`;
    ctx.send(status, page("dex", inner), "text/html; charset=utf-8");
  }

  /** Go http.Redirect: Location + small body for GET/HEAD. `extra` is appended (Dex quirk §1.2). */
  redirect(ctx, status, location, extra = "") {
    const text = status === 302 ? "Found" : status === 303 ? "See Other" : "Moved";
    const body = ctx.method === "GET" || ctx.method === "HEAD" ? `<a href="${htmlEscape(location)}">${text}</a>.\n\n` + extra : extra;
    ctx.send(status, body, "text/html; charset=utf-8", { Location: location });
  }

  /** Merged form (r.Form): query + POST body, re-encoded with url.Values.Encode(). */
  allParams(ctx) {
    return [...ctx.query, ...ctx.form];
  }

  parseAuthRequest(ctx) {
    const get = (k) => this.formValue(ctx, k);
    const clientId = get("client_id");
    const client = this.clients.find((c) => c.id === clientId);
    if (!client) return { status: 404, msg: `Invalid client_id (${JSON.stringify(clientId)}).` };
    const redirectUri = get("redirect_uri");
    if (!client.redirectURIs.includes(redirectUri)) return { status: 400, msg: `Unregistered redirect_uri (${JSON.stringify(redirectUri)}).` };
    const responseType = get("response_type");
    if (responseType !== "code") return { status: 400, msg: `Unsupported response type ${JSON.stringify(responseType)}` };
    const method = get("code_challenge_method");
    const challenge = get("code_challenge");
    if (challenge && method && method !== "S256" && method !== "plain") return { status: 400, msg: `Unsupported PKCE challenge method (${JSON.stringify(method)}).` };
    return {
      req: {
        id: dexId(),
        clientId,
        redirectUri,
        state: get("state"),
        nonce: get("nonce"),
        scopes: get("scope").split(/\s+/).filter(Boolean),
        forceApproval: get("approval_prompt") === "force",
        codeChallenge: challenge,
        codeChallengeMethod: challenge ? method || "plain" : "",
        hmacKey: crypto.randomBytes(32),
        expiry: Date.now() + AUTH_REQUEST_TTL_MS,
        loggedIn: false,
        connectorId: "",
        claims: null,
      },
    };
  }

  // §1.2 GET /dex/auth
  handleAuthorization(ctx) {
    const params = this.allParams(ctx);
    const connectorId = this.formValue(ctx, "connector_id");
    if (!this.ge("2.29.0")) {
      // Old Dex: validate + create the AuthRequest here.
      const parsed = this.parseAuthRequest(ctx);
      if (!parsed.req) return this.renderError(ctx, parsed.status, parsed.msg);
      this.authRequests.set(parsed.req.id, parsed.req);
      const links = this.connectors.map((c) => ({ c, url: this.abs(`/auth/${encodeURIComponent(c.id)}`) + "?req=" + parsed.req.id }));
      if (connectorId) {
        const l = links.find((x) => x.c.id === connectorId);
        if (!l) return this.renderError(ctx, 400, "Connector ID does not match a valid Connector");
        return this.redirect(ctx, 302, l.url);
      }
      if (links.length === 1) return this.redirect(ctx, 302, links[0].url);
      return ctx.send(200, this.selectionPage(links), "text/html; charset=utf-8");
    }
    const remaining = params.filter(([k]) => k !== "connector_id");
    const q = goValuesEncode(remaining);
    const links = this.connectors.map((c) => ({ c, url: this.abs(`/auth/${encodeURIComponent(c.id)}`) + "?" + q }));
    if (connectorId) {
      const l = links.find((x) => x.c.id === connectorId);
      if (!l) return this.renderError(ctx, 400, "Connector ID does not match a valid Connector");
      return this.redirect(ctx, 302, l.url);
    }
    if (links.length === 1) {
      // Quirk: no `return` after http.Redirect → the selection page is appended to the 302 body.
      return this.redirect(ctx, 302, links[0].url, this.selectionPage(links));
    }
    ctx.send(200, this.selectionPage(links), "text/html; charset=utf-8");
  }

  selectionPage(links) {
    const rows = links
      .map(
        ({ c, url }) => `      <div class="theme-form-row">
        <a href="${htmlEscape(url)}" target="_self">
          <button class="dex-btn theme-btn-provider">
            <span class="dex-btn-icon dex-btn-icon--${htmlEscape(c.type)}"></span>
            <span class="dex-btn-text">Log in with ${htmlEscape(c.name)}</span>
          </button>
        </a>
      </div>`,
      )
      .join("\n");
    return page(
      this.issuerName,
      `<div class="theme-panel">
  <h2 class="theme-heading">Log in to ${htmlEscape(this.issuerName)} </h2>
  <div>
${rows}
  </div>
</div>`,
    );
  }

  // §1.3 GET /dex/auth/{connector}
  handleConnectorLogin(ctx, connId) {
    const conn = this.connectors.find((c) => c.id === connId);
    if (!this.ge("2.29.0")) return this.oldConnectorLogin(ctx, conn);
    if (ctx.method !== "GET") return this.renderError(ctx, 400, "Unsupported request method.");
    if (!conn) return this.renderError(ctx, 400, "Requested resource does not exist.");
    const parsed = this.parseAuthRequest(ctx);
    if (!parsed.req) return this.renderError(ctx, parsed.status, parsed.msg);
    const authReq = parsed.req;
    authReq.connectorId = connId;
    this.authRequests.set(authReq.id, authReq);
    if (conn.type === "github") {
      const q = goValuesEncode({ client_id: "sandbox-github-client", redirect_uri: ctx.publicOrigin + this.abs("/callback"), response_type: "code", scope: "user:email", state: authReq.id });
      return this.redirect(ctx, 302, `https://github.com/login/oauth/authorize?${q}`);
    }
    let back = "";
    if (this.connectors.length > 1) back = this.abs("/auth") + "?" + goValuesEncode(this.allParams(ctx));
    const loginURL = this.abs(`/auth/${encodeURIComponent(connId)}/login`) + "?" + goValuesEncode({ back, state: authReq.id });
    this.redirect(ctx, 302, loginURL);
  }

  // Dex < 2.29: GET renders the form for ?req=<id>, POST logs in.
  oldConnectorLogin(ctx, conn) {
    const reqId = this.formValue(ctx, "req");
    const authReq = this.authRequests.get(reqId);
    if (!authReq || authReq.expiry < Date.now()) return this.renderError(ctx, 400, "Login session expired.");
    if (!conn) return this.renderError(ctx, 400, "Requested resource does not exist.");
    authReq.connectorId = conn.id;
    if (conn.type === "github") return this.redirect(ctx, 302, "https://github.com/login/oauth/authorize?state=" + reqId);
    const postURL = ctx.url.pathname + ctx.url.search;
    const back = this.connectors.length > 1 ? this.abs("/auth") + "?req=" + reqId : "";
    if (ctx.method === "GET") return ctx.send(200, this.passwordPage(postURL, "", conn, false, back), "text/html; charset=utf-8");
    if (ctx.method === "POST") return this.doPasswordPost(ctx, authReq, conn, postURL, back);
    this.renderError(ctx, 400, "Unsupported request method.");
  }

  // §1.4 GET|POST /dex/auth/{connector}/login?back=&state=
  handlePasswordLogin(ctx, connId) {
    const authId = ctx.url.searchParams.get("state") || "";
    if (!authId) return this.renderError(ctx, 400, "User session error.");
    const back = ctx.url.searchParams.get("back") || "";
    const authReq = this.authRequests.get(authId);
    if (!authReq || authReq.expiry < Date.now()) {
      if (authReq) this.authRequests.delete(authId);
      return this.renderError(ctx, 400, "Requested resource does not exist.");
    }
    if (authReq.connectorId !== connId) return this.renderError(ctx, 400, "Requested resource does not exist.");
    const conn = this.connectors.find((c) => c.id === connId);
    if (!conn || conn.type === "github") return this.renderError(ctx, 400, "Requested resource does not exist.");
    const postURL = ctx.url.pathname + ctx.url.search; // r.URL.String()
    if (ctx.method === "GET") return ctx.send(200, this.passwordPage(postURL, "", conn, false, back), "text/html; charset=utf-8");
    if (ctx.method === "POST") return this.doPasswordPost(ctx, authReq, conn, postURL, back);
    this.renderError(ctx, 400, "Unsupported request method.");
  }

  prompt(conn) {
    return conn.prompt || (conn.type === "local" ? "Email Address" : "Username");
  }

  passwordPage(postURL, username, conn, invalid, back) {
    const prompt = this.prompt(conn);
    const inner = `<div class="theme-panel">
  <h2 class="theme-heading">Log in to Your Account</h2>
  <form method="post" action="${htmlEscape(postURL)}">
    <div class="theme-form-row">
      <div class="theme-form-label">
        <label for="userid">${htmlEscape(prompt)}</label>
      </div>
      <input tabindex="1" required id="login" name="login" type="text" class="theme-form-input" placeholder="${htmlEscape(prompt.toLowerCase())}" ${username ? `value="${htmlEscape(username)}"` : "autofocus"}/>
    </div>
    <div class="theme-form-row">
      <div class="theme-form-label">
        <label for="password">Password</label>
      </div>
      <input tabindex="2" required id="password" name="password" type="password" class="theme-form-input" placeholder="password" ${invalid ? "autofocus" : ""}/>
    </div>
${invalid ? `    <div id="login-error" class="dex-error-box">Invalid ${htmlEscape(prompt)} and password.</div>\n` : ""}
    <button tabindex="3" id="submit-login" type="submit" class="dex-btn theme-btn--primary">Login</button>
  </form>
${back ? `  <div class="theme-link-back">\n    <a class="dex-subtle-text" href="${htmlEscape(back)}">Select another login method.</a>\n  </div>\n` : ""}</div>`;
    return page("dex", inner);
  }

  /** Connector Login(): returns identity or null (static passwords: case-insensitive email). */
  login(conn, username, password) {
    if (conn.type === "local") {
      const u = conn.users.find((x) => x.email.toLowerCase() === String(username).toLowerCase());
      if (!u || u.password !== password) return null;
      return { email: u.email, username: u.username || u.email, groups: u.groups || [], userId: u.userId || sha256(u.email).toString("hex").slice(0, 36) };
    }
    if (conn.type === "ldap") {
      if (!password) return null; // empty password = invalid (§1.4)
      const u = conn.users.find((x) => x.login.toLowerCase() === String(username).toLowerCase());
      if (!u || u.password !== password) return null;
      return { email: u.email, username: u.login, groups: u.groups || [], userId: `cn=${u.login},ou=People,dc=example,dc=org` };
    }
    return null;
  }

  doPasswordPost(ctx, authReq, conn, postURL, back) {
    this.stats.passwordPosts++;
    const username = this.formValue(ctx, "login");
    const password = this.formValue(ctx, "password");
    const identity = this.login(conn, username, password);
    if (!identity) {
      const status = this.ge("2.36.0") ? 401 : 200;
      return ctx.send(status, this.passwordPage(postURL, username, conn, true, back), "text/html; charset=utf-8");
    }
    // finalizeLogin
    authReq.loggedIn = true;
    authReq.claims = identity;
    if (!this.ge("2.35.0")) return this.redirect(ctx, 303, this.abs("/approval") + "?req=" + authReq.id);
    let skip;
    if (this.ge("2.37.0")) skip = this.skipApproval && !authReq.forceApproval;
    else if (this.ge("2.36.0")) skip = this.skipApproval || !authReq.forceApproval;
    else skip = false;
    if (skip) return this.sendCodeResponse(ctx, authReq);
    const mac = hmac256(authReq.hmacKey, authReq.id).toString("base64url");
    // Dex builds this by concatenation: "?req=" + id + "&hmac=" + mac (req first).
    this.redirect(ctx, 303, this.abs("/approval") + "?req=" + authReq.id + "&hmac=" + mac);
  }

  // §1.5 GET|POST /dex/approval
  handleApproval(ctx) {
    let authReq;
    if (this.ge("2.35.0")) {
      const macEncoded = this.formValue(ctx, "hmac");
      if (!macEncoded) return this.renderError(ctx, 401, "Unauthorized request");
      authReq = this.authRequests.get(this.formValue(ctx, "req"));
      if (!authReq) return this.renderError(ctx, 500, "Database error.");
      if (!authReq.loggedIn) return this.renderError(ctx, 500, "Login process not yet finalized.");
      const expected = hmac256(authReq.hmacKey, authReq.id).toString("base64url");
      if (macEncoded !== expected) return this.renderError(ctx, 401, "Unauthorized request");
    } else {
      authReq = this.authRequests.get(this.formValue(ctx, "req"));
      if (!authReq) return this.renderError(ctx, 500, "Database error.");
      if (!authReq.loggedIn) return this.renderError(ctx, 500, "Login process not yet finalized.");
    }
    if (ctx.method === "GET") {
      if (this.skipApproval && !this.ge("2.39.0")) return this.sendCodeResponse(ctx, authReq);
      const client = this.clients.find((c) => c.id === authReq.clientId);
      return ctx.send(200, this.approvalPage(authReq, client), "text/html; charset=utf-8");
    }
    if (ctx.method === "POST") {
      this.stats.approvalPosts++;
      if (this.formValue(ctx, "approval") !== "approve") return this.renderError(ctx, 500, "Approval rejected.");
      return this.sendCodeResponse(ctx, authReq);
    }
    this.renderError(ctx, 400, "Unsupported request method.");
  }

  approvalPage(authReq, client) {
    const scopeText = { offline_access: "Have offline access", profile: "View basic profile information", email: "View your email address", groups: "View your groups" };
    const scopes = authReq.scopes.filter((s) => s !== "openid").map((s) => scopeText[s] || s);
    const id = htmlEscape(authReq.id);
    const inner = `<div class="theme-panel">
  <h2 class="theme-heading">Grant Access</h2>
  <hr class="dex-separator">
  <div>
    <div class="dex-subtle-text">${htmlEscape(client ? client.name || client.id : "")} would like to:</div>
    <ul class="dex-list">
${scopes.map((s) => `      <li>${htmlEscape(s)}</li>`).join("\n")}
    </ul>
  </div>
  <hr class="dex-separator">
  <div>
    <div class="theme-form-row">
      <form method="post">
        <input type="hidden" name="req" value="${id}"/>
        <input type="hidden" name="approval" value="approve">
        <button type="submit" class="dex-btn theme-btn--success">
            <span class="dex-btn-text">Grant Access</span>
        </button>
      </form>
    </div>
    <div class="theme-form-row">
      <form method="post">
        <input type="hidden" name="req" value="${id}"/>
        <input type="hidden" name="approval" value="rejected">
        <button type="submit" class="dex-btn theme-btn-provider">
            <span class="dex-btn-text">Cancel</span>
        </button>
      </form>
    </div>
  </div>
</div>`;
    return page("dex", inner);
  }

  sendCodeResponse(ctx, authReq) {
    if (authReq.expiry < Date.now()) return this.renderError(ctx, 400, "User session has expired.");
    if (!this.authRequests.delete(authReq.id)) return this.renderError(ctx, 400, "User session error.");
    const code = {
      id: dexId(),
      clientId: authReq.clientId,
      redirectUri: authReq.redirectUri,
      nonce: authReq.nonce,
      scopes: authReq.scopes,
      claims: authReq.claims,
      codeChallenge: authReq.codeChallenge,
      codeChallengeMethod: authReq.codeChallengeMethod,
      expiry: Date.now() + AUTH_CODE_TTL_MS,
    };
    this.codes.set(code.id, code);
    const [base, existing] = authReq.redirectUri.split("?");
    const q = parseQuery(existing || "").filter(([k]) => k !== "code" && k !== "state");
    q.push(["code", code.id], ["state", authReq.state]);
    this.redirect(ctx, 303, base + "?" + goValuesEncode(q));
  }

  /**
   * In-process model of POST /dex/token grant_type=authorization_code.
   * Returns { claims, nonce } or { error, description }. Codes are single use.
   */
  redeem({ code, clientId, redirectUri, codeVerifier }) {
    const c = this.codes.get(code);
    if (!c) return { error: "invalid_grant", description: "Invalid or expired code parameter." };
    this.codes.delete(code);
    if (c.expiry < Date.now()) return { error: "invalid_grant", description: "Invalid or expired code parameter." };
    if (c.clientId !== clientId) return { error: "invalid_client", description: "Invalid client credentials." };
    if (c.redirectUri !== redirectUri) return { error: "invalid_request", description: "redirect_uri did not match URI from initial request." };
    if (c.codeChallenge) {
      if (!codeVerifier) return { error: "invalid_grant", description: "Expecting parameter code_verifier in PKCE flow." };
      const calc = c.codeChallengeMethod === "S256" ? sha256(codeVerifier).toString("base64url") : codeVerifier;
      if (calc !== c.codeChallenge) return { error: "invalid_grant", description: "Invalid code_verifier." };
    } else if (codeVerifier) {
      return { error: "invalid_grant", description: "No PKCE flow started. Cannot check code_verifier." };
    }
    return { claims: c.claims, nonce: c.nonce, scopes: c.scopes };
  }
}
