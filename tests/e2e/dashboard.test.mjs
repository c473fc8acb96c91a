// The browser dashboard (www/) end to end: a real Chromium (playwright-core, the system's
// /usr/bin/chromium, never a downloaded one) drives the page served by the sandbox at
// /dashboard/ on the gateway's own origin, over http, on four deployment shapes:
//
//   kubeflow-1.9.0   the Dex "Grant Access" page
//   kubeflow-1.9.1   oauth2-proxy's 403 sign-in page (API routes 401 {})
//   deploykf-0.1.5   absolute Locations (publicHost = the bound 127.0.0.1:port: same origin)
//   deploykf-ldap    several connectors: the Dex selection page, an LDAP user
//
// Per profile: the page loads without a session and shows the sign-in form (auth type
// "browser" fails with KFP_UNAUTHENTICATED), a wrong password shows a KFP_INVALID_CREDENTIALS
// banner, the Dex login from the page, a reload reuses the browser's session without the form,
// paging through runs with page tokens, an upload of tests/fixtures/sum_numbers_pipeline.yaml,
// a run that reaches SUCCEEDED, one terminated to CANCELED, sign-out (the page's, then
// oauth2-proxy's /oauth2/sign_out), and a login on the gateway's own pages (err.loginUrl) that
// the dashboard then reuses. The last profile saves www/screenshot.png. A first test checks the
// sandbox's static serving itself (public, content types, nothing outside the folders).
//
//   node --test tests/e2e/                  (the working tree's js/ + pkg-web/)
//   KFP_WASM_PACKAGE=<node_modules/kfp-wasm> node --test tests/e2e/   (an installed package)
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import http from "node:http";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { chromium } from "playwright-core";
import { startSandbox } from "../../sandbox/index.mjs";
import { DASHBOARD_PATH, dashboardStatic } from "../../www/serve.mjs";

const root = join(import.meta.dirname, "..", "..");
const FIXTURE = join(root, "tests", "fixtures", "sum_numbers_pipeline.yaml");
const SCREENSHOT = join(root, "www", "screenshot.png");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const TIMINGS = { pendingMs: 100, runningMs: 300 };

const PROFILES = [
  { profile: "kubeflow-1.9.0", shape: "the Grant Access page" },
  { profile: "kubeflow-1.9.1", shape: "the 403 sign-in page" },
  { profile: "deploykf-0.1.5", shape: "absolute Locations" },
  { profile: "deploykf-ldap", shape: "several connectors (LDAP user)", connector: "ldap", screenshot: true },
];

let browser;

