"use strict";
// CommonJS entry of kfp-wasm for Node. Loads the wasm module (built by wasm-pack, target nodejs,
// in pkg/), installs the Node host hooks, and adds what is plain JS: the async iterators over
// list pages and the filter builder (js/api.mjs, shared with the browser entry; Node loads the
// CommonJS copy the build writes to pkg/api.cjs, so that no ES module is loaded here).
const wasm = require("../pkg/kfp_wasm.js");
wasm.installHost(require("./node-host.cjs"));

module.exports = require("../pkg/api.cjs").withJsApi(wasm);
