// Pipelines and pipeline versions (REPORT §2.1, §2.2, §2.3), mixed into KfpApi.
//   v2beta1: POST /pipelines, POST /pipelines/create, GET /pipelines, GET /pipelines/{id},
//            GET /pipelines/names/{name}?namespace=, DELETE /pipelines/{id}[?cascade=true (2.14+)],
//            GET|POST /pipelines/{id}/versions, GET|DELETE /pipelines/{id}/versions/{vid}
//   v1beta1: GET|POST /pipelines, GET|DELETE /pipelines/{id}, GET /pipelines/{id}/templates,
//            GET /namespaces/{ns}/pipelines/{name}, POST /pipelines/{id}/default_version/{vid},
//            GET|POST /pipeline_versions?resource_key.type=PIPELINE&resource_key.id=,
//            GET|DELETE /pipeline_versions/{id}, GET /pipeline_versions/{id}/templates
//   both:    POST /pipelines/upload, POST /pipelines/upload_version (multipart `uploadfile`, metadata
//            in the query, errors {error_message, error_details}).
// Pipelines may be shared (namespace "") or namespaced; single-user mode forces "".
// package_url / url downloads are only done from loopback addresses (the sandbox has no network).
import { col, listOptions, listPage, Store } from "./list.mjs";
import { boundaryOf, isGzip, isZip, parseMultipart, untarFirstYaml, unzipFirstYaml } from "./multipart.mjs";
import { specStruct, templateFromStruct, templateFromText, templateParameters } from "./spec.mjs";
import { ApiError, HttpError, omitZero, rfc3339, tagAtLeast, uuid } from "./util.mjs";

export const MAX_UPLOAD = 32 << 20; // common.MaxFileLength

const nowSec = () => Math.floor(Date.now() / 1000);
const isLoopback = (host) => /^(localhost|127\.\d+\.\d+\.\d+|\[::1\]|::1)$/i.test(host);

