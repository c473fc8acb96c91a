// Passwords, cookie values and tokens never appear in an error (message, stack, String(),
// JSON.stringify(), util.inspect() with its cause chain), in the client object, or in anything
// written to stdout/stderr/console while the client logs in, calls the API and fails.
//
// Every secret is distinctive and random, so a match is never a coincidence. Cookie values and
// OAuth parameters the gateway hands out during a login are collected by a recording `fetch`.
import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import util from "node:util";
import { PROFILE_DEFS } from "../../sandbox/index.mjs";
import { closedPort, createKfpClient, KfpClientManager, KfpError, listen, rejection, withSandbox } from "./helpers.mjs";

/** Every secret any test has used or seen; checked in every error. */
const SECRETS = new Set();
const secret = (value) => {
  SECRETS.add(value);
  return value;
};
const fresh = (prefix) => secret(`${prefix}-${randomBytes(9).toString("hex")}`);

/** A profile's users with a distinctive password each (the sandbox's `users` option). */
function usersWithSecretPasswords(profile) {
  return PROFILE_DEFS[profile].users.map((u, i) => ({ ...u, password: u.password === null ? null : fresh(`S3cret-Pa55-${i}`) }));
}

/** Starts a sandbox whose users have secret passwords. */
const secretSandbox = (opts, fn) => withSandbox({ ...opts, users: usersWithSecretPasswords(opts.profile) }, fn);

/** Client options for a sandbox user (https sandboxes: trusted through caCert). */
function dexOptions(sb, user, extra = {}) {
  return {
    apiUrl: sb.apiUrl,
    auth: { type: "dex", username: user.username, password: user.password, connector: user.connector ?? "local" },
    ...(sb.https ? { caCert: sb.caCertPem } : {}),
    ...extra,
  };
}

/** Adds the values of a `Cookie` header string ("a=1; b=2") to the secrets. */
function cookieValues(header) {
  const values = [];
  for (const pair of (header ?? "").split(";")) {
    const value = pair.trim().split("=").slice(1).join("=");
    if (value.length >= 8) values.push(secret(value));
  }
  return values;
}

/**
 * The global fetch, recording what the gateway hands out: every Set-Cookie value and the OAuth
 * parameters (code, state, hmac, req) of every redirect.
 */
function recordingFetch() {
  const seen = { cookies: 0, params: 0 };
  const f = async (url, init) => {
    const res = await fetch(url, init);
    for (const line of res.headers.getSetCookie()) {
      const value = line.split(";")[0].split("=").slice(1).join("=");
      if (value.length >= 8) {
        secret(value);
        seen.cookies++;
      }
    }
    const location = res.headers.get("location");
    if (location) {
      const params = new URL(location, url).searchParams;
      for (const key of ["code", "state", "hmac", "req"]) {
        const value = params.get(key);
        if (value && value.length >= 8) {
          secret(value);
          seen.params++;
        }
      }
    }
    return res;
  };
  return Object.assign(f, { seen });
}

/** The ways an error gets printed or logged. */
function renderings(err) {
  return {
    message: String(err?.message),
    stack: String(err?.stack),
    "String(err)": String(err),
    "JSON.stringify(err)": JSON.stringify(err) ?? "",
    "util.inspect(err)": util.inspect(err, { depth: 5, showHidden: true }),
  };
}

/** Asserts that no secret appears in any rendering of `err`. */
function assertNoSecrets(err, label) {
  assert.ok(err instanceof Error, `${label}: expected an error, got ${typeof err}`);
  for (const [view, text] of Object.entries(renderings(err))) {
    for (const s of SECRETS) {
      assert.ok(!text.includes(s), `${label}: ${view} contains a secret (${s.slice(0, 6)}…): ${err.message}`);
    }
  }
}

/** Awaits the rejection, checks its code, and checks it for secrets. */
async function failsCleanly(promise, code, label) {
  const err = await rejection(promise);
  assert.equal(err.code, code, `${label}: ${err.message}`);
  if (code.startsWith("KFP_")) assert.ok(err instanceof KfpError, label);
  assertNoSecrets(err, label);
  return err;
}

