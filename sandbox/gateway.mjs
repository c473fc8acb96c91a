// The emulated ingress gateway: Istio (Kubeflow) or the deployKF Istio gateway, routing to Dex,
// the auth proxy (oauth2-proxy ext_authz or oidc-authservice) and the KFP UI / API server.
//
// Follows shared/research/dex-login-flows.md:
//   §2.8 ext_authz wiring: /dex/ and /oauth2/ skip auth; on allow the user id reaches KFP as
//        `kubeflow-userid` (client-sent kubeflow-userid headers are overwritten/ignored);
//        Kubeflow ≥ 1.9.1: any request with an Authorization header bypasses oauth2-proxy and, without
//        a valid JWT, gets Istio's 403 text/plain "RBAC: access denied" (§2.7, §5).
//   §3   deployKF routes: /pipeline, /dex/, /oauth2/, /logout → /oauth2/sign_out.
//   §6(d) standalone KFP (no auth): everything 200 without cookies.
// and shared/kfp-api/REPORT.md §3.1 (the UI proxies /apis/* at the root and under /pipeline).
import { parseCookieHeader, parseQuery, htmlEscape } from "./cookies.mjs";

const MAX_BODY = 1 << 20; // text bodies (forms, JSON)
const MAX_RAW_BODY = 40 << 20; // raw bytes kept for the KFP upload handler (32 MiB file + multipart framing)

const UI_HTML = (title) => `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>${htmlEscape(title)}</title>
    <base href="./">
  </head>
  <body>
    <noscript>You need to enable JavaScript to run this app.</noscript>
    <div id="root"></div>
  </body>
</html>
`;

function makeCtx(sb, req, res, body, rawBody, bodyTooLarge) {
  const raw = req.url || "/";
  const qi = raw.indexOf("?");
  const url = new URL(raw.startsWith("/") ? raw : "/" + raw, `${sb.scheme}://${req.headers.host || "localhost"}`);
  const rawQuery = qi < 0 ? "" : raw.slice(qi + 1);
  const isForm = /^application\/x-www-form-urlencoded/i.test(req.headers["content-type"] || "");
  const cookies = [];
  const ctx = {
    req,
    res,
    method: req.method,
    url,
    headers: req.headers,
    query: parseQuery(rawQuery),
    form: isForm && req.method === "POST" ? parseQuery(body) : [],
    body,
    rawBody,
    bodyTooLarge,
    scheme: sb.scheme,
    publicOrigin: sb.publicOrigin(),
    publicHost: sb.publicHost(),
    setCookie(c) {
      cookies.push(c);
    },
    send(status, text, contentType, headers = {}) {
      if (res.headersSent) return;
      if (cookies.length) res.setHeader("Set-Cookie", cookies);
      for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
      if (contentType) res.setHeader("Content-Type", contentType);
      res.setHeader("Content-Length", Buffer.byteLength(text));
      res.writeHead(status);
      res.end(req.method === "HEAD" ? undefined : text);
    },
    json(status, obj, headers) {
      ctx.send(status, JSON.stringify(obj), "application/json", headers);
    },
    /** Go http.Redirect. */
    redirect(status, location) {
      const text = status === 303 ? "See Other" : "Found";
      const b = req.method === "GET" || req.method === "HEAD" ? `<a href="${htmlEscape(location)}">${text}</a>.\n\n` : "";
      ctx.send(status, b, b ? "text/html; charset=utf-8" : undefined, { Location: location });
    },
  };
  return ctx;
}

