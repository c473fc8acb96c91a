// Every failure is a clear error with a stable code, never a crash: invalid options
// (TypeError + ERR_INVALID_ARG_*), API errors from the sandbox (KfpError with status and gRPC
// code), transport failures (network, TLS, timeout, custom fetch), hostile servers answering
// garbage, and the missing optional `undici` package.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { describe, test } from "node:test";
import { closedPort, consumerDir, createKfpClient, dex, KfpClientManager, KfpError, listen, optionsFor, rejection, runIn, withSandbox } from "./helpers.mjs";

/** Asserts `err` is a KfpError with `code` (and the shape every KfpError has). */
function assertKfp(err, code, label = "") {
  assert.ok(err instanceof KfpError, `${label}: expected a KfpError, got ${err?.constructor?.name}: ${err?.message}`);
  assert.ok(err instanceof Error);
  assert.equal(err.name, "KfpError");
  assert.equal(err.code, code, `${label}: ${err.message}`);
  assert.equal(typeof err.message, "string");
  assert.ok(err.message.length > 10, `${label}: a message that says something`);
}

const DEX = { type: "dex", username: "u@example.com", password: "p" };

describe("invalid options: TypeError with a Node-style code naming the option", () => {
  // [label, options, code, option name in the message, text that must not appear]
  const CASES = [
    ["no options", undefined, "ERR_INVALID_ARG_TYPE", "options"],
    ["null options", null, "ERR_INVALID_ARG_TYPE", "options"],
    ["apiUrl missing", { auth: DEX }, "ERR_INVALID_ARG_TYPE", "apiUrl"],
    ["apiUrl a number", { apiUrl: 8080 }, "ERR_INVALID_ARG_TYPE", "apiUrl"],
    ["apiUrl ftp:", { apiUrl: "ftp://x" }, "ERR_INVALID_ARG_VALUE", "apiUrl"],
    ["apiUrl not a URL", { apiUrl: "not a url" }, "ERR_INVALID_ARG_VALUE", "apiUrl"],
    ["apiUrl empty", { apiUrl: "  " }, "ERR_INVALID_ARG_VALUE", "apiUrl"],
    ["apiUrl with user:pass@", { apiUrl: "https://bob:Hunter2-in-url@kf.example.com/pipeline" }, "ERR_INVALID_ARG_VALUE", "apiUrl", "Hunter2-in-url"],
    ["auth a string", { apiUrl: "http://h", auth: "dex" }, "ERR_INVALID_ARG_TYPE", "auth"],
    ["auth an array", { apiUrl: "http://h", auth: [DEX] }, "ERR_INVALID_ARG_TYPE", "auth"],
    ["unknown auth.type", { apiUrl: "http://h", auth: { type: "oauth2" } }, "ERR_INVALID_ARG_VALUE", "auth.type"],
    ["dex without username", { apiUrl: "http://h", auth: { type: "dex", password: "p" } }, "ERR_INVALID_ARG_TYPE", "auth.username"],
    ["dex with an empty username", { apiUrl: "http://h", auth: { ...DEX, username: " " } }, "ERR_INVALID_ARG_VALUE", "auth.username"],
    ["dex without password", { apiUrl: "http://h", auth: { type: "dex", username: "u" } }, "ERR_INVALID_ARG_TYPE", "auth.password"],
    ["password a number", { apiUrl: "http://h", auth: { ...DEX, password: 987654321 } }, "ERR_INVALID_ARG_TYPE", "auth.password", "987654321"],
    ["connector a/b", { apiUrl: "http://h", auth: { ...DEX, connector: "a/b" } }, "ERR_INVALID_ARG_VALUE", "auth.connector"],
    ["timeoutMs 0", { apiUrl: "http://h", timeoutMs: 0 }, "ERR_INVALID_ARG_VALUE", "timeoutMs"],
    ["timeoutMs \"5\"", { apiUrl: "http://h", timeoutMs: "5" }, "ERR_INVALID_ARG_TYPE", "timeoutMs"],
    ["timeoutMs 1.5", { apiUrl: "http://h", timeoutMs: 1.5 }, "ERR_INVALID_ARG_VALUE", "timeoutMs"],
    ["timeoutMs NaN", { apiUrl: "http://h", timeoutMs: NaN }, "ERR_INVALID_ARG_VALUE", "timeoutMs"],
    ["namespace \"\"", { apiUrl: "http://h", namespace: "" }, "ERR_INVALID_ARG_VALUE", "namespace"],
    ["headers { Cookie }", { apiUrl: "http://h", auth: DEX, headers: { Cookie: "a=b" } }, "ERR_INVALID_ARG_VALUE", "headers"],
    ["headers { Authorization } with dex", { apiUrl: "http://h", auth: DEX, headers: { Authorization: "Bearer x" } }, "ERR_INVALID_ARG_VALUE", "headers"],
    ["a header value with \\r\\n", { apiUrl: "http://h", headers: { "X-Team": "a\r\nX-Injected: 1" } }, "ERR_INVALID_ARG_VALUE", "headers"],
    ["a header value not a string", { apiUrl: "http://h", headers: { "X-Team": 1 } }, "ERR_INVALID_ARG_TYPE", "headers.X-Team"],
    ["caCert not PEM", { apiUrl: "https://h", caCert: "not pem" }, "ERR_INVALID_ARG_VALUE", "caCert"],
    ["skipTlsVerify a string", { apiUrl: "https://h", skipTlsVerify: "yes" }, "ERR_INVALID_ARG_TYPE", "skipTlsVerify"],
    ["apiVersion v3", { apiUrl: "http://h", apiVersion: "v3" }, "ERR_INVALID_ARG_VALUE", "apiVersion"],
    ["fetch not a function", { apiUrl: "http://h", fetch: "globalThis.fetch" }, "ERR_INVALID_ARG_TYPE", "fetch"],
    ["bearer token \"\"", { apiUrl: "http://h", auth: { type: "bearer", token: "" } }, "ERR_INVALID_ARG_VALUE", "auth.token"],
    ["bearer token 42", { apiUrl: "http://h", auth: { type: "bearer", token: 424242 } }, "ERR_INVALID_ARG_TYPE", "auth.token", "424242"],
    ["cookies without a pair", { apiUrl: "http://h", auth: { type: "cookies", cookies: " ; " } }, "ERR_INVALID_ARG_VALUE", "auth.cookies"],
    ["serviceAccountToken with an empty path", { apiUrl: "http://h", auth: { type: "serviceAccountToken", path: "" } }, "ERR_INVALID_ARG_VALUE", "auth.path"],
  ];

  for (const [label, options, code, name, hidden] of CASES) {
    test(label, async () => {
      const check = (err) => {
        assert.ok(err instanceof TypeError, `expected a TypeError, got ${err?.constructor?.name}: ${err?.message}`);
        assert.ok(!(err instanceof KfpError));
        assert.equal(err.code, code, err.message);
        assert.ok(err.message.includes(`"${name}"`), `the message names ${name}: ${err.message}`);
        if (hidden) assert.ok(!err.message.includes(hidden), `the message echoes ${hidden}: ${err.message}`);
        return true;
      };
      // asynchronously from createKfpClient, synchronously from the manager's constructor
      check(await rejection(options === undefined ? createKfpClient() : createKfpClient(options)));
      assert.throws(() => new KfpClientManager(options), check);
    });
  }

  test("method arguments are checked before anything is sent", async () => {
    await withSandbox({ profile: "no-auth" }, async (sb) => {
      const client = await createKfpClient({ apiUrl: sb.apiUrl });
      sb.resetStats();
      const cases = [
        [client.getExperiment(42), "ERR_INVALID_ARG_TYPE", "id"],
        [client.getExperiment(), "ERR_INVALID_ARG_TYPE", "id"],
        [client.createExperiment(undefined), "ERR_INVALID_ARG_TYPE", "name"],
        [client.listExperiments("team-1"), "ERR_INVALID_ARG_TYPE", "params"],
        [client.listExperiments({ pageSize: 2.5 }), "ERR_INVALID_ARG_VALUE", "pageSize"],
        [client.request("FETCH", "/apis/v2beta1/healthz"), "ERR_INVALID_ARG_VALUE", "method"],
        [client.request("GET", "apis/v2beta1/healthz"), "ERR_INVALID_ARG_VALUE", "path"],
        [client.request("GET", "/apis/v2beta1/healthz", { query: { a: { b: 1 } } }), "ERR_INVALID_ARG_TYPE", "options.query.a"],
      ];
      for (const [promise, code, name] of cases) {
        const err = await rejection(promise);
        assert.ok(err instanceof TypeError, `${name}: ${err.message}`);
        assert.equal(err.code, code, err.message);
        assert.ok(err.message.includes(`"${name}"`), err.message);
      }
      assert.equal(sb.stats.requests.length, 0, "no request left for a bad argument");
    });
  });
});

