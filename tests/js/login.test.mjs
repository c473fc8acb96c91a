// Dex login through the public API, on every sandbox profile, over HTTP and HTTPS:
// the login finishes in the fewest requests the flow allows, the session works for the API,
// cookies go only where they match, and the failures of research/dex-login-flows.md §5 and
// §6 (e) come back with stable codes and advice.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createKfpClient, dex, editableNamespace, hops, optionsFor, rejection, withSandbox, KfpError } from "./helpers.mjs";

// profile → [user index, HTTP requests of the login, of the first listExperiments]
const PROFILES = {
  "deploykf-0.1.5": [1, 6, 1],
  "deploykf-0.1.5-signin": [1, 7, 1],
  // deployKF ≤ 0.1.4: approval redirect; KFP 2.0.0-alpha.7 has no v2beta1 (404, then the
  // v1beta1 healthz confirms v1beta1, then the call on v1beta1)
  "deploykf-0.1.4": [1, 7, 3],
  "deploykf-0.1.2": [1, 7, 3],
  "deploykf-ldap": [3, 6, 1],
  // the Grant Access page costs a GET and a POST
  "kubeflow-1.9.0": [0, 8, 1],
  "kubeflow-1.9.1": [0, 7, 1],
  "kubeflow-1.10": [0, 7, 1],
  "kubeflow-1.11": [0, 7, 1],
  "kubeflow-1.8": [0, 6, 1],
  // Dex 2.31's approval redirect (no hmac); KFP 2.0.0-alpha.7 and 1.8 serve v1beta1 only
  "kubeflow-1.7": [0, 7, 3],
  "kubeflow-1.6": [0, 7, 3],
  // Dex 2.22's ?req= form and approval redirect; KFP 1.8 has v1beta1 only
  "kubeflow-1.5": [0, 6, 3],
};

for (const [profile, [userIndex, loginRequests, listRequests]] of Object.entries(PROFILES)) {
  for (const https of [false, true]) {
    test(`${profile} over ${https ? "https" : "http"}: login, list, create, get, delete`, async () => {
      await withSandbox({ profile, https }, async (sb) => {
        const user = sb.users[userIndex];
        const namespace = editableNamespace(user);
        const client = await createKfpClient(optionsFor(sb, dex(user), { namespace }));
        assert.equal(client.authenticated, true);
        assert.equal(client.loginCount, 1);
        assert.equal(sb.stats.logins, 1);
        assert.equal(sb.stats.passwordPosts, 1);
        assert.equal(sb.stats.requests.length, loginRequests, `login hops: ${hops(sb).join(", ")}`);
        assert.ok(sb.stats.requests.every((r) => !r.hasAuthorization), "no Authorization header with cookie auth");

        sb.resetStats();
        const list = await client.listExperiments();
        assert.ok(Array.isArray(list.experiments));
        assert.equal(sb.stats.requests.length, listRequests, hops(sb).join(", "));
        const apiCall = sb.stats.requests.at(-1);
        assert.equal(apiCall.status, 200);
        assert.ok(apiCall.cookieNames.length > 0, "the session cookie went with the API call");
        assert.ok(apiCall.cookieNames.every((n) => !n.includes("csrf")), `no CSRF cookie left over: ${apiCall.cookieNames}`);

        // v1beta1 servers answer in v2beta1 shape too.
        const name = `exp-${profile}-${https}`;
        const created = await client.createExperiment(name, { description: "made by a test" });
        const id = created.experiment_id;
        assert.ok(id, JSON.stringify(created));
        assert.equal(created.display_name, name);
        assert.equal(created.namespace, namespace);
        const fetched = await client.getExperiment(id);
        assert.equal(fetched.display_name, name);
        const after = await client.listExperiments({ namespace });
        assert.ok(after.experiments.some((e) => e.experiment_id === id));
        await client.deleteExperiment(id);
        const gone = await rejection(client.getExperiment(id));
        assert.equal(gone.code, "KFP_NOT_FOUND");
        assert.equal(gone.status, 404);
        assert.equal(client.loginCount, 1, "no login beyond the first");
      });
    });
  }
}

test("an endpoint with no auth at all: one request, no session", async () => {
  await withSandbox({ profile: "no-auth" }, async (sb) => {
    const client = await createKfpClient({ apiUrl: sb.apiUrl, auth: { type: "dex", username: "u@example.com", password: "p" } });
    assert.equal(client.authenticated, false);
    assert.equal(sb.stats.requests.length, 1);
    const health = await client.healthz();
    assert.equal(health.multi_user, false);
    const none = await createKfpClient({ apiUrl: sb.apiUrl });
    assert.ok(Array.isArray((await none.listExperiments()).experiments));
  });
});

describe("wrong password", () => {
  // Dex ≥ 2.36 answers 401, older Dex 200 with the form again (§1.4, §6 (e)).
  for (const [profile, status] of [["deploykf-0.1.5", 401], ["kubeflow-1.9.0", 401], ["kubeflow-1.8", 401], ["kubeflow-1.7", 200], ["kubeflow-1.5", 200], ["deploykf-ldap", 401]]) {
    test(`${profile}: KFP_INVALID_CREDENTIALS (Dex answers ${status})`, async () => {
      await withSandbox({ profile }, async (sb) => {
        const user = profile === "deploykf-ldap" ? sb.users[3] : sb.users[0];
        const err = await rejection(createKfpClient(optionsFor(sb, dex(user, { password: "not-the-password" }))));
        assert.ok(err instanceof KfpError);
        assert.equal(err.name, "KfpError");
        assert.equal(err.code, "KFP_INVALID_CREDENTIALS");
        assert.equal(err.status, status);
        assert.match(err.message, /username or password/);
        assert.equal(sb.stats.logins, 0);
      });
    });
  }

  test("an empty LDAP password is refused like a wrong one", async () => {
    await withSandbox({ profile: "deploykf-ldap" }, async (sb) => {
      const err = await rejection(createKfpClient(optionsFor(sb, dex(sb.users[3], { password: "" }))));
      assert.equal(err.code, "KFP_INVALID_CREDENTIALS");
    });
  });
});

