// Sessions over time: expiry met by a call (one new login, shared by concurrent calls, and
// one retry), oauth2-proxy refreshing the session cookie on API answers, and sessions the
// client cannot renew (auth type "cookies").
import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { test } from "node:test";
import { createKfpClient, dex, optionsFor, rejection, withSandbox } from "./helpers.mjs";

// How each gateway shows an expired session to an API call: 401 {} (api_routes), a 302 to Dex
// (no api_routes; oidc-authservice), or after a 403-capable sign-in setup.
const EXPIRY = [
  ["deploykf-0.1.5", 1, "team-1"],
  ["deploykf-0.1.2", 1, "team-1"],
  ["kubeflow-1.9.0", 0, "kubeflow-user-example-com"],
  ["kubeflow-1.9.1", 0, "kubeflow-user-example-com"],
  ["kubeflow-1.8", 0, "kubeflow-user-example-com"],
  ["kubeflow-1.5", 0, "kubeflow-user-example-com"],
];

for (const [profile, userIndex, namespace] of EXPIRY) {
  test(`${profile}: 50 concurrent calls that meet an expired session cause exactly one new login`, async () => {
    await withSandbox({ profile }, async (sb) => {
      const client = await createKfpClient(optionsFor(sb, dex(sb.users[userIndex]), { namespace }));
      await client.listExperiments(); // settles the API version
      sb.expireSessions();
      const results = await Promise.all(Array.from({ length: 50 }, () => client.listExperiments()));
      assert.equal(results.length, 50);
      assert.ok(results.every((r) => Array.isArray(r.experiments)));
      assert.equal(client.loginCount, 2);
      assert.equal(sb.stats.logins, 2);
      assert.equal(sb.stats.passwordPosts, 2);
    });
  });
}

test("a session that times out (sessionTtlSeconds) is renewed on the next call", async () => {
  await withSandbox({ profile: "kubeflow-1.11", sessionTtlSeconds: 1 }, async (sb) => {
    const client = await createKfpClient(optionsFor(sb, dex(sb.users[0]), { namespace: "kubeflow-user-example-com" }));
    await client.listExperiments();
    await sleep(1500);
    sb.resetStats();
    const { experiments } = await client.listExperiments();
    assert.ok(Array.isArray(experiments));
    assert.equal(client.loginCount, 2);
    // the failed call, a fresh login (7 hops: sign-in page first), the retried call
    assert.equal(sb.stats.requests.length, 1 + 7 + 1);
  });
});

test("deployKF's refreshed session cookie, sent on an ordinary API answer, is kept", async () => {
  await withSandbox({ profile: "deploykf-0.1.5", https: true, refreshSeconds: 1 }, async (sb) => {
    const client = await createKfpClient(optionsFor(sb, dex(sb.users[1]), { namespace: "team-1" }));
    const before = client.getSessionCookies();
    // oauth2-proxy compares whole seconds (`now - ts > cookie_refresh`): wait past 2 of them.
    await sleep(2100);
    await client.listExperiments(); // the proxy refreshes here and rotates the session
    const after = client.getSessionCookies();
    assert.ok(after !== before, "the refreshed cookie replaced the old one"); // values stay out of the output
    await client.listExperiments(); // the old cookie would be refused now
    await client.healthz();
    assert.equal(client.loginCount, 1, "no new login was needed");
  });
});

test("auth type cookies: an existing session works, and its expiry says what to do", async () => {
  await withSandbox({ profile: "kubeflow-1.9.1" }, async (sb) => {
    const source = await createKfpClient(optionsFor(sb, dex(sb.users[0])));
    const cookies = source.getSessionCookies();
    assert.match(cookies, /^oauth2_proxy_kubeflow=/);
    const client = await createKfpClient({ apiUrl: sb.apiUrl, auth: { type: "cookies", cookies }, namespace: "kubeflow-user-example-com" });
    assert.ok((await client.listExperiments()).experiments.length >= 1);
    sb.expireSessions();
    const err = await rejection(client.listExperiments());
    assert.equal(err.code, "KFP_SESSION_EXPIRED");
    assert.equal(err.status, 401);
    assert.match(err.message, /Log in again/);
  });
});

test("login() renews the session on demand", async () => {
  await withSandbox({ profile: "kubeflow-1.8" }, async (sb) => {
    const client = await createKfpClient(optionsFor(sb, dex(sb.users[0])));
    await client.login();
    assert.equal(client.loginCount, 2);
    assert.equal(sb.stats.logins, 2);
  });
});