describe("API errors: KfpError with code, status, grpcCode and the server's message", () => {
  const sandbox = (fn) => withSandbox({ profile: "deploykf-0.1.5" }, fn);

  test("404 for an unknown experiment id: KFP_NOT_FOUND", async () => {
    await sandbox(async (sb) => {
      const client = await createKfpClient(optionsFor(sb, dex(sb.users[1]), { namespace: "team-1" }));
      const id = randomUUID();
      const err = await rejection(client.getExperiment(id));
      assertKfp(err, "KFP_NOT_FOUND");
      assert.equal(err.status, 404);
      assert.equal(err.grpcCode, 5);
      assert.match(err.message, new RegExp(`Experiment ${id} not found`));
      assert.match(err.message, /HTTP 404/);
    });
  });

  test("409 for a duplicate experiment name: KFP_CONFLICT", async () => {
    await sandbox(async (sb) => {
      const client = await createKfpClient(optionsFor(sb, dex(sb.users[1]), { namespace: "team-1" }));
      await client.createExperiment("twice");
      const err = await rejection(client.createExperiment("twice"));
      assertKfp(err, "KFP_CONFLICT");
      assert.equal(err.status, 409);
      assert.equal(err.grpcCode, 6);
      assert.match(err.message, /The name twice already exists/);
    });
  });

  test("403 for a namespace the user may not access: KFP_PERMISSION_DENIED", async () => {
    await sandbox(async (sb) => {
      const client = await createKfpClient(optionsFor(sb, dex(sb.users[1])));
      const err = await rejection(client.listExperiments({ namespace: "team-2" }));
      assertKfp(err, "KFP_PERMISSION_DENIED");
      assert.equal(err.status, 403);
      assert.equal(err.grpcCode, 7);
      assert.match(err.message, /User 'user1@example\.com' is not authorized/);
      assert.match(err.message, /Check that the user may access/);
    });
  });

  test("403 for a create by a view-only user: KFP_PERMISSION_DENIED", async () => {
    await sandbox(async (sb) => {
      const viewer = await createKfpClient(optionsFor(sb, dex(sb.users[2]), { namespace: "team-1" }));
      assert.ok(Array.isArray((await viewer.listExperiments()).experiments), "the viewer may list");
      const err = await rejection(viewer.createExperiment("not-allowed"));
      assertKfp(err, "KFP_PERMISSION_DENIED");
      assert.equal(err.status, 403);
      assert.equal(err.grpcCode, 7);
      assert.match(err.message, /Verb:create/);
    });
  });

  test("400 for a list without namespace in multi-user mode: KFP_BAD_REQUEST", async () => {
    await sandbox(async (sb) => {
      const client = await createKfpClient(optionsFor(sb, dex(sb.users[1])));
      const err = await rejection(client.listExperiments());
      assertKfp(err, "KFP_BAD_REQUEST");
      assert.equal(err.status, 400);
      assert.equal(err.grpcCode, 3);
      assert.match(err.message, /empty namespace in multi-user mode/);
    });
  });

  test("400 for a bad page token (server-side); a negative pageSize is refused client-side", async () => {
    await sandbox(async (sb) => {
      const client = await createKfpClient(optionsFor(sb, dex(sb.users[1]), { namespace: "team-1" }));
      const err = await rejection(client.listExperiments({ pageToken: "not-a-token" }));
      assertKfp(err, "KFP_BAD_REQUEST");
      assert.equal(err.status, 400);
      assert.equal(err.grpcCode, 3);
      assert.match(err.message, /Invalid package token/);

      sb.resetStats();
      const negative = await rejection(client.listExperiments({ pageSize: -1 }));
      assert.ok(negative instanceof TypeError, negative.message);
      assert.equal(negative.code, "ERR_INVALID_ARG_VALUE");
      assert.match(negative.message, /"pageSize"/);
      assert.equal(sb.stats.requests.length, 0, "the negative page size never reached the server");
    });
  });

  test("request() to an unknown path: KFP_NOT_FOUND without a gRPC code", async () => {
    await sandbox(async (sb) => {
      const client = await createKfpClient(optionsFor(sb, dex(sb.users[1]), { namespace: "team-1" }));
      const err = await rejection(client.request("GET", "/apis/v2beta1/nope"));
      assertKfp(err, "KFP_NOT_FOUND");
      assert.equal(err.status, 404);
      assert.equal(err.grpcCode, undefined);
      assert.match(err.message, /\/apis\/v2beta1\/nope/);
    });
  });
});

