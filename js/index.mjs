// ES module entry of kfp-wasm for Node: the same single instance as the CommonJS entry. It is
// loaded with `createRequire` rather than `import ... from "./index.cjs"`, which would have Node
// parse index.cjs for its exports first (about 3 ms of the import).
import { createRequire } from "node:module";

const cjs = createRequire(import.meta.url)("./index.cjs");

export const { createKfpClient, KfpClientManager, KfpClient, KfpError, Filter } = cjs;
export default cjs;