export const pipelineMethods = {
  initPipelines() {
    const t14 = tagAtLeast(this.tag, "2.14");
    this.pipelines = new Store("pipelines");
    this.versions = new Store("pipeline_versions");
    this.pipelineRes = {
      modelName: "pipelines",
      columns: {
        pipeline_id: col("id"),
        id: col("id"),
        display_name: col("displayName"),
        name: t14 ? col("name") : col("displayName"),
        created_at: col("createdAt", { num: true }),
        description: col("description"),
        namespace: col("namespace"),
      },
    };
    this.versionRes = {
      modelName: "pipeline_versions",
      columns: {
        pipeline_version_id: col("id"),
        id: col("id"),
        display_name: col("displayName"),
        name: t14 ? col("name") : col("displayName"),
        created_at: col("createdAt", { num: true }),
        description: col("description"),
      },
    };
  },

  // ------------------------------------------------------------------ representation
  pipelineToV2(p) {
    return omitZero({
      pipeline_id: p.id,
      display_name: p.displayName,
      name: tagAtLeast(this.tag, "2.14") ? p.name : undefined,
      description: p.description,
      created_at: rfc3339(p.createdAt),
      namespace: p.namespace,
      tags: p.tags && Object.keys(p.tags).length ? p.tags : undefined,
    });
  },
  versionToV2(v) {
    return omitZero({
      pipeline_id: v.pipelineId,
      pipeline_version_id: v.id,
      display_name: v.displayName,
      name: tagAtLeast(this.tag, "2.14") ? v.name : undefined,
      description: v.description,
      created_at: rfc3339(v.createdAt),
      package_url: v.packageUrl ? { pipeline_url: v.packageUrl } : undefined,
      code_source_url: v.codeSourceUrl,
      pipeline_spec: specStruct(v.template),
      tags: v.tags && Object.keys(v.tags).length ? v.tags : undefined,
    });
  },
  pipelineToV1(p) {
    const dv = this.defaultVersionOf(p);
    return omitZero({
      id: p.id,
      created_at: rfc3339(p.createdAt),
      name: p.name,
      description: p.description,
      parameters: dv ? templateParameters(dv.template) : [],
      url: dv?.packageUrl ? { pipeline_url: dv.packageUrl } : undefined,
      default_version: dv ? this.versionToV1(dv) : undefined,
      resource_references: p.namespace ? [{ key: { type: "NAMESPACE", id: p.namespace }, relationship: "OWNER" }] : [],
    });
  },
  versionToV1(v) {
    return omitZero({
      id: v.id,
      name: v.name,
      created_at: rfc3339(v.createdAt),
      parameters: templateParameters(v.template),
      code_source_url: v.codeSourceUrl,
      package_url: v.packageUrl ? { pipeline_url: v.packageUrl } : undefined,
      resource_references: [{ key: { type: "PIPELINE", id: v.pipelineId }, relationship: "OWNER" }],
      description: v.description,
    });
  },

  defaultVersionOf(p) {
    const v = p.defaultVersionId && this.versions.get(p.defaultVersionId);
    return v || this.latestVersion(p.id);
  },
  latestVersion(pipelineId) {
    const p = this.pipelines.get(pipelineId);
    const known = p?.latestVersionId && this.versions.get(p.latestVersionId);
    if (known) return known;
    const arr = this.versions.byCreated;
    for (let i = arr.length - 1; i >= 0; i--) if (arr[i].pipelineId === pipelineId) return arr[i];
    return null;
  },
  versionsOf(pipelineId) {
    return this.versions.byCreated.filter((v) => v.pipelineId === pipelineId);
  },

  // ------------------------------------------------------------------ model operations
  newPipeline({ name, displayName, description, namespace, tags }) {
    if (!this.multiUser) namespace = "";
    name = name || displayName;
    displayName = displayName || name;
    if (!name) throw new ApiError(3, "Invalid input error: pipeline's name cannot be empty");
    for (const p of this.pipelines.values()) {
      if (p.name === name && p.namespace === namespace) throw new ApiError(6, `Already exist error: Failed to create a new pipeline. The name ${name} already exist. Please specify a new name`);
    }
    return { id: uuid(), name, displayName, description: description || "", namespace: namespace || "", createdAt: nowSec(), defaultVersionId: "", tags: tags || null };
  },
  newVersion(p, { name, displayName, description, template, packageUrl, codeSourceUrl, tags }) {
    name = name || displayName || p.name;
    displayName = displayName || name;
    for (const v of this.versions.values()) {
      if (v.pipelineId === p.id && v.name === name) throw new ApiError(6, `Already exist error: Failed to create a new pipeline version. The name ${name} already exist. Please specify a new name`);
    }
    return { id: uuid(), pipelineId: p.id, name, displayName, description: description || "", createdAt: nowSec(), template, packageUrl: packageUrl || "", codeSourceUrl: codeSourceUrl || "", tags: tags || null };
  },
  addVersion(p, v) {
    this.versions.add(v);
    p.defaultVersionId = v.id;
    p.latestVersionId = v.id; // created_at has second precision: remember which one is newest
  },

  pipelineOr404(id) {
    const p = this.pipelines.get(id);
    if (!p) throw new ApiError(5, `ResourceNotFoundError: Pipeline ${id} not found`);
    return p;
  },
  versionOr404(id) {
    const v = this.versions.get(id);
    if (!v) throw new ApiError(5, `ResourceNotFoundError: PipelineVersion ${id} not found`);
    return v;
  },
  /** Pipeline by id, authorized for `verb` by its namespace. */
  authorizedPipeline(id, verb, auth) {
    const p = this.wrap(`Failed to get pipeline ${id}`, () => this.pipelineOr404(id));
    this.wrap("Failed to authorize the request", () => this.checkAccess(p.namespace, verb, auth, "pipelines"));
    return p;
  },

  /** Download a package (package_url / url) — loopback only. */
  async fetchPackage(url) {
    let u;
    try {
      u = new URL(url);
    } catch {
      throw new ApiError(3, `Invalid input error: Invalid pipeline URL ${JSON.stringify(url)}`);
    }
    if (!/^https?:$/.test(u.protocol)) throw new ApiError(3, `Invalid input error: Unsupported pipeline URL scheme ${JSON.stringify(u.protocol)}`);
    if (!isLoopback(u.hostname)) throw new ApiError(13, `Internal error: Failed to download a pipeline from ${url}: the sandbox downloads only from loopback addresses`);
    let res;
    try {
      res = await fetch(url);
    } catch (e) {
      throw new ApiError(13, `Internal error: Failed to download a pipeline from ${url}: ${e.message}`);
    }
    if (!res.ok) throw new ApiError(13, `Internal error: Failed to download a pipeline from ${url}: HTTP ${res.status}`);
    const buf = Buffer.from(await res.arrayBuffer());
    return this.packageBytes(u.pathname, buf);
  },

  /** ReadPipelineFile: filename rules, archives, size. Returns the template text. */
  packageBytes(fileName, buf) {
    if (buf.length > MAX_UPLOAD) throw new ApiError(3, `Invalid input error: File size too large. Maximum supported size: ${MAX_UPLOAD}`);
    if (/\.ya?ml$/.test(fileName) || /\.json$/.test(fileName)) return buf.toString("utf8");
    try {
      if (isZip(buf)) return unzipFirstYaml(buf).toString("utf8");
      if (isGzip(buf)) return untarFirstYaml(buf).toString("utf8");
    } catch (e) {
      throw new ApiError(3, `Invalid input error: ${e.message}`);
    }
    throw new ApiError(3, "Invalid input error: Unexpected pipeline file format. Support .zip, .tar.gz, .json or YAML");
  },

  // ------------------------------------------------------------------ routing
  routePipelines(r) {
    const { rest, method, v2 } = r;
    if (rest === "/pipelines/upload" && method === "POST") return this.upload(r, false);
    if (rest === "/pipelines/upload_version" && method === "POST") return this.upload(r, true);
    if (rest === "/pipelines") {
      if (method === "GET") return this.listPipelines(r);
      if (method === "POST") return v2 ? this.createPipelineV2(r) : this.createPipelineV1(r);
      return undefined;
    }
    if (v2) {
      if (rest === "/pipelines/create" && method === "POST") return this.createPipelineAndVersion(r);
      let m = rest.match(/^\/pipelines\/names\/([^/]+)$/);
      if (m && method === "GET") return this.pipelineToV2(this.pipelineByName(decodeURIComponent(m[1]), r.q("namespace") || "", r.auth, "Failed to get pipeline by name"));
      m = rest.match(/^\/pipelines\/([^/]+)\/versions(?:\/([^/]+))?$/);
      if (m) {
        const [, pid, vid] = m;
        if (!vid && method === "GET") return this.listVersions(r, pid);
        if (!vid && method === "POST") return this.createVersion(r, pid);
        if (vid && method === "GET") return this.getVersion(r, vid, pid);
        if (vid && method === "DELETE") return this.deleteVersion(r, vid, pid);
        return undefined;
      }
      m = rest.match(/^\/pipelines\/([^/]+)$/);
      if (m && method === "GET") return this.pipelineToV2(this.wrap("Failed to get a pipeline", () => this.authorizedPipeline(m[1], "get", r.auth)));
      if (m && method === "DELETE") return this.deletePipeline(r, m[1]);
      return undefined;
    }
    // v1beta1
    let m = rest.match(/^\/namespaces\/([^/]+)\/pipelines\/([^/]+)$/);
    if (m && method === "GET") return this.pipelineToV1(this.pipelineByName(decodeURIComponent(m[2]), decodeURIComponent(m[1]), r.auth, "Failed to get a v1beta1 pipeline by name"));
    m = rest.match(/^\/pipelines\/([^/]+)\/default_version\/([^/]+)$/);
    if (m && method === "POST") {
      return this.wrap("Failed to update the default version of a v1beta1 pipeline", () => {
        const p = this.authorizedPipeline(m[1], "update", r.auth);
        const v = this.versionOr404(m[2]);
        if (v.pipelineId !== p.id) throw new ApiError(3, `Invalid input error: Pipeline version ${v.id} does not belong to pipeline ${p.id}`);
        p.defaultVersionId = v.id;
        return {};
      });
    }
    m = rest.match(/^\/pipelines\/([^/]+)\/templates$/);
    if (m && method === "GET") {
      const p = this.wrap("Failed to get the template of a v1beta1 pipeline", () => this.authorizedPipeline(m[1], "get", r.auth));
      const v = this.defaultVersionOf(p);
      if (!v) throw new ApiError(5, `Failed to get the template of a v1beta1 pipeline: ResourceNotFoundError: Pipeline ${p.id} has no versions`);
      return { template: v.template.text };
    }
    m = rest.match(/^\/pipelines\/([^/]+)$/);
    if (m && method === "GET") return this.pipelineToV1(this.wrap("Failed to get a v1beta1 pipeline", () => this.authorizedPipeline(m[1], "get", r.auth)));
    if (m && method === "DELETE") return this.deletePipeline(r, m[1]);
    if (rest === "/pipeline_versions") {
      if (method === "GET") return this.listVersions(r, null);
      if (method === "POST") return this.createVersion(r, null);
      return undefined;
    }
    m = rest.match(/^\/pipeline_versions\/([^/]+)(\/templates)?$/);
    if (m && !m[2] && method === "GET") return this.getVersion(r, m[1], null);
    if (m && !m[2] && method === "DELETE") return this.deleteVersion(r, m[1], null);
    if (m && m[2] && method === "GET") {
      const v = this.wrap("Failed to get the template of a v1beta1 pipeline version", () => {
        const ver = this.versionOr404(m[1]);
        this.authorizedPipeline(ver.pipelineId, "get", r.auth);
        return ver;
      });
      return { template: v.template.text };
    }
    return undefined;
  },

  pipelineByName(name, namespace, auth, outer) {
    return this.wrap(outer, () => {
      if (!this.multiUser) namespace = "";
      this.wrap("Failed to authorize the request", () => this.checkAccess(namespace, "get", auth, "pipelines"));
      for (const p of this.pipelines.values()) if (p.name === name && p.namespace === namespace) return p;
      throw new ApiError(5, `ResourceNotFoundError: Pipeline ${name} not found in namespace ${JSON.stringify(namespace)}`);
    });
  },

  // ------------------------------------------------------------------ create
  createPipelineV2(r) {
    const b = this.body(r, "pipeline");
    return this.wrap("Failed to create a pipeline", () => {
      const namespace = this.multiUser ? b.namespace || "" : "";
      this.wrap("Failed to authorize the request", () => this.checkAccess(namespace, "create", r.auth, "pipelines"));
      const p = this.newPipeline({ name: b.name, displayName: b.display_name, description: b.description, namespace, tags: b.tags });
      this.pipelines.add(p);
      return this.pipelineToV2(p);
    });
  },

  async templateFromVersionBody(v, outer) {
    if (v.package_url?.pipeline_url) {
      const text = await this.fetchPackage(v.package_url.pipeline_url).catch((e) => {
        throw e instanceof ApiError ? new ApiError(e.code, `${outer}: ${e.message}`, e.details) : e;
      });
      return this.wrap(outer, () => templateFromText(text));
    }
    if (v.pipeline_spec) return this.wrap(outer, () => templateFromStruct(v.pipeline_spec));
    throw new ApiError(3, `${outer}: Invalid input error: Pipeline version must have a package_url or a pipeline_spec`);
  },

  async createPipelineAndVersion(r) {
    const b = this.body(r, "createPipelineAndVersion");
    const outer = "Failed to create a pipeline and a pipeline version";
    const pb = b.pipeline || {};
    const vb = b.pipeline_version || {};
    const namespace = this.multiUser ? pb.namespace || "" : "";
    this.wrap(outer, () => this.wrap("Failed to authorize the request", () => this.checkAccess(namespace, "create", r.auth, "pipelines")));
    const template = await this.templateFromVersionBody(vb, outer);
    return this.wrap(outer, () => {
      const p = this.newPipeline({ name: pb.name, displayName: pb.display_name || template.name, description: pb.description, namespace, tags: pb.tags });
      const v = this.newVersion(p, { name: vb.name, displayName: vb.display_name, description: vb.description, template, packageUrl: vb.package_url?.pipeline_url, codeSourceUrl: vb.code_source_url, tags: vb.tags });
      this.pipelines.add(p);
      this.addVersion(p, v);
      return this.pipelineToV2(p);
    });
  },

  async createPipelineV1(r) {
    const b = this.body(r, "pipelineV1");
    const outer = "Failed to create a v1beta1 pipeline";
    const nsRef = (b.resource_references || []).find((x) => x?.key?.type === "NAMESPACE");
    const namespace = this.multiUser ? nsRef?.key?.id || "" : "";
    this.wrap(outer, () => this.wrap("Failed to authorize the request", () => this.checkAccess(namespace, "create", r.auth, "pipelines")));
    if (!b.url?.pipeline_url) throw new ApiError(3, `${outer}: Invalid input error: Pipeline URL is empty. Please specify a valid URL`);
    const template = await this.templateFromVersionBody({ package_url: b.url }, outer);
    return this.wrap(outer, () => {
      const p = this.newPipeline({ name: b.name || template.name, description: b.description, namespace });
      const v = this.newVersion(p, { template, packageUrl: b.url.pipeline_url, description: b.description });
      this.pipelines.add(p);
      this.addVersion(p, v);
      return this.pipelineToV1(p);
    });
  },

  async createVersion(r, pipelineIdFromPath) {
    const v2 = r.v2;
    const b = this.body(r, v2 ? "pipelineVersion" : "pipelineVersionV1");
    const outer = v2 ? "Failed to create a pipeline version" : "Failed to create a v1beta1 pipeline version";
    let pid = pipelineIdFromPath;
    if (!v2) pid = (b.resource_references || []).find((x) => x?.key?.type === "PIPELINE" && x.relationship !== "CREATOR")?.key?.id || (b.resource_references || []).find((x) => x?.key?.type === "PIPELINE")?.key?.id;
    if (v2 && b.pipeline_id && b.pipeline_id !== pid) throw new ApiError(3, `${outer}: Invalid input error: Pipeline id in the path (${pid}) and in the body (${b.pipeline_id}) differ`);
    if (!pid) throw new ApiError(3, `${outer}: Invalid input error: Pipeline id cannot be empty`);
    const p = this.wrap(outer, () => this.authorizedPipeline(pid, "create", r.auth));
    const template = await this.templateFromVersionBody(b, outer);
    return this.wrap(outer, () => {
      if (!v2 && !b.name) throw new ApiError(3, "Invalid input error: Pipeline version name cannot be empty");
      if (v2 && !b.display_name && !b.name) throw new ApiError(3, "Invalid input error: Pipeline version display name cannot be empty");
      const v = this.newVersion(p, { name: b.name, displayName: v2 ? b.display_name : b.name, description: b.description, template, packageUrl: b.package_url?.pipeline_url, codeSourceUrl: b.code_source_url, tags: b.tags });
      this.addVersion(p, v);
      return v2 ? this.versionToV2(v) : this.versionToV1(v);
    });
  },

  // ------------------------------------------------------------------ get / list / delete
  getVersion(r, vid, pid) {
    const outer = r.v2 ? "Failed to get a pipeline version" : "Failed to get a v1beta1 pipeline version";
    const v = this.wrap(outer, () => {
      const ver = this.versionOr404(vid);
      if (pid && ver.pipelineId !== pid) throw new ApiError(5, `ResourceNotFoundError: PipelineVersion ${vid} not found in pipeline ${pid}`);
      this.authorizedPipeline(ver.pipelineId, "get", r.auth);
      return ver;
    });
    return r.v2 ? this.versionToV2(v) : this.versionToV1(v);
  },

  deleteVersion(r, vid, pid) {
    const outer = r.v2 ? "Failed to delete a pipeline version" : "Failed to delete a v1beta1 pipeline version";
    return this.wrap(outer, () => {
      const v = this.versionOr404(vid);
      if (pid && v.pipelineId !== pid) throw new ApiError(5, `ResourceNotFoundError: PipelineVersion ${vid} not found in pipeline ${pid}`);
      const p = this.authorizedPipeline(v.pipelineId, "delete", r.auth);
      this.versions.remove(v);
      if (p.latestVersionId === v.id) p.latestVersionId = "";
      if (p.defaultVersionId === v.id) p.defaultVersionId = this.latestVersion(p.id)?.id || "";
      return {};
    });
  },

  deletePipeline(r, id) {
    const outer = r.v2 ? "Failed to delete a pipeline" : "Failed to delete a v1beta1 pipeline";
    return this.wrap(outer, () => {
      const p = this.authorizedPipeline(id, "delete", r.auth);
      const cascadeParam = /^(true|1)$/i.test(r.q("cascade") || "");
      const cascade = r.v2 ? cascadeParam && tagAtLeast(this.tag, "2.14") : true; // v1 DeletePipeline removes the versions
      const versions = this.versionsOf(p.id);
      if (versions.length && !cascade) {
        const latest = versions[versions.length - 1];
        throw new ApiError(3, `Invalid input error: Failed to delete pipeline with id ${p.id} as it has existing pipeline versions (e.g. ${latest.id})`);
      }
      for (const v of versions) this.versions.remove(v);
      this.pipelines.remove(p);
      return {};
    });
  },

  listPipelines(r) {
    const { v2, q, auth } = r;
    const outer = v2 ? "Failed to list pipelines" : "Failed to list v1beta1 pipelines";
    let namespace = "";
    if (v2) namespace = q("namespace") || "";
    else {
      const type = q("resource_reference_key.type");
      if (type && type !== "NAMESPACE" && type !== "5") throw new ApiError(3, `${outer}: Invalid input error: ListPipelines only supports resource reference key of type NAMESPACE, got ${type}`);
      namespace = q("resource_reference_key.id") || "";
    }
    if (!this.multiUser) namespace = "";
    const opts = this.wrap("Failed to create list options", () => listOptions(q, v2, this.pipelineRes));
    this.wrap(outer, () => this.wrap("Failed to authorize the request", () => this.checkAccess(namespace, "list", auth, "pipelines")));
    return listPage(this.pipelines, opts, (p) => p.namespace === namespace, (p) => (v2 ? this.pipelineToV2(p) : this.pipelineToV1(p)), "pipelines");
  },

  listVersions(r, pidFromPath) {
    const { v2, q, auth } = r;
    const outer = v2 ? "Failed to list pipeline versions" : "Failed to list v1beta1 pipeline versions";
    let pid = pidFromPath;
    if (!v2) {
      const type = q("resource_key.type");
      pid = q("resource_key.id") || "";
      if (type !== "PIPELINE" && type !== "3") throw new ApiError(3, `${outer}: Invalid input error: ListPipelineVersions must filter by resource_key of type PIPELINE, got ${JSON.stringify(type || "UNKNOWN_RESOURCE_TYPE")}`);
    }
    if (!pid) throw new ApiError(3, `${outer}: Invalid input error: Pipeline id cannot be empty`);
    const opts = this.wrap("Failed to create list options", () => listOptions(q, v2, this.versionRes));
    this.wrap(outer, () => this.authorizedPipeline(pid, "list", auth));
    return listPage(this.versions, opts, (v) => v.pipelineId === pid, (v) => (v2 ? this.versionToV2(v) : this.versionToV1(v)), v2 ? "pipeline_versions" : "versions");
  },

  // ------------------------------------------------------------------ upload (hand-written HTTP handler)
  upload(r, isVersion) {
    const { ctx, q, v2 } = r;
    const what = isVersion ? "a pipeline version" : "a pipeline";
    const statusOf = () => 400; // the upload handler answers authorization failures with 400
    const fail = (status, msg) => new HttpError(status, msg);
    // r.FormFile(uploadfile)
    const boundary = boundaryOf(ctx.headers["content-type"]);
    if (!boundary) throw fail(400, `Failed to create ${what} due to error parsing pipeline spec filename: request Content-Type isn't multipart/form-data`);
    if (ctx.bodyTooLarge) throw fail(400, `Failed to create ${what} due to error reading pipeline spec file: Invalid input error: File size too large. Maximum supported size: ${MAX_UPLOAD}`);
    let parts;
    try {
      parts = parseMultipart(ctx.rawBody || Buffer.from(ctx.body || ""), boundary);
    } catch (e) {
      throw fail(400, `Failed to create ${what} due to error parsing pipeline spec filename: ${e.message}`);
    }
    const file = parts.find((p) => p.name === "uploadfile" && p.filename !== undefined);
    if (!file) throw fail(400, `Failed to create ${what} due to error parsing pipeline spec filename: http: no such file`);
    let text;
    try {
      text = this.packageBytes(file.filename, file.data);
    } catch (e) {
      throw fail(400, `Failed to create ${what} due to error reading pipeline spec file: ${e.message}`);
    }
    const t14 = tagAtLeast(this.tag, "2.14");
    const qName = q("name") || "";
    const qDisplay = t14 ? q("display_name") || "" : "";
    const name = qName || qDisplay || file.filename;
    const displayName = qDisplay || name;
    const description = q("description") || "";
    let tags = null;
    if (tagAtLeast(this.tag, "2.17") && q("tags")) {
      try {
        tags = JSON.parse(q("tags"));
      } catch (e) {
        throw fail(400, `Failed to create ${what} due to error parsing tags: ${e.message}`);
      }
    }
    this.stats.uploads++;
    if (!isVersion) {
      const namespace = this.multiUser ? q("namespace") || "" : "";
      try {
        this.checkAccess(namespace, "create", r.auth, "pipelines");
      } catch (e) {
        if (e instanceof ApiError) throw fail(statusOf(e), `Failed to create a pipeline due to authorization error: ${e.message}`);
        throw e;
      }
      let template;
      try {
        template = templateFromText(text);
      } catch (e) {
        throw fail(e.code === 3 ? 400 : 500, `Failed to create a pipeline and a pipeline version: Failed to create a pipeline and a pipeline version due to template creation error: ${e.message}`);
      }
      let p;
      let v;
      try {
        p = this.newPipeline({ name, displayName, description, namespace, tags });
        v = this.newVersion(p, { name, displayName, description, template, tags });
      } catch (e) {
        if (e instanceof ApiError && e.code === 6) throw fail(409, `Failed to create a pipeline and a pipeline version. The pipeline already exists.: ${e.message}`);
        throw fail(500, `Failed to create a pipeline and a pipeline version: ${e.message}`);
      }
      this.pipelines.add(p);
      this.addVersion(p, v);
      return v2 ? this.pipelineToV2(p) : this.pipelineToV1(p);
    }
    const pid = q("pipelineid") || "";
    if (!pid) throw fail(400, "Failed to create a pipeline version due to error reading pipeline id");
    const p = this.pipelines.get(pid);
    if (!p) throw fail(404, `Failed to create a pipeline version due to error reading pipeline: ResourceNotFoundError: Pipeline ${pid} not found`);
    try {
      this.checkAccess(p.namespace, "create", r.auth, "pipelines");
    } catch (e) {
      if (e instanceof ApiError) throw fail(statusOf(e), `Failed to create a pipeline version due to authorization error: ${e.message}`);
      throw e;
    }
    let template;
    try {
      template = templateFromText(text);
    } catch (e) {
      throw fail(e.code === 3 ? 400 : 500, `Failed to create a pipeline version: Failed to create a pipeline version due to template creation error: ${e.message}`);
    }
    let v;
    try {
      v = this.newVersion(p, { name, displayName, description, template, tags });
    } catch (e) {
      if (e instanceof ApiError && e.code === 6) throw fail(409, `Failed to create a pipeline version. The pipeline version already exists.: ${e.message}`);
      throw fail(500, `Failed to create a pipeline version: ${e.message}`);
    }
    this.addVersion(p, v);
    return v2 ? this.versionToV2(v) : this.versionToV1(v);
  },
};

