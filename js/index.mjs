// ES module entry of kfp-wasm: the same single instance as the CommonJS entry.
import cjs from "./index.cjs";

export const { createKfpClient, KfpClientManager, KfpClient, KfpError, Filter } = cjs;
export default cjs;
