// The auth types other than Dex: service-account token files (re-read when rotated), bearer
// tokens (a string or a function called per request), and extra static headers.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { createKfpClient, rejection, withSandbox } from "./helpers.mjs";

const NS = "kubeflow-user-example-com";
const SUBJECT = "system:serviceaccount:kubeflow-user-example-com:default-editor";

function tokenFile() {
  const dir = mkdtempSync(join(tmpdir(), "kfp-wasm-token-"));
  const path = join(dir, "token");
  return { path, write: (token) => writeFileSync(path, `${token}\n`), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

test("serviceAccountToken: reads the projected token and sends it as a bearer token", async () => {
  const file = tokenFile();
  try {
    await withSandbox({ profile: "service-account" }, async (sb) => {
      file.write(sb.issueToken(SUBJECT, { namespace: NS }));
      const client = await createKfpClient({ apiUrl: sb.apiUrl, auth: { type: "serviceAccountToken", path: file.path }, namespace: NS });
      assert.equal(client.authType, "serviceAccountToken");
      const health = await client.healthz();
      assert.equal(health.multi_user, true);
      assert.ok("commit_sha" in health || "tag_name" in health, "the API server's own healthz shape");
      assert.ok((await client.listExperiments()).experiments.length >= 1);
      assert.ok(sb.stats.requests.every((r) => r.hasAuthorization && r.cookieNames.length === 0));
    });
  } finally {
    file.cleanup();
  }
});

test("serviceAccountToken: a rotated token file is read again, and a 401 retries once with it", async () => {
  const file = tokenFile();
  try {
    await withSandbox({ profile: "service-account" }, async (sb) => {
      const first = sb.issueToken(SUBJECT, { namespace: NS });
      file.write(first);
      const client = await createKfpClient({ apiUrl: sb.apiUrl, auth: { type: "serviceAccountToken", path: file.path }, namespace: NS });
      await client.listExperiments();
      // the kubelet rotates the token: the old one stops working, the file holds a new one
      sb.revokeToken(first);
      file.write(sb.issueToken(SUBJECT, { namespace: NS }));
      sb.resetStats();
      await client.listExperiments();
      assert.equal(sb.stats.requests.length, 1, "the changed file was picked up before sending");
      // a revoked token with no new one on disk: a clear 401, not a loop
      sb.revokeToken(sb.issueToken(SUBJECT, { namespace: NS }));
      const stale = sb.issueToken(SUBJECT, { namespace: NS });
      file.write(stale);
      await client.listExperiments();
      sb.revokeToken(stale);
      sb.resetStats();
      const err = await rejection(client.listExperiments());
      assert.equal(err.code, "KFP_UNAUTHENTICATED");
      assert.equal(err.status, 401);
      assert.equal(err.grpcCode, 16);
      assert.equal(sb.stats.requests.length, 1);
    });
  } finally {
    file.cleanup();
  }
});

test("serviceAccountToken: the path comes from KF_PIPELINES_SA_TOKEN_PATH, and a missing file is KFP_TOKEN_UNAVAILABLE", async () => {
  const file = tokenFile();
  const saved = process.env.KF_PIPELINES_SA_TOKEN_PATH;
  try {
    await withSandbox({ profile: "service-account" }, async (sb) => {
      file.write(sb.issueToken(SUBJECT, { namespace: NS }));
      process.env.KF_PIPELINES_SA_TOKEN_PATH = file.path;
      const client = await createKfpClient({ apiUrl: sb.apiUrl, auth: { type: "serviceAccountToken" }, namespace: NS });
      assert.ok(Array.isArray((await client.listExperiments()).experiments));
      const missing = await createKfpClient({ apiUrl: sb.apiUrl, auth: { type: "serviceAccountToken", path: join(file.path, "nope") } });
      const err = await rejection(missing.healthz());
      assert.equal(err.code, "KFP_TOKEN_UNAVAILABLE");
      assert.match(err.message, /nope/);
      assert.ok(err.cause, "the file error is the cause");
    });
  } finally {
    if (saved === undefined) delete process.env.KF_PIPELINES_SA_TOKEN_PATH;
    else process.env.KF_PIPELINES_SA_TOKEN_PATH = saved;
    file.cleanup();
  }
});

test("bearer: a static token, and a function called for every request", async () => {
  await withSandbox({ profile: "service-account" }, async (sb) => {
    const token = sb.issueToken(SUBJECT, { namespace: NS });
    const fixed = await createKfpClient({ apiUrl: sb.apiUrl, auth: { type: "bearer", token }, namespace: NS });
    assert.ok((await fixed.listExperiments()).experiments.length >= 1);

    let calls = 0;
    const refreshing = await createKfpClient({
      apiUrl: sb.apiUrl,
      namespace: NS,
      auth: { type: "bearer", token: async () => { calls += 1; return token; } },
    });
    await refreshing.listExperiments();
    await refreshing.healthz();
    assert.equal(calls, 2);

    const wrong = await createKfpClient({ apiUrl: sb.apiUrl, auth: { type: "bearer", token: "not-a-token" }, namespace: NS });
    const err = await rejection(wrong.listExperiments());
    assert.equal(err.code, "KFP_UNAUTHENTICATED");
  });
});

test("bearer: a function that hands out a fresh token after a 401 gets one retry", async () => {
  await withSandbox({ profile: "service-account" }, async (sb) => {
    const old = sb.issueToken(SUBJECT, { namespace: NS });
    sb.revokeToken(old);
    const fresh = sb.issueToken(SUBJECT, { namespace: NS });
    let handedOut = 0;
    const client = await createKfpClient({ apiUrl: sb.apiUrl, namespace: NS, auth: { type: "bearer", token: () => (handedOut++ === 0 ? old : fresh) } });
    assert.ok(Array.isArray((await client.listExperiments()).experiments));
    assert.deepEqual(sb.stats.requests.map((r) => r.status), [401, 200]);
    assert.equal(handedOut, 2);
  });
});

test("headers: extra static headers go with every call (a direct API server trusts kubeflow-userid)", async () => {
  await withSandbox({ profile: "service-account" }, async (sb) => {
    const client = await createKfpClient({ apiUrl: sb.apiUrl, headers: { "kubeflow-userid": SUBJECT }, namespace: NS });
    assert.ok((await client.listExperiments()).experiments.length >= 1);
  });
});

test("Kubeflow ≥ 1.9.1 refuses any Authorization header it cannot verify; the client never mixes one with a session", async () => {
  await withSandbox({ profile: "kubeflow-1.9.1" }, async (sb) => {
    const client = await createKfpClient({ apiUrl: sb.apiUrl, auth: { type: "bearer", token: "not-a-jwt" }, namespace: NS });
    const err = await rejection(client.listExperiments());
    assert.equal(err.code, "KFP_PERMISSION_DENIED");
    assert.equal(err.status, 403);
    assert.match(err.message, /RBAC: access denied/);
  });
});