describe("dex logins that fail", () => {
  for (const [profile, userIndex] of [["kubeflow-1.9.1", 0], ["kubeflow-1.5", 0], ["kubeflow-1.8", 0], ["deploykf-0.1.5", 1], ["deploykf-ldap", 3]]) {
    test(`${profile}: a wrong password`, async () => {
      await secretSandbox({ profile }, async (sb) => {
        const user = sb.users[userIndex];
        assert.ok(SECRETS.has(user.password), "the sandbox user has the secret password");
        const wrong = fresh("Wr0ng-Pa55");
        const fetch = recordingFetch();
        await failsCleanly(createKfpClient(dexOptions(sb, { ...user, password: wrong }, { fetch })), "KFP_INVALID_CREDENTIALS", "wrong password");
        assert.equal(sb.stats.passwordPosts, 1, "the wrong password was really sent");
        assert.ok(fetch.seen.params > 0, "the login's OAuth parameters were recorded");
      });
    });
  }

  test("a connector typo, with the right password", async () => {
    await secretSandbox({ profile: "deploykf-ldap" }, async (sb) => {
      const fetch = recordingFetch();
      const err = await failsCleanly(createKfpClient(dexOptions(sb, { ...sb.users[3], connector: "ladp" }, { fetch })), "KFP_UNKNOWN_CONNECTOR", "connector typo");
      assert.deepEqual(err.offeredConnectors, ["local", "ldap", "github"]);
    });
  });

  test("a host mismatch (deployKF redirecting to its configured host), CSRF cookie values included", async () => {
    await secretSandbox({ profile: "deploykf-0.1.5", publicHost: (port) => `localhost:${port}` }, async (sb) => {
      const fetch = recordingFetch();
      await failsCleanly(createKfpClient(dexOptions(sb, sb.users[1], { fetch })), "KFP_HOST_MISMATCH", "host mismatch");
      assert.ok(fetch.seen.cookies > 0, "the CSRF cookie's value was recorded");
    });
  });

  test("a cookie the jar must refuse (deployKF ≤ 0.1.3 Domain), its value included", async () => {
    await secretSandbox({ profile: "deploykf-0.1.2", publicHost: (port) => `localhost:${port}` }, async (sb) => {
      const fetch = recordingFetch();
      const err = await failsCleanly(createKfpClient(dexOptions(sb, sb.users[1], { fetch })), "KFP_COOKIE_REJECTED", "cookie rejected");
      assert.match(err.message, /_deploykf_token_csrf/, "the cookie is named");
      assert.ok(fetch.seen.cookies > 0);
    });
  });

  test("TLS failure: an https gateway without caCert", async () => {
    await secretSandbox({ profile: "kubeflow-1.9.1", https: true }, async (sb) => {
      const { caCert, ...options } = dexOptions(sb, sb.users[0]);
      assert.ok(caCert);
      await failsCleanly(createKfpClient(options), "KFP_TLS_ERROR", "TLS");
    });
  });

  test("network failure: nothing listens", async () => {
    const password = fresh("S3cret-Pa55");
    const apiUrl = `http://127.0.0.1:${await closedPort()}/pipeline`;
    await failsCleanly(createKfpClient({ apiUrl, auth: { type: "dex", username: "u@example.com", password } }), "KFP_NETWORK_ERROR", "network");
  });

  test("timeout: a gateway that never answers", async () => {
    const password = fresh("S3cret-Pa55");
    const silent = await listen(() => {});
    try {
      await failsCleanly(createKfpClient({ apiUrl: silent.origin, auth: { type: "dex", username: "u@example.com", password }, timeoutMs: 150 }), "KFP_TIMEOUT", "timeout");
    } finally {
      await silent.close();
    }
  });
});

