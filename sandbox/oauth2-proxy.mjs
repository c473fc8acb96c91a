// Emulated oauth2-proxy (oauth2-proxy/oauth2-proxy v7.4 – v7.13), in-process, as wired behind
// Istio ext_authz in Kubeflow ≥ 1.9 and deployKF.
//
// Follows shared/research/dex-login-flows.md §2:
//   §2.1 unauthenticated: 401 `{}` (isAjax: an Accept value exactly "application/json", when the
//        gateway forwards Accept; or an api_routes regex on the path) → else skip_provider_button
//        302 to the IdP → else 403 sign-in page (clears present session cookies).
//   §2.2 login URL: url.Values.Encode() of approval_prompt|prompt, client_id, code_challenge(+method),
//        nonce, redirect_uri, response_type, scope, state=<43-char hash>:<rd>.
//   §2.3 CSRF cookie `<name>_csrf` or per-request `<name>_csrf_<state[:8]>` (v7.4–7.7.0) /
//        `<name>_<state[:8]>_csrf` (v7.7.1+); value `<b64url padded>|<ts>|<sig>`; 15m.
//   §2.4 attributes in Go order; Expires (≤ 7.8.1) vs Max-Age (≥ 7.8.2); clearing.
//   §2.5 callback: error= → 403; CSRF cookie missing → 403; redeem fails → 500; state mismatch → 403;
//        success → 302 rd with [csrf cleared, session]; session split into _0,_1 above 4000 chars.
//   §2.6 expiry (cookie ts + cookie_expire), invalid cookie → cleared then unauthenticated;
//        cookie_refresh → fresh Set-Cookie on an ordinary request.
//   §2.7 skip_jwt_bearer_tokens (deployKF): a verifiable Bearer token becomes the session.
import crypto from "node:crypto";
import {
  b64url43,
  b64urlPadded,
  goValuesEncode,
  htmlEscape,
  parseCookieHeader,
  serializeCookie,
  sha256,
  signedValue,
  validateSignedValue,
} from "./cookies.mjs";

const MAX_COOKIE_LENGTH = 4000; // pkg/sessions/cookie/session_store.go

function versionAtLeast(v, want) {
  const a = String(v).split(".").map(Number);
  const b = String(want).split(".").map(Number);
  for (let i = 0; i < 3; i++) {
    if ((a[i] || 0) !== (b[i] || 0)) return (a[i] || 0) > (b[i] || 0);
  }
  return true;
}

export class OAuth2Proxy {
  /**
   * @param {object} o see profiles.mjs (`oauth2Proxy` blocks) for the fields.
   */
  constructor(o) {
    Object.assign(this, o);
    this.secret = crypto.randomBytes(32);
    this.aesKey = crypto.randomBytes(32);
    this.useMaxAge = versionAtLeast(this.version, "7.8.2");
    this.csrfStore = new Map(); // csrf cookie payload → { stateHash, nonce, verifier }
    this.sessionGen = new Map(); // sid → current generation (refresh-token rotation, §2.6)
    this.epoch = 0; // bumped by expireSessions()
  }