/** GET with the path sent exactly as written. */
function rawGet(origin, path) {
  return new Promise((resolve, reject) => {
    const req = http.request(`${origin}/`, { path, method: "GET" }, (res) => {
      let body = "";
      res.on("data", (c) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

before(async () => {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get update && apt-get install -y chromium (or set CHROMIUM_PATH)`);
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
});

after(async () => {
  await browser?.close();
});

test("the sandbox serves the dashboard and the package's browser build publicly on the gateway's origin, and nothing else", async () => {
  const packageDir = process.env.KFP_WASM_PACKAGE;
  const sb = await startSandbox({ profile: "kubeflow-1.9.1", static: dashboardStatic(packageDir) });
  try {
    const get = (path) => fetch(`${sb.origin}${path}`, { redirect: "manual" });
    const page = await get(DASHBOARD_PATH);
    assert.equal(page.status, 200, "no session needed");
    assert.match(page.headers.get("content-type"), /^text\/html/);
    assert.match(await page.text(), /"kfp-wasm": "\.\/kfp-wasm\/js\/browser\.mjs"/);
    assert.equal((await get("/dashboard")).headers.get("location"), DASHBOARD_PATH);
    assert.match((await get(`${DASHBOARD_PATH}app.js`)).headers.get("content-type"), /^text\/javascript/);
    assert.equal((await get(`${DASHBOARD_PATH}kfp-wasm/js/browser.mjs`)).status, 200);
    const wasm = await get(`${DASHBOARD_PATH}kfp-wasm/pkg-web/kfp_wasm_bg.wasm`);
    assert.equal(wasm.status, 200);
    assert.equal(wasm.headers.get("content-type"), "application/wasm", "instantiateStreaming needs it");
    // Nothing outside the folders (raw paths: fetch would normalise the dots away).
    for (const path of [`${DASHBOARD_PATH}..%2f..%2fsandbox%2fcerts%2fserver-key.pem`, `${DASHBOARD_PATH}../sandbox/certs/server-key.pem`, `${DASHBOARD_PATH}%2e%2e/sandbox/certs/server-key.pem`, `${DASHBOARD_PATH}kfp-wasm/js/..%2f..%2fpackage.json`, `${DASHBOARD_PATH}.gitignore`]) {
      const { status, body } = await rawGet(sb.origin, path);
      assert.notEqual(status, 200, path);
      assert.doesNotMatch(body, /PRIVATE KEY|"devDependencies"/, path);
    }
    assert.equal((await fetch(`${sb.origin}${DASHBOARD_PATH}`, { method: "POST" })).status, 405);
    // The gateway still guards KFP itself.
    assert.equal((await get("/pipeline/apis/v2beta1/healthz")).status, 401);
  } finally {
    await sb.close();
  }
});

for (const { profile, shape, connector = "local", screenshot } of PROFILES) {
  describe(`dashboard on ${profile} (${shape})`, () => {
    let sb, context, page, user, url;
    const pageErrors = [];
    // Later steps need the earlier ones: once one fails, the rest skip with its reason.
    let blocked = null;
    const step = (name, fn, timeout = 20_000) =>
      test(name, { timeout }, async (t) => {
        if (blocked) return t.skip(blocked);
        try {
          await fn(t);
        } catch (err) {
          blocked = `an earlier step failed: ${name}`;
          throw err;
        }
      });

    before(async () => {
      sb = await startSandbox({ profile, kfp: TIMINGS, static: dashboardStatic(process.env.KFP_WASM_PACKAGE) });
      user = sb.users.find((u) => u.connector === connector && !("*" in u.namespaces) && Object.values(u.namespaces).includes("edit"));
      url = `${sb.origin}${DASHBOARD_PATH}`;
      context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
      context.setDefaultTimeout(10_000);
      page = await context.newPage();
      page.on("pageerror", (err) => pageErrors.push(err.message));
    });

    after(async () => {
      await context?.close();
      await sb?.close();
    });

    const state = () => page.locator("body").getAttribute("data-state");
    /** Waits until the page has decided (not "loading") and returns its state. */
    const settled = async () => {
      await page.waitForFunction(() => document.body.dataset.state !== "loading", null, { timeout: 15_000 });
      return state();
    };
    const bannerCodes = () => page.locator("#banners .banner.error").evaluateAll((els) => els.map((e) => `${e.dataset.code}: ${e.textContent}`));
    const pageInfo = () => page.locator("#runs .page-info").textContent();
    const runCard = (name) => page.locator(`#watch .run-card[data-run-name="${name}"]`);

    step("the page loads without a session and offers the sign-in form (auth type browser: KFP_UNAUTHENTICATED)", async () => {
      const response = await page.goto(url);
      assert.equal(response.status(), 200, "the page itself is public");
      const s = await settled();
      if (s === "boot-error") assert.fail(`the page could not start: ${await page.locator("#boot-error-reason").textContent()}`);
      assert.equal(s, "signed-out", `state ${s}; banners: ${(await bannerCodes()).join(" | ")}`);
      assert.ok(await page.locator("#signin-form").isVisible());
      assert.deepEqual(await bannerCodes(), [], "no error banner: no session is the normal first visit");
    });

    step("a wrong password shows the KFP_INVALID_CREDENTIALS banner", async () => {
      await page.fill("#username", user.username);
      await page.fill("#password", "not-the-password");
      await page.fill("#connector", connector);
      await page.click("#signin-submit");
      const err = page.locator('#banners .banner.error[data-code="KFP_INVALID_CREDENTIALS"]');
      await err.waitFor({ timeout: 15_000 }).catch(async () => assert.fail(`no KFP_INVALID_CREDENTIALS banner; banners: ${(await bannerCodes()).join(" | ")}`));
      assert.match(await err.textContent(), /KFP_INVALID_CREDENTIALS/);
      assert.equal(await state(), "signed-out");
      assert.doesNotMatch(await page.locator("#banners").textContent(), /not-the-password/, "no password in the message");
    });

    step(`signs in through Dex from the page (${connector} connector) and lists the namespace's experiments`, async () => {
      await page.fill("#password", user.password);
      await page.click("#signin-submit");
      await page.waitForFunction(() => document.body.dataset.state === "signed-in", null, { timeout: 15_000 }).catch(async () =>
        assert.fail(`not signed in; banners: ${(await bannerCodes()).join(" | ")}`),
      );
      assert.ok((await page.locator("#whoami").textContent()).includes(user.username));
      await page.fill("#namespace", user.namespace);
      await page.press("#namespace", "Enter");
      await page.locator("#experiments tbody tr", { hasText: "Default" }).waitFor();
      assert.deepEqual(await bannerCodes(), []);
    });

    step("a reload reuses the browser's session (auth type browser) without the form", async () => {
      const logins = sb.stats.passwordPosts;
      await page.reload();
      const s = await settled();
      assert.equal(s, "signed-in", `state ${s}; banners: ${(await bannerCodes()).join(" | ")}`);
      assert.match(await page.locator("#whoami").textContent(), /reused browser session/);
      await page.locator("#experiments tbody tr", { hasText: "Default" }).waitFor();
      assert.equal(sb.stats.passwordPosts, logins, "no new password POST");
      assert.equal(await page.locator("#namespace").inputValue(), user.namespace, "the namespace is remembered");
    });

    step("pages through runs with next/previous (page tokens)", async () => {
      sb.kfp.seedRuns({ namespace: user.namespace, count: 19, state: "SUCCEEDED", namePrefix: "nightly" });
      sb.kfp.seedRuns({ namespace: user.namespace, count: 3, state: "FAILED", namePrefix: "flaky" });
      await page.click('#runs [data-action="reload"]');
      await page.waitForFunction(() => /Page 1 · 1–10 of 22/.test(document.querySelector("#runs .page-info")?.textContent ?? ""));
      const names = () => page.locator("#runs tbody tr").evaluateAll((rows) => rows.map((r) => r.dataset.runName));
      const first = await names();
      assert.equal(first.length, 10);
      assert.ok(await page.locator('#runs [data-action="prev"]').isDisabled());
      await page.click('#runs [data-action="next"]');
      await page.waitForFunction(() => /Page 2 · 11–20 of 22/.test(document.querySelector("#runs .page-info")?.textContent ?? ""));
      const second = await names();
      assert.equal(second.length, 10);
      assert.equal(second.filter((n) => first.includes(n)).length, 0, "page 2 has other runs");
      await page.click('#runs [data-action="next"]');
      await page.waitForFunction(() => /Page 3 · 21–22 of 22/.test(document.querySelector("#runs .page-info")?.textContent ?? ""));
      assert.ok(await page.locator('#runs [data-action="next"]').isDisabled(), "no next page after the last");
      await page.click('#runs [data-action="prev"]');
      await page.waitForFunction(() => /Page 2 · 11–20/.test(document.querySelector("#runs .page-info")?.textContent ?? ""));
      assert.deepEqual(await names(), second);
      await page.click('#runs [data-action="prev"]');
      await page.waitForFunction(() => /Page 1 · 1–10/.test(document.querySelector("#runs .page-info")?.textContent ?? ""));
      assert.deepEqual(await names(), first);
      // The state filter (Filter.equals("state", ...)) is a new query: page 1 again.
      await page.selectOption("#runs-state", "FAILED");
      await page.waitForFunction(() => /Page 1 · 1–3 of 3/.test(document.querySelector("#runs .page-info")?.textContent ?? ""));
      await page.selectOption("#runs-state", "");
      await page.waitForFunction(() => /of 22/.test(document.querySelector("#runs .page-info")?.textContent ?? ""));
      assert.match(await pageInfo(), /Page 1/);
    });

    step("uploads tests/fixtures/sum_numbers_pipeline.yaml from the file input", async () => {
      await page.setInputFiles("#upload-file", FIXTURE);
      assert.equal(await page.inputValue("#upload-name"), "sum_numbers_pipeline", "the name comes from the file");
      await page.fill("#upload-name", "sum-numbers-e2e");
      await page.fill("#upload-description", "uploaded by the dashboard E2E test");
      await page.click("#upload-submit");
      await page.locator("#pipelines tbody tr", { hasText: "sum-numbers-e2e" }).waitFor().catch(async () => assert.fail(`not listed; banners: ${(await bannerCodes()).join(" | ")}`));
      assert.equal(sb.kfp.stats.uploads, 1);
      // The run form picks it, with its latest version and the package's parameter defaults.
      await page.waitForFunction(() => document.querySelector("#run-pipeline")?.selectedOptions[0]?.textContent === "sum-numbers-e2e");
      await page.waitForFunction(() => document.querySelector("#run-version")?.options.length > 0);
      await page.waitForFunction(() => /"count"/.test(document.querySelector("#run-params")?.value ?? ""));
      assert.deepEqual(JSON.parse(await page.inputValue("#run-params")), { count: 10, scale: 1 });
    });

    step("starts a run from the uploaded pipeline and watches it reach SUCCEEDED", async () => {
      await page.selectOption("#run-experiment", { label: "Default" });
      await page.fill("#run-name", "e2e-succeeds");
      await page.fill("#run-params", JSON.stringify({ count: 3, scale: 2 }));
      await page.click("#run-submit");
      const card = runCard("e2e-succeeds");
      await card.waitFor().catch(async () => assert.fail(`no run card; banners: ${(await bannerCodes()).join(" | ")}`));
      await page.locator('#watch .run-card[data-run-name="e2e-succeeds"][data-state="SUCCEEDED"]').waitFor();
      const id = await card.getAttribute("data-run-id");
      const run = sb.kfp.runJson(id);
      assert.equal(run.state, "SUCCEEDED");
      assert.deepEqual(run.runtime_config?.parameters, { count: 3, scale: 2 });
      assert.equal(run.pipeline_version_reference?.pipeline_id, await page.inputValue("#run-pipeline"));
      await page.locator(`#runs tbody tr[data-run-id="${id}"] .state`, { hasText: "SUCCEEDED" }).waitFor();
    });

    step("terminates another run: it goes to CANCELED", async () => {
      sb.kfp.setTimings({ pendingMs: 100, runningMs: 60_000 });
      try {
        await page.fill("#run-name", "e2e-terminated");
        await page.click("#run-submit");
        const card = runCard("e2e-terminated");
        await page.locator('#watch .run-card[data-run-name="e2e-terminated"][data-state="RUNNING"]').waitFor();
        await card.locator('[data-action="terminate"]').click();
        await page.locator('#watch .run-card[data-run-name="e2e-terminated"][data-state="CANCELED"]').waitFor();
        assert.equal(sb.kfp.runJson(await card.getAttribute("data-run-id")).state, "CANCELED");
        assert.match(await card.locator(".run-history").textContent(), /RUNNING.*CANCEL/);
      } finally {
        sb.kfp.setTimings(TIMINGS);
      }
    });

    if (screenshot) {
      step("saves www/screenshot.png", async () => {
        await page.locator("#runs tbody tr", { hasText: "e2e-terminated" }).locator(".state", { hasText: "CANCELED" }).waitFor();
        // Notices fade by themselves; the picture shows the dashboard, not the last toast.
        await page.evaluate(() => document.querySelectorAll("#banners .banner.info").forEach((b) => b.remove()));
        await page.evaluate(() => window.scrollTo(0, 0));
        await page.screenshot({ path: SCREENSHOT, fullPage: true });
        assert.ok(existsSync(SCREENSHOT));
      });
    }

    step("sign-out forgets the client; ending the gateway session (/oauth2/sign_out) really signs out", async () => {
      await page.click("#signout");
      assert.equal(await state(), "signed-out");
      // The gateway session is still in the browser: it can be reused...
      await page.click("#retry-session");
      assert.equal(await settled(), "signed-in");
      // ...until oauth2-proxy's sign-out clears it and comes back here.
      await Promise.all([page.waitForEvent("framenavigated", { predicate: (f) => f === page.mainFrame() && f.url() === url }), page.click("#gateway-signout")]);
      assert.equal(await settled(), "signed-out");
    });

    step("signing in on the gateway's own login page (err.loginUrl) leaves a session the dashboard reuses", async (t) => {
      const fresh = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
      fresh.setDefaultTimeout(10_000);
      try {
        const p = await fresh.newPage();
        p.on("pageerror", (err) => pageErrors.push(err.message));
        await p.goto(url);
        await p.waitForFunction(() => document.body.dataset.state !== "loading", null, { timeout: 15_000 });
        assert.equal(await p.locator("body").getAttribute("data-state"), "signed-out");
        if (!(await p.locator("#gateway-login").isVisible())) return t.skip("the library gave no err.loginUrl for this gateway");
        // The browser walks the gateway's own pages, as a user would: oauth2-proxy's sign-in
        // button, Dex's connector choice, the login form, the Grant Access page.
        await p.click("#gateway-login-link");
        for (let hop = 0; hop < 6 && !p.url().startsWith(url); hop++) {
          await p.waitForLoadState();
          if (await p.locator("#login").count()) {
            await p.fill("#login", user.username);
            await p.fill("#password", user.password);
            await Promise.all([p.waitForNavigation(), p.click("#submit-login")]);
          } else if (await p.getByText("Sign in with OpenID Connect").count()) {
            await Promise.all([p.waitForNavigation(), p.getByText("Sign in with OpenID Connect").click()]);
          } else if (await p.locator(`a[href*="/auth/${connector}"]`).count()) {
            await Promise.all([p.waitForNavigation(), p.locator(`a[href*="/auth/${connector}"]`).click()]);
          } else if (await p.getByText("Grant Access", { exact: true }).count()) {
            await Promise.all([p.waitForNavigation(), p.locator('button:has-text("Grant Access")').click()]);
          } else {
            break;
          }
        }
        if (!p.url().startsWith(url)) await p.goto(url);
        await p.waitForFunction(() => document.body.dataset.state !== "loading", null, { timeout: 15_000 });
        assert.equal(await p.locator("body").getAttribute("data-state"), "signed-in", `at ${p.url()}`);
        assert.match(await p.locator("#whoami").textContent(), /reused browser session/);
      } finally {
        await fresh.close();
      }
    });

    test("no uncaught error in the page", () => {
      assert.deepEqual(pageErrors, []);
    });
  });
}