describe("transport", () => {
  test("a closed port: KFP_NETWORK_ERROR with the fetch error as cause", async () => {
    const port = await closedPort();
    const apiUrl = `http://127.0.0.1:${port}/pipeline`;
    const viaLogin = await rejection(createKfpClient({ apiUrl, auth: DEX }));
    const viaCall = await rejection((await createKfpClient({ apiUrl })).listExperiments());
    for (const err of [viaLogin, viaCall]) {
      assertKfp(err, "KFP_NETWORK_ERROR");
      assert.ok(err.cause instanceof Error, "cause is the fetch error");
      assert.match(err.message, new RegExp(`127\\.0\\.0\\.1:${port}`));
      assert.match(err.message, /ECONNREFUSED/);
      assert.equal(err.status, undefined);
    }
  });

  test("an https sandbox without caCert: KFP_TLS_ERROR suggesting caCert / skipTlsVerify; with either it works", async () => {
    await withSandbox({ profile: "no-auth", https: true }, async (sb) => {
      const err = await rejection((await createKfpClient({ apiUrl: sb.apiUrl })).listExperiments());
      assertKfp(err, "KFP_TLS_ERROR");
      assert.match(err.message, /caCert/);
      assert.match(err.message, /skipTlsVerify/);
      assert.ok(err.cause instanceof Error);

      const skip = await createKfpClient({ apiUrl: sb.apiUrl, skipTlsVerify: true });
      assert.ok(Array.isArray((await skip.listExperiments()).experiments));
      const trusted = await createKfpClient({ apiUrl: sb.apiUrl, caCert: sb.caCertPem });
      assert.ok(Array.isArray((await trusted.listExperiments()).experiments));
    });
  });

  test("a Dex login over https without caCert: KFP_TLS_ERROR from createKfpClient", async () => {
    await withSandbox({ profile: "kubeflow-1.9.1", https: true }, async (sb) => {
      const err = await rejection(createKfpClient({ apiUrl: sb.apiUrl, auth: dex(sb.users[0]) }));
      assertKfp(err, "KFP_TLS_ERROR");
      assert.equal(sb.stats.logins, 0);
    });
  });

  test("skipTlsVerify applies to that client only; nothing process-wide changes", async () => {
    const envBefore = process.env.NODE_TLS_REJECT_UNAUTHORIZED;
    const hadEnv = "NODE_TLS_REJECT_UNAUTHORIZED" in process.env;
    await withSandbox({ profile: "no-auth", https: true }, async (sb) => {
      const lax = await createKfpClient({ apiUrl: sb.apiUrl, skipTlsVerify: true });
      assert.ok(Array.isArray((await lax.listExperiments()).experiments));
      const strict = await createKfpClient({ apiUrl: sb.apiUrl });
      const err = await rejection(strict.listExperiments());
      assertKfp(err, "KFP_TLS_ERROR");
      // the lax client still works after the strict one failed, and vice versa
      assert.ok(Array.isArray((await lax.listExperiments()).experiments));
      assertKfp(await rejection(strict.healthz()), "KFP_TLS_ERROR");
      // the global fetch still verifies certificates
      await assert.rejects(fetch(`${sb.origin}/apis/v2beta1/healthz`), (e) => e instanceof TypeError);
    });
    assert.equal("NODE_TLS_REJECT_UNAUTHORIZED" in process.env, hadEnv);
    assert.equal(process.env.NODE_TLS_REJECT_UNAUTHORIZED, envBefore);
  });

  test("timeoutMs: 200 against a server that never answers: KFP_TIMEOUT within ~1 s", async () => {
    const silent = await listen(() => {}); // accepts, never answers
    try {
      const client = await createKfpClient({ apiUrl: silent.origin, timeoutMs: 200 });
      const started = performance.now();
      const err = await rejection(client.healthz());
      const elapsed = performance.now() - started;
      assertKfp(err, "KFP_TIMEOUT");
      assert.match(err.message, /200 ms/);
      assert.match(err.message, /timeoutMs/);
      assert.ok(elapsed >= 150 && elapsed < 1000, `took ${elapsed} ms`);

      const loginStarted = performance.now();
      const loginErr = await rejection(createKfpClient({ apiUrl: silent.origin, auth: DEX, timeoutMs: 200 }));
      assertKfp(loginErr, "KFP_TIMEOUT");
      assert.ok(performance.now() - loginStarted < 1000);
    } finally {
      await silent.close();
    }
  });

  test("a custom fetch is used for every request, the login included", async () => {
    await withSandbox({ profile: "kubeflow-1.9.1" }, async (sb) => {
      const seen = [];
      const counting = (url, init) => {
        seen.push(`${init?.method ?? "GET"} ${new URL(url).pathname}`);
        return fetch(url, init);
      };
      const client = await createKfpClient(optionsFor(sb, dex(sb.users[0]), { namespace: "kubeflow-user-example-com", fetch: counting }));
      await client.listExperiments();
      await client.healthz();
      assert.ok(seen.length > 3, seen.join(", "));
      assert.equal(seen.length, sb.stats.requests.length, "every request went through the custom fetch");
      assert.ok(seen.includes("POST /dex/auth/local/login"), seen.join(", "));
    });
  });

  test("a custom fetch that throws, rejects or returns junk: a KfpError, never a crash", async () => {
    const apiUrl = "http://127.0.0.1:9/pipeline";
    const cases = [
      [() => { throw new Error("synchronous boom"); }, "KFP_NETWORK_ERROR", /synchronous boom/],
      [async () => { throw new Error("async boom"); }, "KFP_NETWORK_ERROR", /async boom/],
      [async () => { throw "a bare string"; }, "KFP_NETWORK_ERROR", /Could not reach/],
      [() => 42, "KFP_UNEXPECTED_RESPONSE", /not a Response/],
      [async () => null, "KFP_UNEXPECTED_RESPONSE", /not a Response/],
      [async () => ({ status: 200, headers: null, arrayBuffer: null }), "KFP_NETWORK_ERROR", /Could not reach/],
      [async () => { const e = new Error("slow"); e.name = "TimeoutError"; throw e; }, "KFP_TIMEOUT", /timed out/],
      [async () => { const e = new Error("stop"); e.name = "AbortError"; throw e; }, "KFP_ABORTED", /aborted/],
    ];
    for (const [fetchImpl, code, pattern] of cases) {
      const client = await createKfpClient({ apiUrl, fetch: fetchImpl });
      const err = await rejection(client.healthz());
      assertKfp(err, code, fetchImpl.toString());
      assert.match(err.message, pattern);
    }
  });
});

