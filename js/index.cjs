"use strict";
// CommonJS entry of kfp-wasm. Loads the wasm module (built by wasm-pack, target nodejs),
// installs the Node host hooks, and re-exports the public API.
const wasm = require("../pkg/kfp_wasm.js");
wasm.installHost(require("./node-host.cjs"));

module.exports = {
  createKfpClient: wasm.createKfpClient,
  KfpClientManager: wasm.KfpClientManager,
  KfpClient: wasm.KfpClient,
  KfpError: wasm.kfpErrorClass(),
};
