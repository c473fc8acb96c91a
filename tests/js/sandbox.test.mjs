// Tests for the sandbox (sandbox/index.mjs): drives the emulated login flows hop by hop with plain
// fetch + redirect:"manual" + a tiny cookie jar, the way shared/research/dex-login-flows.md §7
// says a Node client must. https hops use node:https with the sandbox CA (fetch cannot take a CA
// without undici's Agent). Run: node --test tests/js/sandbox.test.mjs
import assert from "node:assert/strict";
import https from "node:https";
import { test } from "node:test";
import { PROFILES, startSandbox } from "../../sandbox/index.mjs";

const T = { timeout: 30_000 };

// ------------------------------------------------------------------ tiny cookie jar (RFC 6265-ish)
class Jar {
  constructor() {
    this.cookies = []; // { name, value, domain, hostOnly, secure }
  }
  store(setCookies, url) {
    const u = new URL(url);
    for (const sc of setCookies) {
      const [nv, ...attrs] = sc.split(/;\s*/);
      const i = nv.indexOf("=");
      const name = nv.slice(0, i);
      const value = nv.slice(i + 1);
      let domain = null;
      let secure = false;
      let expired = false;
      for (const a of attrs) {
        const [k, v] = a.split("=");
        const key = k.toLowerCase();
        if (key === "domain") domain = v.replace(/^\./, "").toLowerCase();
        if (key === "secure") secure = true;
        if (key === "max-age" && Number(v) <= 0) expired = true;
        if (key === "expires" && Date.parse(v) < Date.now()) expired = true;
      }
      if ((secure || name.startsWith("__Secure-")) && u.protocol !== "https:") continue; // rejected
      if (name.startsWith("__Secure-") && !secure) continue;
      if (domain && !(u.hostname === domain || u.hostname.endsWith("." + domain))) continue; // domain mismatch
      const host = domain || u.hostname;
      this.cookies = this.cookies.filter((c) => !(c.name === name && c.domain === host));
      if (!expired) this.cookies.push({ name, value, domain: host, hostOnly: !domain, secure });
    }
  }
  header(url) {
    const u = new URL(url);
    return this.cookies
      .filter((c) => (c.hostOnly ? u.hostname === c.domain : u.hostname === c.domain || u.hostname.endsWith("." + c.domain)))
      .filter((c) => !c.secure || u.protocol === "https:")
      .map((c) => `${c.name}=${c.value}`)
      .join("; ");
  }
  names() {
    return this.cookies.map((c) => c.name);
  }
}

// ------------------------------------------------------------------ one HTTP hop
async function hop(sb, method, url, { jar, body, headers = {} } = {}) {
  const h = { ...headers };
  const cookie = jar?.header(url);
  if (cookie) h.cookie = cookie;
  if (body !== undefined && !h["content-type"]) h["content-type"] = "application/x-www-form-urlencoded";
  let res;
  if (url.startsWith("https:")) {
    res = await new Promise((resolve, reject) => {
      const r = https.request(url, { method, headers: h, ca: sb.caCertPem }, (m) => {
        const chunks = [];
        m.on("data", (c) => chunks.push(c));
        m.on("end", () => {
          const sc = m.headers["set-cookie"] || [];
          resolve({ status: m.statusCode, location: m.headers.location, contentType: m.headers["content-type"], setCookies: sc, text: Buffer.concat(chunks).toString() });
        });
      });
      r.on("error", reject);
      r.end(body);
    });
  } else {
    const r = await fetch(url, { method, headers: h, body, redirect: "manual" });
    res = { status: r.status, location: r.headers.get("location"), contentType: r.headers.get("content-type"), setCookies: r.headers.getSetCookie(), text: await r.text() };
  }
  jar?.store(res.setCookies, url);
  return res;
}