describe("hostile servers", () => {
  const json = (res, status, body, headers = {}) => {
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(body);
  };
  const toDex = (req, res) => {
    if (!req.url.startsWith("/pipeline")) return false;
    res.writeHead(302, { location: "/dex/auth?client_id=kubeflow&state=abc" });
    res.end();
    return true;
  };
  const FIVE_MB = 5 * 1024 * 1024;
  const BINARY = Buffer.from([0x00, 0x01, 0xff, 0xfe, 0x80, 0x81, 0x3c, 0x3e, 0x7b, 0xc3, 0x28]);

  // [label, handler, code of a dex login (undefined: the login passes as "no auth needed"),
  //  code of listExperiments without auth]
  const SERVERS = [
    ["HTML 200 where JSON is expected", (req, res) => { res.writeHead(200, { "content-type": "text/html" }); res.end("<!doctype html><title>Hi</title><p>dashboard"); }, undefined, "KFP_UNEXPECTED_RESPONSE"],
    ["invalid JSON with content-type json", (req, res) => json(res, 200, "{\"experiments\": [ {,"), undefined, "KFP_UNEXPECTED_RESPONSE"],
    ["a redirect loop on every path", (req, res) => { res.writeHead(302, { location: req.url }); res.end(); }, "KFP_LOGIN_FAILED", "KFP_UNEXPECTED_RESPONSE"],
    ["a two-step redirect loop", (req, res) => { res.writeHead(302, { location: req.url.startsWith("/a") ? "/b" : "/a" }); res.end(); }, "KFP_LOGIN_FAILED", "KFP_UNEXPECTED_RESPONSE"],
    ["a 302 without Location", (req, res) => { res.writeHead(302); res.end(); }, "KFP_LOGIN_FAILED", "KFP_UNEXPECTED_RESPONSE"],
    ["a 302 to an ftp: URL", (req, res) => { res.writeHead(302, { location: "ftp://127.0.0.1/x" }); res.end(); }, ["KFP_LOGIN_FAILED", "KFP_NETWORK_ERROR"], "KFP_UNEXPECTED_RESPONSE"],
    [
      "a Set-Cookie flood of 500 large junk cookies (headers overflow)",
      (req, res) => {
        res.setHeader("set-cookie", Array.from({ length: 500 }, (_, i) => `junk${i}=${"x".repeat(60)}; Path=/`));
        json(res, 200, "{}");
      },
      "KFP_UNEXPECTED_RESPONSE",
      "KFP_UNEXPECTED_RESPONSE",
    ],
    [
      "a Set-Cookie flood of 500 junk cookies on every hop of a login loop",
      (req, res) => {
        res.setHeader("set-cookie", Array.from({ length: 500 }, () => `j${randomUUID().slice(0, 8)}=1; Path=/`));
        res.writeHead(302, { location: `/dex/auth?n=${randomUUID()}` });
        res.end();
      },
      "KFP_LOGIN_FAILED",
      "KFP_UNAUTHENTICATED",
    ],
    ["a 5 MB body of non-JSON", (req, res) => json(res, 200, Buffer.alloc(FIVE_MB, 0x61)), undefined, "KFP_UNEXPECTED_RESPONSE"],
    ["a 5 MB Dex login page", (req, res) => toDex(req, res) || (res.writeHead(200, { "content-type": "text/html" }), res.end("<html><form>" + "a".repeat(FIVE_MB))), "KFP_LOGIN_FAILED", "KFP_UNAUTHENTICATED"],
    ["binary bytes as application/octet-stream", (req, res) => { res.writeHead(200, { "content-type": "application/octet-stream" }); res.end(BINARY); }, undefined, "KFP_UNEXPECTED_RESPONSE"],
    ["binary bytes as JSON", (req, res) => json(res, 200, BINARY), undefined, "KFP_UNEXPECTED_RESPONSE"],
    ["binary bytes as the Dex login page", (req, res) => toDex(req, res) || (res.writeHead(200, { "content-type": "text/html" }), res.end(BINARY)), "KFP_LOGIN_FAILED", "KFP_UNAUTHENTICATED"],
    ["JSON where the Dex login page should be", (req, res) => toDex(req, res) || json(res, 200, "{\"login\": true}"), "KFP_LOGIN_FAILED", "KFP_UNAUTHENTICATED"],
    ["an HTML 500", (req, res) => { res.writeHead(500, { "content-type": "text/html" }); res.end("<html><h1>Internal Server Error</h1>"); }, "KFP_LOGIN_FAILED", "KFP_SERVER_ERROR"],
    ["a JSON error body of the wrong shape", (req, res) => json(res, 418, "[1, 2, 3]"), "KFP_LOGIN_FAILED", "KFP_HTTP_ERROR"],
    ["the connection reset mid-answer", (req, res) => { res.writeHead(200, { "content-type": "application/json", "content-length": "1000" }); res.write("{\"experi"); setTimeout(() => res.socket.destroy(), 10); }, "KFP_NETWORK_ERROR", "KFP_NETWORK_ERROR"],
    ["the socket closed before any answer", (req, res) => req.socket.destroy(), "KFP_NETWORK_ERROR", "KFP_NETWORK_ERROR"],
  ];

  for (const [label, handler, loginCode, listCode] of SERVERS) {
    test(label, async () => {
      const server = await listen(handler);
      try {
        const apiUrl = `${server.origin}/pipeline`;
        const login = createKfpClient({ apiUrl, auth: DEX, timeoutMs: 5000 });
        if (loginCode === undefined) {
          const client = await login; // a 200 at apiUrl: no login needed
          assert.equal(client.authenticated, false);
          assertKfp(await rejection(client.listExperiments()), listCode, "after the login");
        } else {
          const err = await rejection(login);
          const codes = [loginCode].flat();
          assert.ok(codes.includes(err.code), `login: ${err.code}: ${err.message}`);
          assertKfp(err, err.code, "login");
        }
        const plain = await createKfpClient({ apiUrl, timeoutMs: 5000 });
        const err = await rejection(plain.listExperiments());
        assertKfp(err, listCode, "listExperiments");
        assert.ok(err.message.length < 2000, `a short message, not the body (${err.message.length} chars)`);
        const raw = await plain.request("GET", "/apis/v2beta1/healthz").then(
          (v) => ({ value: v }),
          (e) => ({ error: e }),
        );
        if (raw.error) assertKfp(raw.error, raw.error.code, "request()");
        else assert.equal(typeof raw.value, "string", "request() may return a non-JSON body as text");
      } finally {
        await server.close();
      }
    });
  }

  test("after all of them, the module still works", async () => {
    await withSandbox({ profile: "no-auth" }, async (sb) => {
      const client = await createKfpClient({ apiUrl: sb.apiUrl });
      const { experiments } = await client.listExperiments();
      assert.ok(experiments.length >= 2);
      const dexClient = await createKfpClient({ apiUrl: sb.apiUrl, auth: DEX });
      assert.equal((await dexClient.healthz()).multi_user, false);
    });
  });
});

