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
//   §7 (Browser): a page can drive the login only from the gateway's own origin, so the sandbox
//        can serve static directories there (`startSandbox({ static: { "/dashboard/": dir } })`),
//        outside the auth proxy, like the /dex/ and /oauth2/ routes (see sandbox/README.md).
// and shared/kfp-api/REPORT.md §3.1 (the UI proxies /apis/* at the root and under /pipeline).
import fs from "node:fs";
import path from "node:path";
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

const STATIC_TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".yaml": "text/yaml; charset=utf-8",
  ".yml": "text/yaml; charset=utf-8",
  ".ts": "text/plain; charset=utf-8",
  ".map": "application/json",
};

/**
 * Static files from `sb.static` (`{ "/prefix/": dir }`, the longest prefix wins), served before
 * the auth proxy: the page loads without a session. GET/HEAD only; `index.html` for a folder;
 * no `..`, no dot files. Returns false when no prefix matches.
 */
function serveStatic(sb, ctx) {
  const p = ctx.url.pathname;
  let prefix = null;
  for (const m of Object.keys(sb.static)) {
    if ((p.startsWith(m) || p + "/" === m) && (!prefix || m.length > prefix.length)) prefix = m;
  }
  if (!prefix) return false;
  if (ctx.method !== "GET" && ctx.method !== "HEAD") {
    ctx.send(405, "Method Not Allowed\n", "text/plain; charset=utf-8", { Allow: "GET, HEAD" });
    return true;
  }
  if (p + "/" === prefix) {
    ctx.send(301, "", undefined, { Location: prefix + ctx.url.search });
    return true;
  }
  let rel;
  try {
    rel = decodeURIComponent(p.slice(prefix.length));
  } catch {
    ctx.send(400, "Bad Request\n", "text/plain; charset=utf-8");
    return true;
  }
  const segments = rel.split("/");
  if (rel.includes("\0") || rel.includes("\\") || segments.some((s) => s === ".." || s.startsWith("."))) {
    ctx.send(404, "404 page not found\n", "text/plain; charset=utf-8");
    return true;
  }
  let file = path.join(sb.static[prefix], ...segments);
  let st = fs.statSync(file, { throwIfNoEntry: false });
  if (st?.isDirectory()) {
    if (!p.endsWith("/")) {
      ctx.send(301, "", undefined, { Location: p + "/" + ctx.url.search });
      return true;
    }
    file = path.join(file, "index.html");
    st = fs.statSync(file, { throwIfNoEntry: false });
  }
  if (!st?.isFile()) {
    ctx.send(404, "404 page not found\n", "text/plain; charset=utf-8");
    return true;
  }
  const type = STATIC_TYPES[path.extname(file).toLowerCase()] ?? "application/octet-stream";
  ctx.send(200, fs.readFileSync(file), type, { "Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff" });
  return true;
}

function handle(sb, ctx) {
  const def = sb.def;
  const p = ctx.url.pathname;
  if (sb.static && serveStatic(sb, ctx)) return;
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
