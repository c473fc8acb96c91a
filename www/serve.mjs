// Where the dashboard is served on the sandbox gateway's origin (Node side; used by
// scripts/start.mjs and tests/e2e). The page's import map points `kfp-wasm` at
// ./kfp-wasm/js/browser.mjs, so the package's browser entry (js/) and its wasm build (pkg-web/)
// are served under DASHBOARD_PATH + "kfp-wasm/", laid out as in the package.
//
//   startSandbox({ profile, static: dashboardStatic() })  →  `${sb.origin}${DASHBOARD_PATH}`
import { existsSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dirname, "..");

export const DASHBOARD_PATH = "/dashboard/";

/**
 * The `static` option of startSandbox: the dashboard and the package it imports. By default the
 * repository's js/ and pkg-web/ (pkg-web/ only once `npm run build` has made it; until then the
 * page says it cannot start); with `packageDir`, an installed kfp-wasm package
 * (node_modules/kfp-wasm), served whole: what a user of the tarball gets.
 * @param {string} [packageDir]
 */
export function dashboardStatic(packageDir) {
  const mounts = { [DASHBOARD_PATH]: join(root, "www") };
  if (packageDir) mounts[`${DASHBOARD_PATH}kfp-wasm/`] = packageDir;
  else {
    mounts[`${DASHBOARD_PATH}kfp-wasm/js/`] = join(root, "js");
    mounts[`${DASHBOARD_PATH}kfp-wasm/pkg-web/`] = join(root, "pkg-web");
  }
  return Object.fromEntries(Object.entries(mounts).filter(([, dir]) => existsSync(dir)));
}

/** True when the browser build the page imports is there (in the repository, or in `packageDir`). */
export function browserBuildPresent(packageDir = root) {
  return existsSync(join(packageDir, "js", "browser.mjs")) && existsSync(join(packageDir, "pkg-web"));
}