describe("the optional undici package", () => {
  test("a custom fetch with skipTlsVerify, without undici installed: KFP_MISSING_DEPENDENCY naming undici", async () => {
    const dir = consumerDir("consumer-no-undici");
    {
      const script = `
        import { createRequire } from "node:module";
        import { createKfpClient, KfpError } from "kfp-wasm";
        const req = createRequire(process.cwd() + "/node_modules/kfp-wasm/js/index.cjs");
        let undici = true;
        try { req.resolve("undici"); } catch { undici = false; }
        let out;
        try {
          // Without a custom fetch, TLS options need nothing (node:https); a custom fetch gets
          // an undici dispatcher, which needs the package.
          await createKfpClient({ apiUrl: "https://127.0.0.1:9/pipeline", skipTlsVerify: true, fetch: globalThis.fetch });
          out = { resolved: true };
        } catch (e) {
          out = { code: e.code, message: e.message, kfpError: e instanceof KfpError };
        }
        // without TLS options, the package works without undici
        const plain = await createKfpClient({ apiUrl: "http://127.0.0.1:9/pipeline" });
        out.plain = plain.apiUrl;
        out.undici = undici;
        console.log(JSON.stringify(out));
      `;
      const stdout = await runIn(dir, ["--input-type=module", "-e", script], { NODE_PATH: "", NODE_OPTIONS: "" });
      const result = JSON.parse(stdout.trim().split("\n").at(-1));
      assert.equal(result.undici, false, "undici must not be resolvable in the consumer");
      assert.equal(result.code, "KFP_MISSING_DEPENDENCY", stdout);
      assert.equal(result.kfpError, true);
      assert.match(result.message, /"undici"/);
      assert.match(result.message, /npm install undici/);
      assert.equal(result.plain, "http://127.0.0.1:9/pipeline");
    }
  });
});
