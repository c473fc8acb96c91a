/**
 * kfp-wasm in browsers and bundlers (`js/browser.mjs`, the `browser` condition of the package's
 * exports, also reachable as `kfp-wasm/browser`): the same API and the same types as the Node
 * entry, {@link "./index.js"}. The wasm module is initialised by top-level await when this
 * module is imported, so there is no init call. In a browser, `fetch` is the page's and the
 * session its cookies; the Node-only options (`skipTlsVerify`, `caCert`, the
 * `serviceAccountToken` auth type) reject with `KFP_UNSUPPORTED`.
 *
 * @packageDocumentation
 */
export * from "./index.js";
import { createKfpClient, KfpClientManager, KfpClient, KfpError, Filter } from "./index.js";

/** The same object as the named exports. */
declare const api: {
  createKfpClient: typeof createKfpClient;
  KfpClientManager: typeof KfpClientManager;
  KfpClient: typeof KfpClient;
  KfpError: typeof KfpError;
  Filter: typeof Filter;
};
export default api;