  // ---------------------------------------------------------------- cookies (§2.4)
  cookieName(ctx) {
    return this.securePrefix && ctx.scheme === "https" ? `__Secure-${this.cookieBaseName}` : this.cookieBaseName;
  }
  secureFlag(ctx) {
    return this.cookieSecure === "scheme" ? ctx.scheme === "https" : !!this.cookieSecure;
  }
  makeCookie(ctx, name, value, ttlSeconds) {
    const now = Date.now();
    const opts = { path: "/", domain: this.cookieDomain ? this.cookieDomain(ctx) : undefined, httpOnly: true, secure: this.secureFlag(ctx), sameSite: this.sameSite };
    if (this.useMaxAge) opts.maxAge = ttlSeconds < 0 ? -1 : ttlSeconds;
    else opts.expires = ttlSeconds < 0 ? now - 3600 * 1000 : now + ttlSeconds * 1000;
    return serializeCookie(name, value, opts);
  }
  clearCookie(ctx, name) {
    return this.makeCookie(ctx, name, "", -1);
  }
  csrfCookieName(ctx, stateHash) {
    const base = this.cookieName(ctx);
    if (!this.csrfPerRequest) return `${base}_csrf`;
    const sub = stateHash.slice(0, 8);
    return versionAtLeast(this.version, "7.7.1") ? `${base}_${sub}_csrf` : `${base}_csrf_${sub}`;
  }
  /** Set-Cookie headers clearing `<name>` and `<name>_N` present in the request. */
  clearSessionCookies(ctx) {
    const name = this.cookieName(ctx);
    const re = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(_\\d+)?$`);
    const seen = new Set();
    for (const c of parseCookieHeader(ctx.headers.cookie)) {
      if (re.test(c.name) && !seen.has(c.name)) {
        seen.add(c.name);
        ctx.setCookie(this.clearCookie(ctx, c.name));
      }
    }
  }
  /** Load `<name>` or the joined `<name>_0`, `<name>_1`, … */
  loadSessionCookie(ctx) {
    const name = this.cookieName(ctx);
    const cookies = parseCookieHeader(ctx.headers.cookie);
    const whole = cookies.find((c) => c.name === name);
    if (whole) return whole.value;
    let joined = "";
    for (let i = 0; ; i++) {
      const part = cookies.find((c) => c.name === `${name}_${i}`);
      if (!part) break;
      joined += part.value;
    }
    return joined || undefined;
  }
  /** Session cookie(s), split like splitCookie() when the full cookie string reaches 4000 chars. */
  sessionCookies(ctx, value) {
    const name = this.cookieName(ctx);
    const ttl = this.expireSeconds;
    const single = this.makeCookie(ctx, name, value, ttl);
    if (single.length < MAX_COOKIE_LENGTH) return [single];
    const out = [];
    let rest = value;
    for (let i = 0; rest.length > 0; i++) {
      const n = `${name}_${i}`;
      let c = this.makeCookie(ctx, n, rest, ttl);
      if (c.length > MAX_COOKIE_LENGTH) {
        const keep = rest.length - (c.length - MAX_COOKIE_LENGTH);
        c = this.makeCookie(ctx, n, rest.slice(0, keep), ttl);
        rest = rest.slice(keep);
      } else rest = "";
      out.push(c);
    }
    return out;
  }

  // ---------------------------------------------------------------- sessions (§2.5, §2.6)
  encodeSession(ctx, s) {
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv("aes-256-gcm", this.aesKey, iv);
    const enc = Buffer.concat([cipher.update(JSON.stringify(s)), cipher.final(), cipher.getAuthTag()]);
    const payload = b64urlPadded(Buffer.concat([iv, enc]));
    return signedValue(this.secret, this.cookieName(ctx), payload, Math.floor(Date.now() / 1000));
  }
  decodeSession(ctx, raw) {
    const v = validateSignedValue(this.secret, this.cookieName(ctx), raw);
    if (!v) return null;
    try {
      const buf = Buffer.from(v.value.replace(/=+$/, ""), "base64url");
      const iv = buf.subarray(0, 12);
      const tag = buf.subarray(buf.length - 16);
      const decipher = crypto.createDecipheriv("aes-256-gcm", this.aesKey, iv);
      decipher.setAuthTag(tag);
      const json = Buffer.concat([decipher.update(buf.subarray(12, buf.length - 16)), decipher.final()]).toString();
      return { session: JSON.parse(json), ts: v.ts };
    } catch {
      return null;
    }
  }
  newSession(claims) {
    const sid = crypto.randomUUID();
    this.sessionGen.set(sid, 0);
    // Realistic bulk: oauth2-proxy stores the id_token, access token and refresh token.
    const fakeJwt = (n) => b64url43(crypto.randomBytes(n));
    return {
      sid,
      gen: 0,
      ep: this.epoch,
      email: claims.email,
      user: claims.userId || claims.email,
      preferred_username: claims.username,
      groups: claims.groups || [],
      id_token: `${fakeJwt(40)}.${fakeJwt(300)}.${fakeJwt(256)}`,
      access_token: `${fakeJwt(40)}.${fakeJwt(300)}.${fakeJwt(256)}`,
      refresh_token: fakeJwt(24),
    };
  }

  expireSessions() {
    this.epoch++;
    this.sessionGen.clear();
  }

  // ---------------------------------------------------------------- routes
  /** /oauth2/* endpoints. Returns true if handled. */
  handle(ctx) {
    const p = ctx.url.pathname;
    if (p === "/oauth2/start") return this.doOAuthStart(ctx, this.validRedirect(ctx.url.searchParams.get("rd"))), true;
    if (p === "/oauth2/sign_in") {
      const rd = this.validRedirect(ctx.url.searchParams.get("rd"));
      if (this.skipProviderButton) return this.doOAuthStart(ctx, rd), true;
      return this.signInPage(ctx, 200, rd), true;
    }
    if (p === "/oauth2/callback") return this.callback(ctx), true;
    if (p === "/oauth2/sign_out") {
      this.clearSessionCookies(ctx);
      ctx.redirect(302, this.validRedirect(ctx.url.searchParams.get("rd")));
      return true;
    }
    if (p === "/oauth2/auth") {
      const id = this.authenticate(ctx, { silent: true });
      if (id) ctx.send(202, "");
      else if (!ctx.res.headersSent) ctx.json(401, {});
      return true;
    }
    if (p.startsWith("/oauth2/")) {
      ctx.send(404, "404 page not found\n", "text/plain; charset=utf-8");
      return true;
    }
    return false;
  }

  validRedirect(rd) {
    if (!rd || !rd.startsWith("/") || rd.startsWith("//") || rd.startsWith("/\\")) return "/";
    return rd;
  }

  isAjax(ctx) {
    if (!this.forwardAccept) return false;
    const values = ctx.req.headersDistinct?.accept || [];
    return values.some((v) => v === "application/json");
  }

  isApiPath(ctx) {
    return (this.apiRoutes || []).some((re) => new RegExp(re).test(ctx.url.pathname));
  }

  /**
   * Authenticate a protected request. Returns identity { email, groups } or null after having
   * written the unauthenticated response (§2.1). Refresh Set-Cookie is queued on ctx.
   */
  authenticate(ctx, { silent = false } = {}) {
    // §2.7 skip_jwt_bearer_tokens: a verifiable bearer wins, anything else is ignored.
    const auth = ctx.headers.authorization;
    if (this.bearerLookup && auth && /^Bearer /i.test(auth)) {
      const id = this.bearerLookup(auth.slice(7).trim());
      if (id) return id;
    }
    const raw = this.loadSessionCookie(ctx);
    if (raw !== undefined) {
      const decoded = this.decodeSession(ctx, raw);
      const nowS = Math.floor(Date.now() / 1000);
      let ok = !!decoded && decoded.ts + this.expireSeconds >= nowS && decoded.session.ep === this.epoch;
      if (ok && this.refreshSeconds > 0 && nowS - decoded.ts > this.refreshSeconds) {
        // Refresh with the refresh token. Dex rotates refresh tokens: a stale cookie whose
        // session was already refreshed fails, and its id_token has expired → dropped (inferred, §2.6).
        const s = decoded.session;
        if (this.sessionGen.get(s.sid) !== s.gen) ok = false;
        else {
          s.gen++;
          this.sessionGen.set(s.sid, s.gen);
          s.refresh_token = b64url43(crypto.randomBytes(24));
          for (const c of this.sessionCookies(ctx, this.encodeSession(ctx, s))) ctx.setCookie(c);
        }
      }
      if (ok) {
        const s = decoded.session;
        return { email: s.email, groups: s.groups, user: s.user };
      }
      this.clearSessionCookies(ctx);
    }
    if (silent) return null;
    this.unauthenticated(ctx);
    return null;
  }

  unauthenticated(ctx) {
    if (this.isAjax(ctx) || this.isApiPath(ctx)) return ctx.json(401, {});
    const rd = ctx.url.pathname + ctx.url.search;
    if (this.skipProviderButton) return this.doOAuthStart(ctx, rd);
    this.clearSessionCookies(ctx);
    this.signInPage(ctx, 403, rd);
  }

  signInPage(ctx, status, rd) {
    const html = `<!DOCTYPE html>
<html lang="en" charset="utf-8">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1, maximum-scale=1, user-scalable=no">
    <title>Sign In</title>
  </head>
  <body class="has-background-light">
  <section class="section">
    <div class="box block has-text-centered">
      <form class="block" method="GET" action="/oauth2/start">
        <input type="hidden" name="rd" value="${htmlEscape(rd)}">
        <button type="submit" class="button block is-primary">Sign in with OpenID Connect</button>
      </form>
    </div>
  </section>
  <footer>Secured with <a href="https://github.com/oauth2-proxy/oauth2-proxy#oauth2_proxy">OAuth2 Proxy</a> version v${htmlEscape(this.version)}</footer>
  </body>
</html>
`;
    ctx.send(status, html, "text/html; charset=utf-8");
  }

  errorPage(ctx, status, title, message) {
    const html = `<!DOCTYPE html>
<html lang="en" charset="utf-8">
<head>
  <meta charset="utf-8">
  <title>${status} ${htmlEscape(title)}</title>
</head>
<body>
  <section class="section">
    <div class="box block has-text-centered">
      <h1 class="title is-1 has-text-danger">${status}</h1>
      <h2 class="subtitle is-3">${htmlEscape(title)}</h2>
      <p>${htmlEscape(message)}</p>
    </div>
  </section>
</body>
</html>
`;
    ctx.send(status, html, "text/html; charset=utf-8");
  }

  // §2.2 + §2.3
  doOAuthStart(ctx, rd) {
    const oauthState = crypto.randomBytes(32);
    const oidcNonce = crypto.randomBytes(32);
    const stateHash = b64url43(sha256(oauthState));
    const nonceHash = b64url43(sha256(oidcNonce));
    const verifier = crypto.randomBytes(96).toString("base64url");
    const params = {
      client_id: this.clientId,
      redirect_uri: this.redirectUrl(ctx),
      response_type: "code",
      scope: this.scope,
      state: `${stateHash}:${rd}`,
    };
    if (this.prompt) params.prompt = this.prompt;
    else params.approval_prompt = "force";
    if (this.pkce) {
      params.code_challenge = b64url43(sha256(verifier));
      params.code_challenge_method = "S256";
    }
    if (this.nonce) params.nonce = nonceHash;
    const payload = b64urlPadded(crypto.randomBytes(100));
    this.csrfStore.set(payload, { stateHash, nonce: this.nonce ? nonceHash : "", verifier: this.pkce ? verifier : "" });
    const name = this.csrfCookieName(ctx, stateHash);
    ctx.setCookie(this.makeCookie(ctx, name, signedValue(this.secret, name, payload, Math.floor(Date.now() / 1000)), this.csrfTtlSeconds));
    ctx.redirect(302, this.loginUrl(ctx) + "?" + goValuesEncode(params));
  }

  // §2.5
  callback(ctx) {
    const q = ctx.url.searchParams;
    const csrfMsg = "Login Failed: Unable to find a valid CSRF token. Please try again.";
    if (q.get("error")) return this.errorPage(ctx, 403, "Forbidden", `Login Failed: The upstream identity provider returned an error: ${q.get("error")}`);
    const state = q.get("state") || "";
    const colon = state.indexOf(":");
    const stateHash = colon < 0 ? state : state.slice(0, colon);
    const rd = colon < 0 ? "" : state.slice(colon + 1);
    const name = this.csrfCookieName(ctx, stateHash);
    const raw = parseCookieHeader(ctx.headers.cookie).find((c) => c.name === name)?.value;
    const v = raw ? validateSignedValue(this.secret, name, raw) : null;
    const csrf = v && v.ts + this.csrfTtlSeconds >= Math.floor(Date.now() / 1000) ? this.csrfStore.get(v.value) : null;
    if (!csrf) return this.errorPage(ctx, 403, "Forbidden", csrfMsg);
    const redeemed = this.dex.redeem({ code: q.get("code") || "", clientId: this.clientId, redirectUri: this.redirectUrl(ctx), codeVerifier: csrf.verifier });
    if (redeemed.error) return this.errorPage(ctx, 500, "Internal Server Error", "Oops! Something went wrong. For more information contact your server administrator.");
    ctx.setCookie(this.clearCookie(ctx, name));
    this.csrfStore.delete(v.value);
    if (csrf.stateHash !== stateHash) return this.errorPage(ctx, 403, "Forbidden", csrfMsg);
    if (this.nonce && redeemed.nonce !== csrf.nonce) return this.errorPage(ctx, 403, "Forbidden", "Login Failed: Session validation failed");
    const session = this.newSession(redeemed.claims);
    for (const c of this.sessionCookies(ctx, this.encodeSession(ctx, session))) ctx.setCookie(c);
    this.stats.logins++;
    ctx.redirect(302, this.validRedirect(rd));
  }
}