describe("sessions", () => {
  for (const profile of ["kubeflow-1.9.1", "kubeflow-1.8", "deploykf-0.1.5"]) {
    test(`${profile}: API 403/404 with a session, then an expired "cookies" session`, async () => {
      await secretSandbox({ profile }, async (sb) => {
        const user = sb.users[0]; // on deployKF the admin, whose session cookie is split in _0/_1
        const namespace = user.namespace;
        const fetch = recordingFetch();
        const client = await createKfpClient(dexOptions(sb, user, { namespace, fetch }));
        const session = client.getSessionCookies();
        const values = cookieValues(session);
        assert.ok(values.length >= 1, `session cookie values: ${session?.length} chars`);
        assert.ok(fetch.seen.cookies >= values.length);

        await failsCleanly(client.getExperiment(randomUUID()), "KFP_NOT_FOUND", "404 with a session");
        const other = profile === "deploykf-0.1.5" ? null : "someone-elses-namespace";
        if (other) await failsCleanly(client.listExperiments({ namespace: other }), "KFP_PERMISSION_DENIED", "403 with a session");
        await failsCleanly(client.request("GET", "/apis/v2beta1/nope"), "KFP_NOT_FOUND", "request() 404");

        const cookieClient = await createKfpClient({ apiUrl: sb.apiUrl, auth: { type: "cookies", cookies: session }, namespace });
        assert.ok(Array.isArray((await cookieClient.listExperiments()).experiments));
        await failsCleanly(cookieClient.getExperiment(randomUUID()), "KFP_NOT_FOUND", "404 with cookies auth");
        sb.expireSessions();
        await failsCleanly(cookieClient.listExperiments(), "KFP_SESSION_EXPIRED", "expired cookies session");
      });
    });
  }

  test("a real session cookie over TLS failure and network failure", async () => {
    let session;
    await secretSandbox({ profile: "kubeflow-1.9.1", https: true }, async (sb) => {
      const client = await createKfpClient(dexOptions(sb, sb.users[0]));
      session = client.getSessionCookies();
      assert.ok(cookieValues(session).length >= 1);
      const untrusted = await createKfpClient({ apiUrl: sb.apiUrl, auth: { type: "cookies", cookies: session } });
      await failsCleanly(untrusted.listExperiments({ namespace: "kubeflow-user-example-com" }), "KFP_TLS_ERROR", "TLS with cookies");
    });
    const gone = await createKfpClient({ apiUrl: `http://127.0.0.1:${await closedPort()}/pipeline`, auth: { type: "cookies", cookies: session } });
    await failsCleanly(gone.listExperiments({ namespace: "kubeflow-user-example-com" }), "KFP_NETWORK_ERROR", "network with cookies");
  });
});