const unescapeHtml = (s) => s.replace(/&amp;/g, "&").replace(/&#34;/g, '"').replace(/&#39;/g, "'");

/**
 * Full login: returns { jar, trace }. Options: connector (selection page), noCsrf (naive client that
 * drops every cookie before the callback), stopAt (return the response at a matching path).
 */
async function login(sb, user, { jar = new Jar(), noCsrf = false, startUrl = sb.apiUrl } = {}) {
  const trace = [];
  let url = startUrl;
  let res = await hop(sb, "GET", url, { jar });
  trace.push({ method: "GET", url, status: res.status, res });
  for (let i = 0; i < 20; i++) {
    let next = null;
    let method = "GET";
    let body;
    if (res.text.includes('id="login-error"')) break; // bad credentials: stop, do not re-POST
    if (res.status >= 300 && res.status < 400) next = new URL(res.location, url).href;
    else if (res.status === 403 && res.text.includes('action="/oauth2/start"')) {
      const rd = unescapeHtml(res.text.match(/name="rd" value="([^"]*)"/)[1]);
      next = new URL(`/oauth2/start?rd=${encodeURIComponent(rd)}`, url).href;
    } else if (res.status === 200 && /<form method="post" action="/.test(res.text)) {
      next = new URL(unescapeHtml(res.text.match(/<form method="post" action="([^"]*)"/)[1]), url).href;
      method = "POST";
      body = `login=${encodeURIComponent(user.username)}&password=${encodeURIComponent(user.password)}`;
    } else if (res.status === 200 && res.text.includes('name="approval" value="approve"')) {
      next = url; // no action → same URL, query kept
      method = "POST";
      body = `req=${res.text.match(/name="req" value="([^"]+)"/)[1]}&approval=approve`;
    } else if (res.status === 200 && res.text.includes("Log in to dex")) {
      const href = [...res.text.matchAll(/<a href="([^"]+)"/g)].map((m) => unescapeHtml(m[1])).find((h) => h.startsWith(`/dex/auth/${user.connector}?`));
      next = new URL(href, url).href;
    } else break;
    if (noCsrf && /\/(oauth2\/callback|authservice\/oidc\/callback|login\/oidc)\?/.test(next)) jar.cookies = [];
    url = next;
    res = await hop(sb, method, url, { jar, body });
    trace.push({ method, url, status: res.status, res });
  }
  return { jar, trace, last: res };
}

const statuses = (trace) => trace.map((t) => t.status);
const paths = (trace) => trace.map((t) => new URL(t.url).pathname);

async function withSandbox(opts, fn) {
  const sb = await startSandbox(opts);
  try {
    await fn(sb);
  } finally {
    await sb.close();
  }
}

// ------------------------------------------------------------------ tests
test("PROFILES lists the fixed ids", () => {
  for (const id of ["deploykf-0.1.5", "deploykf-0.1.5-signin", "deploykf-0.1.2", "kubeflow-1.9.0", "kubeflow-1.9.1", "kubeflow-1.11", "kubeflow-1.8", "kubeflow-1.5", "deploykf-ldap", "no-auth", "service-account"]) {
    assert.ok(PROFILES.includes(id), id);
  }
});

test("deploykf-0.1.5 over https: full login, split cookie, API errors, expireSessions", T, async () => {
  await withSandbox({ profile: "deploykf-0.1.5", https: true }, async (sb) => {
    assert.match(sb.origin, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(sb.apiUrl, `${sb.origin}/pipeline`);
    const [admin, user1, user2] = sb.users;

    // unauthenticated API route → 401 {} ; Accept: application/json → 401 {}
    let r = await hop(sb, "GET", `${sb.apiUrl}/apis/v2beta1/healthz`);
    assert.equal(r.status, 401);
    assert.equal(r.text, "{}");
    assert.equal(r.contentType, "application/json");
    r = await hop(sb, "GET", `${sb.apiUrl}`, { headers: { accept: "application/json" } });
    assert.equal(r.status, 401);

    const { jar, trace } = await login(sb, admin);
    assert.deepEqual(statuses(trace), [302, 302, 302, 200, 303, 302, 200]);
    const first = trace[0].res;
    assert.ok(first.location.startsWith(`${sb.origin}/dex/auth?client_id=oauth2-proxy&code_challenge=`), first.location);
    assert.match(first.location, /&code_challenge_method=S256&nonce=[\w-]{43}&prompt=none&redirect_uri=https%3A%2F%2F127\.0\.0\.1%3A\d+%2Foauth2%2Fcallback&response_type=code&scope=openid\+email\+groups\+profile\+offline_access&state=[\w-]{43}%3A%2Fpipeline$/);
    assert.match(first.setCookies[0], /^__Secure-_deploykf_token_csrf_[\w-]{8}=[^;]+; Path=\/; Expires=[^;]+; HttpOnly; Secure; SameSite=Lax$/);
    assert.match(trace[2].res.location, /^\/dex\/auth\/local\/login\?back=&state=[a-z][a-z2-7]{24}$/);
    const cb = trace[5].res;
    assert.match(cb.setCookies[0], /^__Secure-_deploykf_token_csrf_[\w-]{8}=; Path=\/; Expires=/);
    assert.match(cb.setCookies[1], /^__Secure-_deploykf_token_0=/);
    assert.match(cb.setCookies[2], /^__Secure-_deploykf_token_1=[^;]+; Path=\/; Expires=[^;]+; HttpOnly; Secure; SameSite=Lax$/);
    assert.ok(!cb.setCookies.some((c) => /Max-Age|Domain/.test(c)));
    assert.equal(sb.stats.logins, 1);

    const api = `${sb.apiUrl}/apis/v2beta1`;
    r = await hop(sb, "GET", `${api}/healthz`, { jar });
    assert.equal(r.status, 200);
    const hz = JSON.parse(r.text);
    assert.equal(hz.multi_user, true);
    assert.equal(hz.apiServerTagName, "2.1.0-deploykf.0");
    r = await hop(sb, "GET", `${api}/experiments?namespace=team-1`, { jar });
    assert.equal(r.status, 200);
    assert.ok(JSON.parse(r.text).experiments.length >= 2);

    // Create; duplicate → 409; missing namespace → 400; unknown id → 404
    const post = (path, obj, j = jar) => hop(sb, "POST", `${api}${path}`, { jar: j, headers: { "content-type": "application/json" }, body: JSON.stringify(obj) });
    r = await post("/experiments", { display_name: "exp a", namespace: "team-1" });
    assert.equal(r.status, 200, r.text);
    const created = JSON.parse(r.text);
    assert.match(created.experiment_id, /^[0-9a-f-]{36}$/);
    assert.equal(created.description, undefined); // zero value omitted
    r = await post("/experiments", { display_name: "exp a", namespace: "team-1" });
    assert.equal(r.status, 409);
    assert.equal(JSON.parse(r.text).code, 6);
    r = await post("/experiments", { display_name: "exp b" });
    assert.equal(r.status, 400);
    assert.match(JSON.parse(r.text).message, /empty namespace in multi-user mode/);
    r = await hop(sb, "GET", `${api}/experiments`, { jar });
    assert.equal(r.status, 400);
    r = await hop(sb, "GET", `${api}/experiments/00000000-0000-0000-0000-000000000000`, { jar });
    assert.equal(r.status, 404);
    assert.equal(JSON.parse(r.text).code, 5);

    // filter: double-encoded works; page_size + token
    const filter = JSON.stringify({ predicates: [{ key: "display_name", operation: "EQUALS", string_value: "exp a" }] });
    r = await hop(sb, "GET", `${api}/experiments?namespace=team-1&filter=${encodeURIComponent(encodeURIComponent(filter))}`, { jar });
    assert.deepEqual(JSON.parse(r.text).experiments.map((e) => e.display_name), ["exp a"]);
    r = await hop(sb, "GET", `${api}/experiments?namespace=team-1&page_size=1`, { jar });
    const page1 = JSON.parse(r.text);
    assert.equal(page1.experiments.length, 1);
    assert.equal(page1.total_size, 3);
    r = await hop(sb, "GET", `${api}/experiments?namespace=team-1&page_size=1&sort_by=display_name&page_token=${encodeURIComponent(page1.next_page_token)}`, { jar });
    assert.equal(r.status, 400);
    assert.match(JSON.parse(r.text).message, /page token does not match/);

    // user2 (view on team-1): list ok, create 403; user1 cannot see team-1-prod writes
    const j2 = (await login(sb, user2)).jar;
    r = await hop(sb, "GET", `${api}/experiments?namespace=team-1`, { jar: j2 });
    assert.equal(r.status, 200);
    r = await post("/experiments", { display_name: "nope", namespace: "team-1" }, j2);
    assert.equal(r.status, 403);
    assert.equal(JSON.parse(r.text).code, 7);
    assert.match(JSON.parse(r.text).message, /User 'user2@example.com' is not authorized with reason:/);
    const j1 = (await login(sb, user1)).jar;
    r = await post("/experiments", { display_name: "prod", namespace: "team-1-prod" }, j1);
    assert.equal(r.status, 403);

    // expireSessions: API → 401 {} and the session cookies get cleared
    sb.expireSessions();
    r = await hop(sb, "GET", `${api}/experiments?namespace=team-1`, { jar });
    assert.equal(r.status, 401);
    assert.equal(r.text, "{}");
    const cleared = r.setCookies.map((c) => c.split("=")[0]).sort();
    assert.deepEqual(cleared, ["__Secure-_deploykf_token_0", "__Secure-_deploykf_token_1"]);
    assert.ok(!jar.names().some((n) => n.startsWith("__Secure-_deploykf_token_")));
    r = await hop(sb, "GET", sb.apiUrl, { jar });
    assert.equal(r.status, 302);
  });
});

test("deploykf-0.1.5: a naive client without the CSRF cookie gets 403 at /oauth2/callback", T, async () => {
  await withSandbox({ profile: "deploykf-0.1.5" }, async (sb) => {
    const { last, trace } = await login(sb, sb.users[1], { noCsrf: true });
    assert.equal(paths(trace).at(-1), "/oauth2/callback");
    assert.equal(last.status, 403);
    assert.match(last.text, /Unable to find a valid CSRF token/);
    // host mismatch: the gateway thinks it is "localhost:<port>" → the CSRF cookie set for 127.0.0.1
    // is not sent to localhost → 403 at the callback.
  });
  await withSandbox({ profile: "deploykf-0.1.5", publicHost: (port) => `localhost:${port}` }, async (sb) => {
    const { last, trace } = await login(sb, sb.users[1]);
    assert.ok(new URL(trace.at(-1).url).hostname === "localhost");
    assert.equal(last.status, 403);
  });
});

test("deploykf-0.1.5: refresh Set-Cookie on an ordinary API response; over http no __Secure-", T, async () => {
  await withSandbox({ profile: "deploykf-0.1.5", refreshSeconds: 1 }, async (sb) => {
    const { jar } = await login(sb, sb.users[1]);
    assert.ok(jar.names().includes("_deploykf_token"));
    const before = jar.header(sb.origin);
    await new Promise((r) => setTimeout(r, 2100));
    const r = await hop(sb, "GET", `${sb.apiUrl}/apis/v2beta1/experiments?namespace=team-1`, { jar });
    assert.equal(r.status, 200);
    assert.match(r.setCookies[0], /^_deploykf_token=[^;]+; Path=\/; Expires=[^;]+; HttpOnly; SameSite=Lax$/);
    assert.notEqual(jar.header(sb.origin), before);
  });
});

test("deploykf-0.1.2: approval hop without page, Domain cookie, v1beta1 only, domain mismatch breaks login", T, async () => {
  await withSandbox({ profile: "deploykf-0.1.2" }, async (sb) => {
    const { jar, trace } = await login(sb, sb.users[1]);
    assert.deepEqual(statuses(trace), [302, 302, 302, 200, 303, 303, 302, 200]);
    assert.match(trace[4].res.location, /^\/dex\/approval\?req=[a-z][a-z2-7]{24}&hmac=[\w-]{43}$/);
    assert.ok(trace[0].res.location.includes("approval_prompt=force"));
    assert.match(trace[0].res.setCookies[0], /; Domain=127\.0\.0\.1; /);
    let r = await hop(sb, "GET", `${sb.apiUrl}/apis/v2beta1/healthz`, { jar });
    assert.equal(r.status, 404);
    r = await hop(sb, "GET", `${sb.apiUrl}/apis/v1beta1/experiments?resource_reference_key.type=NAMESPACE&resource_reference_key.id=team-1`, { jar });
    assert.equal(r.status, 200);
    assert.equal(JSON.parse(r.text).experiments[0].storage_state, "STORAGESTATE_AVAILABLE");
    r = await hop(sb, "GET", `${sb.apiUrl}/apis/v1beta1/experiments`); // no api_routes → 302
    assert.equal(r.status, 302);
  });
  await withSandbox({ profile: "deploykf-0.1.2", publicHost: (port) => `localhost:${port}` }, async (sb) => {
    const r = await hop(sb, "GET", sb.apiUrl);
    assert.match(r.setCookies[0], /; Domain=localhost; /);
    const jar = new Jar();
    jar.store(r.setCookies, sb.apiUrl); // client talks to 127.0.0.1 → Domain=localhost is rejected
    assert.deepEqual(jar.names(), []);
  });
});

test("kubeflow-1.9.0: Grant Access page must be POSTed", T, async () => {
  await withSandbox({ profile: "kubeflow-1.9.0", https: true }, async (sb) => {
    const { jar, trace } = await login(sb, sb.users[0]);
    assert.deepEqual(statuses(trace), [302, 302, 302, 200, 303, 200, 303, 302, 200]);
    assert.match(trace[0].res.location, /^\/dex\/auth\?approval_prompt=force&client_id=kubeflow-oidc-authservice&redirect_uri=%2Foauth2%2Fcallback&response_type=code&scope=profile\+email\+groups\+openid&state=[\w-]{43}%3A%2Fpipeline$/);
    assert.match(trace[0].res.setCookies[0], /^oauth2_proxy_kubeflow_csrf=[^;]+; Path=\/; Expires=[^;]+; HttpOnly$/); // no Secure even over https
    assert.equal(trace[5].method, "GET");
    assert.match(trace[5].res.text, /Grant Access/);
    assert.equal(sb.stats.approvalPosts, 1);
    const r = await hop(sb, "GET", `${sb.apiUrl}/apis/v1beta1/experiments?resource_reference_key.type=NAMESPACE&resource_reference_key.id=kubeflow-user-example-com`, { jar });
    assert.equal(r.status, 200);
    // API path unauthenticated → 302 to Dex (no api_routes in 1.9.0)
    const u = await hop(sb, "GET", `${sb.apiUrl}/apis/v2beta1/healthz`);
    assert.equal(u.status, 302);
    assert.ok(u.location.startsWith("/dex/auth?"));
    // Approval without hmac → 401
    const noHmac = await hop(sb, "GET", `${sb.origin}/dex/approval?req=abc`);
    assert.equal(noHmac.status, 401);
  });
});

test("kubeflow-1.9.1: 403 sign-in → /oauth2/start, api_routes 401 {}, RBAC on Authorization, wrong password 401", T, async () => {
  await withSandbox({ profile: "kubeflow-1.9.1" }, async (sb) => {
    let r = await hop(sb, "GET", `${sb.apiUrl}/apis/v2beta1/healthz`);
    assert.equal(r.status, 401);
    assert.equal(r.text, "{}");
    r = await hop(sb, "GET", `${sb.apiUrl}/apis/v2beta1/healthz`, { headers: { authorization: "Bearer nope" } });
    assert.equal(r.status, 403);
    assert.equal(r.text, "RBAC: access denied");
    r = await hop(sb, "GET", sb.apiUrl, { headers: { accept: "application/json" } }); // Accept not forwarded
    assert.equal(r.status, 403);

    // wrong password: 401 + login-error, auth request stays valid
    const jar = new Jar();
    const bad = await login(sb, { username: "user@example.com", password: "wrong" }, { jar });
    assert.equal(bad.last.status, 401);
    assert.match(bad.last.text, /<div id="login-error" class="dex-error-box">Invalid Email Address and password\.<\/div>/);

    const { trace } = await login(sb, sb.users[0]);
    assert.deepEqual(statuses(trace), [403, 302, 302, 302, 200, 303, 302, 200]);
    assert.equal(paths(trace)[1], "/oauth2/start");
    assert.match(trace[1].res.location, /^\/dex\/auth\?client_id=kubeflow-oidc-authservice&code_challenge=[\w-]{43}&code_challenge_method=S256&prompt=none&redirect_uri=%2Foauth2%2Fcallback/);
    assert.match(trace[6].res.setCookies[1], /^oauth2_proxy_kubeflow=[^;]+; Path=\/; Expires=[^;]+; HttpOnly$/);
    // naive client: CSRF cookie dropped → 403
    const naive = await login(sb, sb.users[0], { noCsrf: true });
    assert.equal(naive.last.status, 403);
  });
});

test("kubeflow-1.11: Max-Age cookies", T, async () => {
  await withSandbox({ profile: "kubeflow-1.11" }, async (sb) => {
    const { trace } = await login(sb, sb.users[0]);
    assert.match(trace[1].res.setCookies[0], /^oauth2_proxy_kubeflow_csrf=[^;]+; Path=\/; Max-Age=900; HttpOnly$/);
    const cb = trace.find((t) => t.url.includes("/oauth2/callback")).res;
    assert.equal(cb.setCookies[0], "oauth2_proxy_kubeflow_csrf=; Path=/; Max-Age=0; HttpOnly");
    assert.match(cb.setCookies[1], /; Path=\/; Max-Age=86400; HttpOnly$/);
  });
});

test("kubeflow-1.8: oidc-authservice state cookie, CSRF check, expiry → 302", T, async () => {
  await withSandbox({ profile: "kubeflow-1.8" }, async (sb) => {
    const { jar, trace } = await login(sb, sb.users[0]);
    assert.deepEqual(statuses(trace), [302, 302, 302, 200, 303, 302, 200]);
    assert.match(trace[0].res.location, /^\/dex\/auth\?client_id=kubeflow-oidc-authservice&redirect_uri=%2Fauthservice%2Foidc%2Fcallback&response_type=code&scope=openid\+profile\+email\+groups&state=/);
    assert.match(trace[0].res.setCookies[0], /^oidc_state_csrf=[^;]+; Path=\/; Expires=[^;]+; Max-Age=1200000000000$/);
    const cb = trace[5].res;
    assert.equal(cb.setCookies[0], "oidc_state_csrf=; Path=/; Max-Age=0");
    assert.match(cb.setCookies[1], /^authservice_session=[^;]+; Path=\/; Expires=[^;]+; Max-Age=86400; SameSite=Lax$/);
    let r = await hop(sb, "GET", `${sb.apiUrl}/apis/v2beta1/experiments?namespace=kubeflow-user-example-com`, { jar });
    assert.equal(r.status, 200);
    sb.expireSessions();
    r = await hop(sb, "GET", `${sb.apiUrl}/apis/v2beta1/experiments?namespace=kubeflow-user-example-com`, { jar });
    assert.equal(r.status, 302);
    const naive = await login(sb, sb.users[0], { noCsrf: true });
    assert.equal(naive.last.status, 400);
    assert.match(naive.last.text, /CSRF check failed/);
  });
});

test("kubeflow-1.5: Dex 2.22 ?req= flow, wrong password 200, v1beta1 only", T, async () => {
  await withSandbox({ profile: "kubeflow-1.5" }, async (sb) => {
    const bad = await login(sb, { username: "user@example.com", password: "nope" });
    assert.equal(bad.last.status, 200);
    assert.match(bad.last.text, /id="login-error"/);
    const { jar, trace } = await login(sb, sb.users[0]);
    assert.deepEqual(statuses(trace), [302, 302, 200, 303, 303, 302, 200]);
    assert.match(trace[1].res.location, /^\/dex\/auth\/local\?req=[a-z][a-z2-7]{24}$/);
    assert.match(trace[3].res.location, /^\/dex\/approval\?req=[a-z][a-z2-7]{24}$/);
    assert.match(trace[4].res.location, /^\/login\/oidc\?code=[a-z][a-z2-7]{24}&state=/);
    let r = await hop(sb, "GET", `${sb.apiUrl}/apis/v2beta1/healthz`, { jar });
    assert.equal(r.status, 404);
    r = await hop(sb, "GET", `${sb.apiUrl}/apis/v1beta1/healthz`, { jar });
    assert.equal(r.status, 200);
  });
});

test("deploykf-ldap: selection page, LDAP login, empty password invalid", T, async () => {
  await withSandbox({ profile: "deploykf-ldap" }, async (sb) => {
    const alice = sb.users.find((u) => u.username === "alice");
    assert.equal(sb.namespaceOf("alice"), "team-alice");
    const bad = await login(sb, { ...alice, password: "" });
    assert.equal(bad.last.status, 401);
    assert.match(bad.last.text, /Invalid Username and password\./);
    const { jar, trace } = await login(sb, alice);
    assert.deepEqual(statuses(trace), [302, 200, 302, 200, 303, 302, 200]);
    const sel = trace[1].res.text;
    assert.match(sel, /Log in to dex/);
    for (const id of ["local", "ldap", "github"]) assert.match(sel, new RegExp(`<a href="/dex/auth/${id}\\?client_id=oauth2-proxy&amp;`));
    assert.match(sel, /Log in with LDAP/);
    assert.match(trace[2].res.location, /^\/dex\/auth\/ldap\/login\?back=%2Fdex%2Fauth%3Fclient_id%3D.+&state=[a-z][a-z2-7]{24}$/);
    const r = await hop(sb, "GET", `${sb.apiUrl}/apis/v2beta1/experiments?namespace=team-alice`, { jar });
    assert.equal(r.status, 200);
    // connector_id picks a connector; unknown → 400
    const q = new URL(trace[1].url).search;
    let c = await hop(sb, "GET", `${sb.origin}/dex/auth${q}&connector_id=nope`);
    assert.equal(c.status, 400);
    assert.match(c.text, /Connector ID does not match a valid Connector/);
    c = await hop(sb, "GET", `${sb.origin}/dex/auth/github${q}`);
    assert.equal(c.status, 302);
    assert.ok(c.location.startsWith("https://github.com/login/oauth/authorize?"));
  });
});

test("service-account and no-auth", T, async () => {
  await withSandbox({ profile: "service-account" }, async (sb) => {
    assert.equal(sb.apiUrl, sb.origin);
    const ns = "kubeflow-user-example-com";
    let r = await hop(sb, "GET", `${sb.apiUrl}/apis/v2beta1/healthz`);
    assert.deepEqual(Object.keys(JSON.parse(r.text)).sort(), ["commit_sha", "multi_user", "tag_name"]);
    r = await hop(sb, "GET", `${sb.apiUrl}/apis/v2beta1/experiments?namespace=${ns}`);
    assert.equal(r.status, 401);
    const e = JSON.parse(r.text);
    assert.equal(e.code, 16);
    assert.match(e.message, /Failed to authenticate/);
    assert.deepEqual(e.details, []);
    const token = sb.issueToken("system:serviceaccount:x:y", { namespace: ns });
    r = await hop(sb, "GET", `${sb.apiUrl}/apis/v2beta1/experiments?namespace=${ns}`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(r.status, 200);
    r = await hop(sb, "GET", `${sb.apiUrl}/apis/v2beta1/experiments?namespace=other`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(r.status, 403);
    sb.revokeToken(token);
    r = await hop(sb, "GET", `${sb.apiUrl}/apis/v2beta1/experiments?namespace=${ns}`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(r.status, 401);
  });
  await withSandbox({ profile: "no-auth" }, async (sb) => {
    assert.equal(sb.apiUrl, sb.origin);
    let r = await hop(sb, "GET", `${sb.apiUrl}/apis/v2beta1/healthz`);
    assert.equal(r.status, 200);
    assert.equal(JSON.parse(r.text).multi_user, false);
    r = await hop(sb, "GET", `${sb.apiUrl}/apis/v2beta1/experiments`);
    assert.equal(r.status, 200);
    assert.equal(JSON.parse(r.text).experiments.length, 2);
    assert.ok(sb.stats.requests.every((x) => x.cookieNames.length === 0));
  });
});