describe("connectors", () => {
  test("LDAP among several connectors: connector_id skips the selection page", async () => {
    await withSandbox({ profile: "deploykf-ldap" }, async (sb) => {
      await createKfpClient(optionsFor(sb, dex(sb.users[3])));
      const paths = hops(sb);
      assert.ok(!paths.some((p, i) => p === "GET /dex/auth" && sb.stats.requests[i].status === 200), `no selection page: ${paths}`);
    });
  });

  test("a connector Dex does not offer: the error lists the ones it does", async () => {
    await withSandbox({ profile: "deploykf-ldap" }, async (sb) => {
      const err = await rejection(createKfpClient(optionsFor(sb, dex(sb.users[1], { connector: "okta" }))));
      assert.equal(err.code, "KFP_UNKNOWN_CONNECTOR");
      assert.deepEqual(err.offeredConnectors, ["local", "ldap", "github"]);
      assert.match(err.message, /local, ldap, github/);
    });
  });

  test("a single connector that is not the one asked for is named", async () => {
    await withSandbox({ profile: "kubeflow-1.9.1" }, async (sb) => {
      const err = await rejection(createKfpClient(optionsFor(sb, dex(sb.users[0], { connector: "ldap" }))));
      assert.equal(err.code, "KFP_UNKNOWN_CONNECTOR");
      assert.deepEqual(err.offeredConnectors, ["local"]);
    });
  });
});

describe("how the gateway is reached", () => {
  test("deployKF redirecting to its configured host name: KFP_HOST_MISMATCH says which host to use", async () => {
    await withSandbox({ profile: "deploykf-0.1.5", publicHost: (port) => `localhost:${port}` }, async (sb) => {
      const err = await rejection(createKfpClient(optionsFor(sb, dex(sb.users[1]))));
      assert.equal(err.code, "KFP_HOST_MISMATCH", err.message);
      assert.match(err.message, /localhost:\d+/);
      assert.match(err.message, /127\.0\.0\.1/);
      // the CSRF cookie 127.0.0.1 set was never sent to localhost (host-only cookies)
      const toLocalhost = sb.stats.requests.filter((r) => r.host.startsWith("localhost"));
      assert.ok(toLocalhost.length > 0);
      assert.ok(toLocalhost.every((r) => r.cookieNames.length === 0), JSON.stringify(toLocalhost));
      // and it works when apiUrl uses that host name
      const ok = await createKfpClient({ apiUrl: sb.apiUrl.replace("127.0.0.1", "localhost"), auth: dex(sb.users[1]) });
      assert.ok(Array.isArray((await ok.listExperiments({ namespace: "team-1" })).experiments));
    });
  });

  test("deployKF ≤ 0.1.3 cookies scoped to another Domain: KFP_COOKIE_REJECTED names the cookie and the fix", async () => {
    await withSandbox({ profile: "deploykf-0.1.2", https: true, publicHost: (port) => `localhost:${port}` }, async (sb) => {
      const err = await rejection(createKfpClient(optionsFor(sb, dex(sb.users[1]))));
      assert.equal(err.code, "KFP_COOKIE_REJECTED", err.message);
      assert.match(err.message, /_deploykf_token_csrf/);
      assert.match(err.message, /Domain=localhost/);
      assert.match(err.message, /apiUrl https:\/\/localhost:\d+\/pipeline /);
    });
  });
});

test("a session cookie split into _0 and _1 (deployKF, many groups) is stored and sent whole", async () => {
  await withSandbox({ profile: "deploykf-0.1.5", https: true }, async (sb) => {
    const admin = sb.users[0];
    const client = await createKfpClient(optionsFor(sb, dex(admin), { namespace: "team-1" }));
    assert.match(client.getSessionCookies(), /__Secure-_deploykf_token_0=.*__Secure-_deploykf_token_1=|__Secure-_deploykf_token_1=.*__Secure-_deploykf_token_0=/);
    sb.resetStats();
    await client.listExperiments();
    assert.deepEqual(sb.stats.requests[0].cookieNames.sort(), ["__Secure-_deploykf_token_0", "__Secure-_deploykf_token_1"]);
    assert.equal(sb.stats.requests[0].status, 200);
  });
});

test("the API answers 401 {} on deployKF's API routes before login; the client logs in by itself", async () => {
  await withSandbox({ profile: "deploykf-0.1.5" }, async (sb) => {
    const base = sb.apiUrl + "/apis/v2beta1";
    const client = await createKfpClient({ apiUrl: base.replace("/apis/v2beta1", ""), auth: dex(sb.users[1]), namespace: "team-1" });
    const raw = await fetch(base + "/healthz", { redirect: "manual" });
    assert.equal(raw.status, 401);
    assert.equal((await client.healthz()).multi_user, true);
  });
});

test("KfpClientManager: the Python recipe's shape", async () => {
  const { KfpClientManager } = await import("./helpers.mjs");
  await withSandbox({ profile: "kubeflow-1.9.0" }, async (sb) => {
    const manager = new KfpClientManager(optionsFor(sb, dex(sb.users[0]), { namespace: "kubeflow-user-example-com" }));
    const client = await manager.createKfpClient();
    const { experiments } = await client.listExperiments();
    assert.ok(experiments.length >= 1);
    assert.throws(() => new KfpClientManager({ apiUrl: 42 }), (e) => e instanceof TypeError && e.code === "ERR_INVALID_ARG_TYPE");
  });
});