/** The upstream apps behind the gateway (KFP UI under /pipeline, a tiny dashboard at /). */
function routeApp(sb, ctx, identity) {
  const p = ctx.url.pathname;
  const kind = sb.def.kind;
  if (kind === "service-account") {
    if (sb.kfp.handle(ctx, p, identity, { surface: "apiserver", unauthenticated: ctx.unauthenticatedMessage })) return;
    return ctx.send(404, "404 page not found\n", "text/plain; charset=utf-8");
  }
  if (p === "/pipeline" || p === "/pipeline/" || p === "/pipeline/index.html") return ctx.send(200, UI_HTML("Kubeflow Pipelines"), "text/html; charset=utf-8");
  if (p.startsWith("/pipeline/apis/")) {
    if (sb.kfp.handle(ctx, p.slice("/pipeline".length), identity, { surface: "ui" })) return;
  }
  if (kind === "none" && p.startsWith("/apis/")) {
    if (sb.kfp.handle(ctx, p, identity, { surface: "ui" })) return;
  }
  if (p === "/") return ctx.send(200, UI_HTML(kind === "none" ? "Kubeflow Pipelines" : "Kubeflow Central Dashboard"), "text/html; charset=utf-8");
  ctx.send(404, `Cannot ${ctx.method} ${htmlEscape(p)}\n`, "text/html; charset=utf-8");
}

function handle(sb, ctx) {
  const def = sb.def;
  const p = ctx.url.pathname;
  if (def.kind === "none") return routeApp(sb, ctx, null);

  if (def.kind === "service-account") {
    // KFP API server authenticators: kubeflow-userid header, then TokenReview of the Bearer token.
    const userHeader = ctx.headers["kubeflow-userid"];
    const auth = ctx.headers.authorization;
    let identity = null;
    if (userHeader) identity = { email: String(userHeader) };
    else if (auth && /^Bearer /i.test(auth)) {
      identity = sb.lookupToken(auth.slice(7).trim());
      if (!identity) {
        ctx.unauthenticatedMessage =
          "Failed to authorize with API: Unauthenticated: Failed to authenticate token review. Review.Status: {Authenticated:false User:{Username: UID: Groups:[] Extra:map[]} Audiences:[] Error:[invalid bearer token, token lookup failed]}";
      }
    } else {
      ctx.unauthenticatedMessage =
        "Failed to authorize with API: Unauthenticated: Failed to authenticate the request: Request header error: there is no user identity header nor an Authorization: Bearer token.";
    }
    return routeApp(sb, ctx, identity);
  }

  if (p === "/dex" || p.startsWith("/dex/")) {
    if (sb.dex.handle(ctx)) return;
  }

  if (def.kind === "oauth2-proxy") {
    if (def.logoutRoute && p === "/logout") return ctx.redirect(302, "/oauth2/sign_out");
    if (sb.proxy.handle(ctx)) return;
    if (def.istioAuthorizationBypass && ctx.headers.authorization !== undefined) {
      const m = /^Bearer\s+(.+)$/i.exec(ctx.headers.authorization);
      const identity = m ? sb.lookupToken(m[1].trim()) : null;
      if (!identity) return ctx.send(403, "RBAC: access denied", "text/plain");
      return routeApp(sb, ctx, identity);
    }
    const identity = sb.proxy.authenticate(ctx);
    if (!identity) return;
    return routeApp(sb, ctx, identity);
  }

  if (def.kind === "authservice") {
    if (sb.authservice.handle(ctx)) return;
    const identity = sb.authservice.authenticate(ctx);
    if (!identity) return;
    return routeApp(sb, ctx, identity);
  }
  ctx.send(500, "unknown profile kind\n", "text/plain");
}

/** Build the node:http(s) request listener for a sandbox. */
export function createRequestListener(sb) {
  return (req, res) => {
    const chunks = [];
    let size = 0;
    res.on("finish", () => {
      sb.stats.requests.push({
        method: req.method,
        path: req.url,
        status: res.statusCode,
        cookieNames: parseCookieHeader(req.headers.cookie).map((c) => c.name),
        hasAuthorization: req.headers.authorization !== undefined,
        host: req.headers.host,
      });
    });
    req.on("data", (c) => {
      size += c.length;
      if (size <= MAX_RAW_BODY) chunks.push(c);
    });
    req.on("end", () => {
      const rawBody = Buffer.concat(chunks);
      const body = (rawBody.length > MAX_BODY ? rawBody.subarray(0, MAX_BODY) : rawBody).toString("utf8");
      const ctx = makeCtx(sb, req, res, body, rawBody, size > MAX_RAW_BODY);
      try {
        handle(sb, ctx);
      } catch (err) {
        if (!res.headersSent) ctx.send(500, `sandbox error: ${err.stack || err}\n`, "text/plain");
      }
    });
  };
}
