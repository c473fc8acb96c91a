// Emulated arrikto/oidc-authservice (Kubeflow 1.3 – 1.8), in-process, as Istio ext_authz.
//
// Follows shared/research/dex-login-flows.md §4 and §6(c):
//   e236439 (KF 1.7/1.8): unauthenticated → 302 /dex/auth?client_id=kubeflow-oidc-authservice&
//     redirect_uri=%2Fauthservice%2Foidc%2Fcallback&response_type=code&scope=openid+profile+email+groups&state=<S>
//     + `oidc_state_csrf=<S>; Path=/; Expires=…; Max-Age=1200000000000` (the int(20*time.Minute) bug,
//     no HttpOnly). Callback checks state == cookie else 400 "CSRF check failed…"; success 302 to the
//     first visited path+query, clears oidc_state_csrf (Max-Age=0), sets
//     `authservice_session=<v>; Path=/; Expires=+24h; Max-Age=86400; SameSite=Lax`.
//   6ac9400 (KF ≤ 1.6): callback /login/oidc, state kept server-side (no state cookie).
//   Expired/unknown session → 302 again, never 401. The session value is also accepted as
//   `Authorization: Bearer <session>`. Sessions live in a server-side store (BoltDB upstream).
import crypto from "node:crypto";
import { b64urlPadded, getCookie, goValuesEncode, serializeCookie } from "./cookies.mjs";

const STATE_COOKIE = "oidc_state_csrf";
const SESSION_COOKIE = "authservice_session";

/** A gorilla/securecookie-looking value: base64url(`<ts>|<b64 value>|<b64 mac>`) → starts "MTc…". */
function secureCookieValue(secret, name, plaintext) {
  const ts = Math.floor(Date.now() / 1000);
  const value = Buffer.from(plaintext).toString("base64url");
  const mac = crypto.createHmac("sha256", secret).update(`${name}|${ts}|${value}`).digest().toString("base64url");
  return b64urlPadded(Buffer.from(`${ts}|${value}|${mac}`));
}

export class AuthService {
  /**
   * @param {object} o
   * @param {"e236439"|"6ac9400"} o.commit
   * @param {import("./dex.mjs").Dex} o.dex
   * @param {number} o.sessionTtlSeconds
   * @param {object} o.stats
   */
  constructor(o) {
    Object.assign(this, o);
    this.secret = crypto.randomBytes(32);
    this.callbackPath = this.commit === "6ac9400" ? "/login/oidc" : "/authservice/oidc/callback";
    this.clientId = "kubeflow-oidc-authservice";
    this.states = new Map(); // state → { firstVisited, created }
    this.sessions = new Map(); // session value → { email, groups, created }
  }

  expireSessions() {
    this.sessions.clear();
  }

  /** Handles the OIDC callback route. */
  handle(ctx) {
    if (ctx.url.pathname !== this.callbackPath) return false;
    const q = ctx.url.searchParams;
    const state = q.get("state") || "";
    if (this.commit === "e236439") {
      const cookie = getCookie(ctx.req, STATE_COOKIE);
      if (!cookie || cookie !== state) {
        ctx.send(400, "CSRF check failed. This may happen if you opened the login form in more than 1 tabs. Try to login again.\n", "text/plain; charset=utf-8");
        return true;
      }
    }
    const st = this.states.get(state);
    if (!st) {
      ctx.send(400, "CSRF check failed. This may happen if you opened the login form in more than 1 tabs. Try to login again.\n", "text/plain; charset=utf-8");
      return true;
    }
    const redeemed = this.dex.redeem({ code: q.get("code") || "", clientId: this.clientId, redirectUri: this.callbackPath });
    if (redeemed.error) {
      ctx.send(500, `Failed to exchange authorization code with token: oauth2: cannot fetch token: 400 Bad Request\nResponse: {"error":"${redeemed.error}","error_description":"${redeemed.description}"}\n`, "text/plain; charset=utf-8");
      return true;
    }
    this.states.delete(state);
    const value = secureCookieValue(this.secret, SESSION_COOKIE, crypto.randomBytes(48).toString("hex"));
    this.sessions.set(value, { email: redeemed.claims.email, groups: redeemed.claims.groups, created: Date.now() });
    const ttl = this.sessionTtlSeconds;
    if (this.commit === "e236439") ctx.setCookie(serializeCookie(STATE_COOKIE, "", { path: "/", maxAge: -1 }));
    ctx.setCookie(
      serializeCookie(SESSION_COOKIE, value, {
        path: "/",
        expires: Date.now() + ttl * 1000,
        maxAge: ttl,
        sameSite: this.commit === "e236439" ? "Lax" : undefined, // inferred: 6ac9400 had no SameSite option
      }),
    );
    this.stats.logins++;
    ctx.redirect(302, st.firstVisited);
    return true;
  }

  /** Returns identity or null after writing the 302 to Dex. */
  authenticate(ctx) {
    let value = getCookie(ctx.req, SESSION_COOKIE);
    const auth = ctx.headers.authorization;
    if (!value && auth && /^Bearer /i.test(auth)) value = auth.slice(7).trim();
    if (value) {
      const s = this.sessions.get(value);
      if (s && s.created + this.sessionTtlSeconds * 1000 >= Date.now()) return { email: s.email, groups: s.groups };
      if (s) this.sessions.delete(value);
    }
    const firstVisited = ctx.url.pathname + ctx.url.search;
    const state = this.commit === "e236439" ? secureCookieValue(this.secret, STATE_COOKIE, firstVisited) : crypto.randomBytes(16).toString("base64url");
    this.states.set(state, { firstVisited, created: Date.now() });
    if (this.commit === "e236439") {
      ctx.setCookie(serializeCookie(STATE_COOKIE, state, { path: "/", expires: Date.now() + 20 * 60 * 1000, maxAge: 1200000000000 }));
    }
    const q = goValuesEncode({ client_id: this.clientId, redirect_uri: this.callbackPath, response_type: "code", scope: "openid profile email groups", state });
    ctx.redirect(302, `/dex/auth?${q}`);
    return null;
  }
}

