// Browser (and bundler) entry of kfp-wasm: the wasm module built for the web (wasm-pack
// --target web, in pkg-web/), initialised here with top-level await, so that
// `import { createKfpClient } from "kfp-wasm"` is all a page needs. The .wasm is found next to
// this file with `new URL(..., import.meta.url)`, which bundlers (Vite, Rollup, webpack 5,
// Parcel) turn into an emitted asset. No host hooks are installed: fetch is the page's, the
// session its cookies, and Node-only options (skipTlsVerify, caCert, service-account token
// files) fail with KFP_UNSUPPORTED. The JS half of the API (iterators, Filter) is js/api.mjs,
// the same module the Node entry uses.
import init, * as wasm from "../pkg-web/kfp_wasm.js";
import { withJsApi } from "./api.mjs";

await init({ module_or_path: new URL("../pkg-web/kfp_wasm_bg.wasm", import.meta.url) });

const api = withJsApi(wasm);

export const { createKfpClient, KfpClientManager, KfpClient, KfpError, Filter } = api;
export default api;