describe("tokens", () => {
  const SA = "system:serviceaccount:kubeflow-user-example-com:default-editor";
  const NS = "kubeflow-user-example-com";

  test("a bearer token the server rejects (revoked), and one it never issued", async () => {
    await withSandbox({ profile: "service-account" }, async (sb) => {
      const token = secret(sb.issueToken(SA));
      const client = await createKfpClient({ apiUrl: sb.apiUrl, auth: { type: "bearer", token }, namespace: NS });
      assert.ok((await client.listExperiments()).experiments.length >= 1);
      sb.revokeToken(token);
      const err = await failsCleanly(client.listExperiments(), "KFP_UNAUTHENTICATED", "revoked token");
      assert.equal(err.status, 401);
      const bogus = await createKfpClient({ apiUrl: sb.apiUrl, auth: { type: "bearer", token: fresh("tok") }, namespace: NS });
      await failsCleanly(bogus.createExperiment("x"), "KFP_UNAUTHENTICATED", "unknown token");
    });
  });

  test("a bearer token through the Kubeflow gateway: Istio's 403", async () => {
    await withSandbox({ profile: "kubeflow-1.9.1" }, async (sb) => {
      const client = await createKfpClient({ apiUrl: sb.apiUrl, auth: { type: "bearer", token: fresh("tok") }, namespace: NS });
      await failsCleanly(client.listExperiments(), "KFP_PERMISSION_DENIED", "RBAC: access denied");
    });
  });

  test("a token function that worked, then throws", async () => {
    await withSandbox({ profile: "service-account" }, async (sb) => {
      const token = secret(sb.issueToken(SA));
      let calls = 0;
      const client = await createKfpClient({
        apiUrl: sb.apiUrl,
        namespace: NS,
        auth: {
          type: "bearer",
          token: async () => {
            calls++;
            if (calls > 1) throw new Error("the vault is sealed");
            return token;
          },
        },
      });
      assert.ok((await client.listExperiments()).experiments.length >= 1);
      const err = await failsCleanly(client.listExperiments(), "KFP_TOKEN_UNAVAILABLE", "token function threw");
      assert.equal(err.cause?.message, "the vault is sealed");
      await failsCleanly(
        (await createKfpClient({ apiUrl: sb.apiUrl, auth: { type: "bearer", token: () => 42 } })).healthz(),
        "KFP_TOKEN_UNAVAILABLE",
        "token function returned a number",
      );
    });
  });

  test("serviceAccountToken: a missing file, a token the server rejects, a revoked one", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kfp-wasm-sa-"));
    try {
      await withSandbox({ profile: "service-account" }, async (sb) => {
        const missing = await createKfpClient({ apiUrl: sb.apiUrl, auth: { type: "serviceAccountToken", path: join(dir, "nope", "token") }, namespace: NS });
        const err = await failsCleanly(missing.listExperiments(), "KFP_TOKEN_UNAVAILABLE", "missing token file");
        assert.match(err.message, /nope/);

        const bogusPath = join(dir, "bogus");
        writeFileSync(bogusPath, fresh("sa-tok") + "\n");
        const bogus = await createKfpClient({ apiUrl: sb.apiUrl, auth: { type: "serviceAccountToken", path: bogusPath }, namespace: NS });
        await failsCleanly(bogus.listExperiments(), "KFP_UNAUTHENTICATED", "unknown file token");

        const goodPath = join(dir, "token");
        const token = secret(sb.issueToken(SA));
        writeFileSync(goodPath, token);
        const client = await createKfpClient({ apiUrl: sb.apiUrl, auth: { type: "serviceAccountToken", path: goodPath }, namespace: NS });
        assert.ok((await client.listExperiments()).experiments.length >= 1);
        sb.revokeToken(token);
        await failsCleanly(client.listExperiments(), "KFP_UNAUTHENTICATED", "revoked file token");
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a bearer token over network failure and timeout", async () => {
    const token = fresh("tok");
    const gone = await createKfpClient({ apiUrl: `http://127.0.0.1:${await closedPort()}`, auth: { type: "bearer", token } });
    await failsCleanly(gone.healthz(), "KFP_NETWORK_ERROR", "network with a token");
    const silent = await listen(() => {});
    try {
      const slow = await createKfpClient({ apiUrl: silent.origin, auth: { type: "bearer", token }, timeoutMs: 150 });
      await failsCleanly(slow.healthz(), "KFP_TIMEOUT", "timeout with a token");
    } finally {
      await silent.close();
    }
  });
});

describe("options holding secrets of the wrong type or shape", () => {
  const digits = String(100000000 + Math.floor(Math.random() * 800000000));
  const CASES = [
    ["password a number", () => ({ apiUrl: "http://h", auth: { type: "dex", username: "u", password: Number(secret(digits)) } }), "ERR_INVALID_ARG_TYPE"],
    ["password an object", () => ({ apiUrl: "http://h", auth: { type: "dex", username: "u", password: { value: fresh("S3cret-Pa55") } } }), "ERR_INVALID_ARG_TYPE"],
    ["password an array", () => ({ apiUrl: "http://h", auth: { type: "dex", username: "u", password: [fresh("S3cret-Pa55")] } }), "ERR_INVALID_ARG_TYPE"],
    ["password a Buffer", () => ({ apiUrl: "http://h", auth: { type: "dex", username: "u", password: Buffer.from(fresh("S3cret-Pa55")) } }), "ERR_INVALID_ARG_TYPE"],
    ["token an object", () => ({ apiUrl: "http://h", auth: { type: "bearer", token: { token: fresh("tok") } } }), "ERR_INVALID_ARG_TYPE"],
    ["token whitespace", () => ({ apiUrl: "http://h", auth: { type: "bearer", token: "   " } }), "ERR_INVALID_ARG_VALUE"],
    ["cookies an array", () => ({ apiUrl: "http://h", auth: { type: "cookies", cookies: [`s=${fresh("ck")}`] } }), "ERR_INVALID_ARG_TYPE"],
    ["cookies an object", () => ({ apiUrl: "http://h", auth: { type: "cookies", cookies: { s: fresh("ck") } } }), "ERR_INVALID_ARG_TYPE"],
    ["a password in apiUrl", () => ({ apiUrl: `https://user:${fresh("S3cret-Pa55")}@kf.example.com/pipeline` }), "ERR_INVALID_ARG_VALUE"],
    ["a token header value with a line break", () => ({ apiUrl: "http://h", headers: { "X-Api-Key": `${fresh("key")}\r\nX-Evil: 1` } }), "ERR_INVALID_ARG_VALUE"],
    ["an Authorization header with dex auth", () => ({ apiUrl: "http://h", auth: { type: "dex", username: "u", password: "p" }, headers: { Authorization: `Bearer ${fresh("tok")}` } }), "ERR_INVALID_ARG_VALUE"],
    ["a Cookie header", () => ({ apiUrl: "http://h", headers: { Cookie: `session=${fresh("ck")}` } }), "ERR_INVALID_ARG_VALUE"],
    ["a cookie string with an empty name", () => ({ apiUrl: "http://h", auth: { type: "cookies", cookies: `=${fresh("ck")}` } }), "ERR_INVALID_ARG_VALUE"],
  ];
  for (const [label, make, code] of CASES) {
    test(label, async () => {
      const options = make();
      await failsCleanly(createKfpClient(options), code, label);
      assert.throws(() => new KfpClientManager(options), (err) => {
        assert.equal(err.code, code);
        assertNoSecrets(err, `${label} (KfpClientManager)`);
        return true;
      });
    });
  }

  // A session cookie VALUE pasted without its name (a common mistake) must not be echoed:
  // check_cookie_string names the position of the bad pair instead of quoting it.
  test("a cookie value pasted without its name is not echoed", async () => {
    const value = fresh("ck");
    for (const cookies of [value, `other=1; ${value}`]) {
      await failsCleanly(createKfpClient({ apiUrl: "http://h", auth: { type: "cookies", cookies } }), "ERR_INVALID_ARG_VALUE", "bare cookie value");
    }
  });
});

describe("servers that echo what they were sent", () => {
  const FORM = (action) =>
    `<!DOCTYPE html><html><head><title>dex</title></head><body><form method="post" action="${action}">` +
    `<input id="login" name="login" type="text"/><input id="password" name="password" type="password"/>` +
    `<button type="submit" id="submit-login">Login</button></form></body></html>`;

  /** A Dex-like gateway whose password POST answers `status` with the submitted form echoed. */
  const echoingDex = (status, type) => (req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      if (req.url.startsWith("/pipeline")) {
        res.writeHead(302, { location: "/dex/auth/local/login?back=&state=st4te" });
        return res.end();
      }
      if (req.method === "GET") {
        res.writeHead(200, { "content-type": "text/html" });
        return res.end(FORM(req.url));
      }
      const echoed = decodeURIComponent(body);
      res.writeHead(status, { "content-type": type });
      res.end(type === "application/json" ? JSON.stringify({ error: "bad form", message: `got ${echoed}` }) : type === "text/html" ? `<html><body><p>got ${echoed}</p></body></html>` : `got ${echoed}`);
    });
  };

  test("a Dex page that re-renders the form with an error box (200) does not leak the password", async () => {
    const server = await listen(echoingDex(200, "text/html"));
    try {
      const password = fresh("S3cret-Pa55");
      await failsCleanly(createKfpClient({ apiUrl: `${server.origin}/pipeline`, auth: { type: "dex", username: "u@example.com", password } }), "KFP_INVALID_CREDENTIALS", "200 echo");
    } finally {
      await server.close();
    }
  });

  // A gateway or WAF that echoes the submitted form in its error page: the login quotes the
  // server, so the password (raw, URL- and form-encoded) is scrubbed from every excerpt.
  for (const [status, type] of [[500, "text/plain"], [400, "application/json"], [502, "text/html"]]) {
    test(`the password POST answered ${status} ${type} echoing the form`, async () => {
      const server = await listen(echoingDex(status, type));
      try {
        const password = fresh("S3cret-Pa55");
        await failsCleanly(createKfpClient({ apiUrl: `${server.origin}/pipeline`, auth: { type: "dex", username: "u@example.com", password } }), "KFP_LOGIN_FAILED", `${status} echo`);
      } finally {
        await server.close();
      }
    });
  }

  // KFP error bodies are quoted, even when they repeat the Authorization or Cookie header the
  // client sent: every error leaving the client is scrubbed of its token and cookie values.
  const echoingApi = () =>
    listen((req, res) => {
      const status = req.url.includes("/experiments/") ? 404 : 500;
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify({ code: status === 404 ? 5 : 13, message: `request had authorization=${req.headers.authorization} cookie=${req.headers.cookie}` }));
    });

  test("an API error body echoing the bearer token", async () => {
    const server = await echoingApi();
    try {
      const bearer = await createKfpClient({ apiUrl: server.origin, auth: { type: "bearer", token: fresh("tok") }, apiVersion: "v2beta1" });
      await failsCleanly(bearer.healthz(), "KFP_SERVER_ERROR", "500 echoing the token");
    } finally {
      await server.close();
    }
  });

  test("an API error body echoing the session cookie", async () => {
    const server = await echoingApi();
    try {
      const cookies = await createKfpClient({ apiUrl: server.origin, auth: { type: "cookies", cookies: `session=${fresh("ck")}` }, apiVersion: "v2beta1" });
      await failsCleanly(cookies.getExperiment("abc"), "KFP_NOT_FOUND", "404 echoing the cookie");
    } finally {
      await server.close();
    }
  });
});

