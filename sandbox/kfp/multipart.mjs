// multipart/form-data parsing (RFC 7578) with Node built-ins only, enough for Go's
// r.FormFile("uploadfile"): parts with Content-Disposition name/filename, binary bodies kept as Buffers.
import zlib from "node:zlib";

/** Boundary from a Content-Type header, or null. */
export function boundaryOf(contentType) {
  const ct = String(contentType || "");
  if (!/^multipart\/form-data/i.test(ct)) return null;
  const m = ct.match(/boundary=(?:"([^"]+)"|([^;\s]+))/i);
  return m ? m[1] || m[2] : null;
}

function parseDisposition(value) {
  const out = {};
  const re = /;\s*([a-zA-Z0-9_*-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/g;
  let m;
  while ((m = re.exec(value))) {
    const key = m[1].toLowerCase();
    let v = m[2] !== undefined ? m[2].replace(/\\(.)/g, "$1") : m[3].trim();
    if (key === "filename*") {
      const mm = v.match(/^[^']*'[^']*'(.*)$/);
      if (mm) v = decodeURIComponent(mm[1]);
      out.filename = v;
      continue;
    }
    out[key] = v;
  }
  return out;
}

/**
 * @param {Buffer} body
 * @param {string} boundary
 * @returns {Array<{name: string, filename?: string, headers: object, data: Buffer}>}
 * @throws Error with Go's mime/multipart wording on malformed input
 */
export function parseMultipart(body, boundary) {
  const delim = Buffer.from(`--${boundary}`);
  const parts = [];
  let pos = body.indexOf(delim);
  if (pos < 0) throw new Error("multipart: NextPart: EOF");
  for (;;) {
    pos += delim.length;
    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) break; // closing --boundary--
    // skip transport padding then CRLF
    while (body[pos] === 0x20 || body[pos] === 0x09) pos++;
    if (body[pos] === 0x0d && body[pos + 1] === 0x0a) pos += 2;
    else if (body[pos] === 0x0a) pos += 1;
    else throw new Error("multipart: NextPart: malformed boundary");
    const headerEnd = body.indexOf("\r\n\r\n", pos);
    if (headerEnd < 0) throw new Error("multipart: NextPart: EOF");
    const headers = {};
    for (const line of body.subarray(pos, headerEnd).toString("utf8").split("\r\n")) {
      const i = line.indexOf(":");
      if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
    }
    const dataStart = headerEnd + 4;
    const next = body.indexOf(Buffer.concat([Buffer.from("\r\n"), delim]), dataStart);
    if (next < 0) throw new Error("multipart: NextPart: EOF");
    const disp = parseDisposition(headers["content-disposition"] || "");
    parts.push({ name: disp.name, filename: disp.filename, headers, data: body.subarray(dataStart, next) });
    pos = next + 2;
  }
  return parts;
}

// ------------------------------------------------------------------ .zip / .tar.gz packages
// ReadPipelineFile sniffs these when the filename is neither .yaml/.yml nor .json: the package's
// first YAML file is the pipeline (DecompressPipelineZip / DecompressPipelineTarball).
const isYamlName = (n) => /\.ya?ml$/.test(n);

export const isZip = (b) => b.length > 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
export const isGzip = (b) => b.length > 2 && b[0] === 0x1f && b[1] === 0x8b;

/** First YAML file of a .zip, or an Error with KFP's wording. */
export function unzipFirstYaml(buf) {
  let pos = 0;
  while (pos + 30 <= buf.length && buf.readUInt32LE(pos) === 0x04034b50) {
    const method = buf.readUInt16LE(pos + 8);
    let size = buf.readUInt32LE(pos + 18);
    const nameLen = buf.readUInt16LE(pos + 26);
    const extraLen = buf.readUInt16LE(pos + 28);
    const name = buf.subarray(pos + 30, pos + 30 + nameLen).toString("utf8");
    const start = pos + 30 + nameLen + extraLen;
    const flags = buf.readUInt16LE(pos + 6);
    if (flags & 0x08 && size === 0) {
      // sizes in a data descriptor: find it through the central directory
      const cd = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
      if (cd > 0) size = buf.readUInt32LE(cd + 20);
    }
    const data = buf.subarray(start, start + size);
    if (!name.endsWith("/") && !name.startsWith("__MACOSX")) {
      if (!isYamlName(name)) throw new Error("Error extracting pipeline from the zip file. Expecting a pipeline.yaml file inside the zip file.");
      return method === 8 ? zlib.inflateRawSync(data) : data;
    }
    pos = start + size + (flags & 0x08 ? 16 : 0);
  }
  throw new Error("Error extracting pipeline from the zip file. Not a valid zip file.");
}

/** First YAML file of a .tar.gz, or an Error with KFP's wording. */
export function untarFirstYaml(buf) {
  let tar;
  try {
    tar = zlib.gunzipSync(buf);
  } catch {
    throw new Error("Error extracting pipeline from the tarball file. Not a valid tarball file.");
  }
  let pos = 0;
  while (pos + 512 <= tar.length) {
    const header = tar.subarray(pos, pos + 512);
    if (header.every((x) => x === 0)) break;
    const name = header.subarray(0, 100).toString("utf8").replace(/\0.*$/s, "");
    const size = parseInt(header.subarray(124, 136).toString("utf8").replace(/\0.*$/s, "").trim() || "0", 8);
    const type = String.fromCharCode(header[156] || 0x30);
    const data = tar.subarray(pos + 512, pos + 512 + size);
    if ((type === "0" || type === "\0") && !name.split("/").pop().startsWith("._")) {
      if (!isYamlName(name)) throw new Error("Error extracting pipeline from the tarball file. Expecting a pipeline.yaml file inside the tarball.");
      return data;
    }
    pos += 512 + Math.ceil(size / 512) * 512;
  }
  throw new Error("Error extracting pipeline from the tarball file. Not a valid tarball file.");
}
