"use strict";
// The fetch a client with `skipTlsVerify` or `caCert` uses in Node: node:https (node:http for
// http: URLs) through Agents of that client's own, so the TLS settings reach no other client and
// nothing process-wide. It implements what the wasm transport asks of fetch, no more:
//   - `redirect: "manual"` semantics (what Node's transport always asks for): a 3xx is returned
//     as it is, with its Location and Set-Cookie headers, never followed;
//   - the answer is a real `Response`: `status`, `headers` (every Set-Cookie line apart in
//     `headers.getSetCookie()`), `body` as a stream (and `arrayBuffer()`, `text()`, ...);
//   - gzip, deflate and br bodies are decoded, as fetch does;
//   - `init.signal`: an abort rejects with `signal.reason` (a `TimeoutError` for
//     `AbortSignal.timeout`), before the answer or while its body is read;
//   - a failure before the answer rejects with `TypeError("fetch failed")` whose `cause` is Node's
//     error (its `code`: ECONNREFUSED, DEPTH_ZERO_SELF_SIGNED_CERT, ...), as fetch does.
// Request bodies are strings, ArrayBuffers or typed arrays (the transport sends Uint8Arrays).
const http = require("node:http");
const https = require("node:https");
const tls = require("node:tls");
const zlib = require("node:zlib");
const { Readable } = require("node:stream");

// Statuses whose Response has no body (the Response constructor refuses one).
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

// Secure contexts by CA: building one with the system roots and the user's CA parses every root
// certificate again (about 30 ms), so it is done once per CA per process, not per client or
// per connection.
const contexts = new Map();
function contextFor(caCert) {
  let context = contexts.get(caCert);
  if (!context) {
    context = tls.createSecureContext({ ca: [...tls.rootCertificates, caCert] });
    contexts.set(caCert, context);
  }
  return context;
}

/**
 * A fetch over Agents of its own. `caCert`: PEM text of a CA trusted in addition to the system
 * roots; `rejectUnauthorized: false` skips certificate verification (skipTlsVerify).
 */
function createAgentFetch({ caCert, rejectUnauthorized }) {
  const secureContext = caCert ? contextFor(caCert) : undefined;
  // Kept-alive sockets wait in the pool unref'd (they never keep the process alive) and are
  // closed after 10 s unused, so that clients dropped by a long-running process do not leave
  // connections open (undici closes them after 4 s). A request in flight is never cut by it.
  const agents = {
    "https:": new https.Agent({ keepAlive: true, timeout: 10_000, rejectUnauthorized, secureContext }),
    "http:": new http.Agent({ keepAlive: true, timeout: 10_000 }),
  };
  return function agentFetch(input, init = {}) {
    return new Promise((resolve, reject) => {
      const signal = init.signal ?? undefined;
      if (signal?.aborted) return reject(signal.reason);
      let url;
      try {
        url = new URL(typeof input === "string" ? input : input.url ?? String(input));
      } catch (err) {
        return reject(new TypeError("Failed to parse URL", { cause: err }));
      }
      const agent = agents[url.protocol];
      if (!agent) return reject(new TypeError("fetch failed", { cause: new Error(`unsupported protocol ${url.protocol}`) }));

      const headers = {};
      for (const [name, value] of new Headers(init.headers ?? {})) headers[name] = value;
      headers["accept"] ??= "*/*";
      headers["accept-encoding"] ??= "gzip, deflate, br";
      const body = requestBody(init.body);
      if (body) headers["content-length"] = String(body.length);
      const method = (init.method ?? "GET").toUpperCase();

      let settled = false;
      let answer; // the IncomingMessage, once there
      let req;
      const onAbort = () => {
        const reason = signal.reason;
        if (!settled) {
          settled = true;
          reject(reason);
        }
        if (answer) answer.destroy(reason);
        req.destroy(reason);
      };
      const done = () => signal?.removeEventListener("abort", onAbort);

      req = (url.protocol === "https:" ? https : http).request(url, { method, headers, agent });
      req.on("error", (err) => {
        done();
        if (settled) return;
        settled = true;
        reject(err === signal?.reason ? err : new TypeError("fetch failed", { cause: fetchCause(err) }));
      });
      req.on("response", (res) => {
        answer = res;
        const responseHeaders = new Headers();
        const raw = res.rawHeaders;
        for (let i = 0; i + 1 < raw.length; i += 2) {
          try {
            responseHeaders.append(raw[i], raw[i + 1]);
          } catch {
            // A header value fetch would refuse as well; skip it.
          }
        }
        res.once("close", done);
        const empty = method === "HEAD" || NULL_BODY.has(res.statusCode);
        let stream = null;
        if (empty) {
          res.resume();
        } else {
          const decoded = decode(res, responseHeaders.get("content-encoding"));
          stream = Readable.toWeb(decoded);
        }
        settled = true;
        try {
          const response = new Response(stream, { status: res.statusCode, statusText: res.statusMessage ?? "", headers: responseHeaders });
          Object.defineProperty(response, "url", { value: url.href, enumerable: true });
          resolve(response);
        } catch (err) {
          res.destroy();
          reject(new TypeError("fetch failed", { cause: err }));
        }
      });
      signal?.addEventListener("abort", onAbort, { once: true });
      req.end(body);
    });
  };
}

/** Node's error as fetch's `cause`; a header flood gets undici's code, as with Node's fetch. */
function fetchCause(err) {
  if (err?.code !== "HPE_HEADER_OVERFLOW") return err;
  return Object.assign(new Error("Headers Overflow Error", { cause: err }), { code: "UND_ERR_HEADERS_OVERFLOW" });
}

function requestBody(body) {
  if (body === undefined || body === null) return null;
  if (typeof body === "string") return Buffer.from(body);
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  if (ArrayBuffer.isView(body)) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  throw new TypeError("this fetch sends string, ArrayBuffer and typed array bodies only");
}

/** The body stream, decoded as fetch does for one gzip, deflate or br coding. */
function decode(res, coding) {
  const make = {
    gzip: () => zlib.createGunzip({ flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH }),
    "x-gzip": () => zlib.createGunzip({ flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH }),
    deflate: () => zlib.createInflate(),
    br: () => zlib.createBrotliDecompress(),
  }[coding?.trim().toLowerCase()];
  if (!make) return res;
  const decoder = make();
  res.on("error", (err) => decoder.destroy(err));
  decoder.on("close", () => res.destroy());
  return res.pipe(decoder);
}

module.exports = { createAgentFetch };