describe("the client object and everything printed", () => {
  test("util.inspect / JSON.stringify of a logged-in client and of a manager show no secret", async () => {
    await secretSandbox({ profile: "kubeflow-1.9.1" }, async (sb) => {
      const options = dexOptions(sb, sb.users[0], { namespace: "kubeflow-user-example-com" });
      const client = await createKfpClient(options);
      cookieValues(client.getSessionCookies());
      const manager = new KfpClientManager(options);
      const bearer = await createKfpClient({ apiUrl: sb.apiUrl, auth: { type: "bearer", token: fresh("tok") } });
      for (const [label, obj] of [["client", client], ["manager", manager], ["bearer client", bearer]]) {
        const texts = [util.inspect(obj, { depth: 5, showHidden: true, getters: true }), JSON.stringify(obj) ?? "", String(obj), Object.keys(obj).join(",")];
        for (const text of texts) for (const s of SECRETS) assert.ok(!text.includes(s), `${label} shows a secret (${s.slice(0, 6)}…): ${text}`);
      }
      assert.ok(SECRETS.has(options.auth.password));
    });
  });

  test("nothing written to stdout, stderr, console or as a warning during login, calls and failures holds a secret", async () => {
    const captured = [];
    const record = (chunk) => captured.push(typeof chunk === "string" ? chunk : Buffer.isBuffer(chunk) || chunk instanceof Uint8Array ? Buffer.from(chunk).toString("utf8") : util.inspect(chunk));
    const originals = { out: process.stdout.write, err: process.stderr.write };
    const consoleNames = ["log", "info", "warn", "error", "debug", "trace", "dir", "table"];
    const consoleOriginals = Object.fromEntries(consoleNames.map((n) => [n, console[n]]));
    const onWarning = (w) => record(`${w.name}: ${w.message}\n${w.stack}`);
    const marker = `capture-check-${randomUUID()}`;
    process.stdout.write = function (chunk, ...rest) {
      record(chunk);
      if (String(chunk).includes(marker)) return true; // seen, not shown
      return originals.out.call(this, chunk, ...rest);
    };
    process.stderr.write = function (chunk, ...rest) {
      record(chunk);
      return originals.err.call(this, chunk, ...rest);
    };
    for (const n of consoleNames) {
      console[n] = (...args) => {
        const line = util.format(...args);
        record(line);
        if (line.includes(marker)) return undefined; // seen, not shown
        return consoleOriginals[n].apply(console, args);
      };
    }
    process.on("warning", onWarning);
    try {
      console.log(marker); // proves the capture works
      await secretSandbox({ profile: "deploykf-0.1.5" }, async (sb) => {
        const fetch = recordingFetch();
        const client = await createKfpClient(dexOptions(sb, sb.users[1], { namespace: "team-1", fetch }));
        cookieValues(client.getSessionCookies());
        await client.listExperiments();
        const made = await client.createExperiment("printed");
        await client.getExperiment(made.experiment_id);
        await client.healthz();
        sb.expireSessions();
        await client.listExperiments(); // a new login
        assert.equal(client.loginCount, 2);
        cookieValues(client.getSessionCookies());
        await rejection(client.listExperiments({ namespace: "team-2" }));
        await rejection(client.getExperiment(randomUUID()));
        await rejection(createKfpClient(dexOptions(sb, { ...sb.users[1], password: fresh("Wr0ng-Pa55") })));
        await rejection(createKfpClient(dexOptions(sb, { ...sb.users[1], connector: "nope" })));
        const cookieClient = await createKfpClient({ apiUrl: sb.apiUrl, auth: { type: "cookies", cookies: client.getSessionCookies() }, namespace: "team-1" });
        await cookieClient.listExperiments();
        sb.expireSessions();
        await rejection(cookieClient.listExperiments());
      });
      await rejection(createKfpClient({ apiUrl: `http://127.0.0.1:${await closedPort()}`, auth: { type: "dex", username: "u", password: fresh("S3cret-Pa55") } }));
      await rejection(createKfpClient({ apiUrl: "http://h", auth: { type: "dex", username: "u", password: 12345678901 } }));
      await new Promise((resolve) => setImmediate(resolve)); // let late writes land
    } finally {
      process.stdout.write = originals.out;
      process.stderr.write = originals.err;
      for (const n of consoleNames) console[n] = consoleOriginals[n];
      process.off("warning", onWarning);
    }
    const all = captured.join("\n");
    assert.ok(all.includes(marker), "the capture saw the marker line");
    for (const s of SECRETS) assert.ok(!all.includes(s), `something printed a secret (${s.slice(0, 6)}…)`);
  });
});
