"use strict";
// CommonJS entry of kfp-wasm. Loads the wasm module (built by wasm-pack, target nodejs),
// installs the Node host hooks, and re-exports the public API.
const wasm = require("../pkg/kfp_wasm.js");
wasm.installHost(require("./node-host.cjs"));

/**
 * Every experiment matching `params`, page after page: `for await (const e of kfp.iterateExperiments({ namespace }))`.
 * Each page is one `listExperiments` call with the previous page's `next_page_token` (and the same
 * sortBy and filter, as KFP requires).
 */
wasm.KfpClient.prototype.iterateExperiments = async function* iterateExperiments(params = {}) {
  let pageToken = params?.pageToken;
  do {
    const page = await this.listExperiments({ ...params, pageToken });
    yield* page.experiments;
    pageToken = page.next_page_token;
  } while (pageToken);
};

module.exports = {
  createKfpClient: wasm.createKfpClient,
  KfpClientManager: wasm.KfpClientManager,
  KfpClient: wasm.KfpClient,
  KfpError: wasm.kfpErrorClass(),
};
