// Pipeline templates as the KFP server reads them (backend/src/apiserver/template):
//   * an Argo Workflow (v1 pipelines) or a PipelineSpec (v2 IR), as YAML or JSON;
//   * a v2 package may hold a second YAML document, the PlatformSpec (`platforms.kubernetes…`);
//     a version / run then answers `pipeline_spec` as {pipeline_spec, platform_spec}
//     (YamlStringToPipelineSpecStruct), otherwise as the PipelineSpec itself.
// The npm package `yaml` (devDependency) parses YAML; JSON works without it.
import { ApiError } from "./util.mjs";

let YAML = null;
try {
  YAML = await import("yaml");
} catch {
  YAML = null;
}

const invalidSpec = (why) => new ApiError(3, `Invalid input error: ${why}`);

/** All non-empty documents of a YAML (or JSON) text. */
export function loadDocuments(text) {
  const t = String(text);
  if (/^\s*[{[]/.test(t)) {
    try {
      return [JSON.parse(t)];
    } catch {
      // YAML flow style, fall through
    }
  }
  if (!YAML) throw new ApiError(13, "Internal error: the sandbox needs the npm package `yaml` to read YAML (npm install)");
  const docs = YAML.parseAllDocuments(t, { uniqueKeys: false });
  const out = [];
  for (const d of Array.isArray(docs) ? docs : [docs]) {
    if (d.errors && d.errors.length) throw invalidSpec(`Failed to parse the yaml: ${d.errors[0].message.split("\n")[0]}`);
    const v = d.toJS({ maxAliasCount: 1000 });
    if (v !== null && v !== undefined) out.push(v);
  }
  return out;
}

const isObj = (v) => v && typeof v === "object" && !Array.isArray(v);
const isPlatformSpec = (d) => isObj(d) && isObj(d.platforms) && d.platforms.kubernetes !== undefined;
const isArgo = (d) => isObj(d) && typeof d.apiVersion === "string" && d.apiVersion.startsWith("argoproj.io/") && d.kind === "Workflow";
const isPipelineSpec = (d) => isObj(d) && (isObj(d.pipelineInfo) || isObj(d.root)) && !isArgo(d);

/**
 * A template from package text (upload, package_url) or from an embedded object (CreateRun).
 * @returns {{kind: "v2"|"argo", pipelineSpec: object, platformSpec: object|null, text: string, name: string}}
 */
export function templateFromText(text) {
  const docs = loadDocuments(text);
  if (!docs.length) throw invalidSpec("unknown template format: pipeline spec is invalid");
  if (isArgo(docs[0])) return { kind: "argo", pipelineSpec: docs[0], platformSpec: null, text: String(text), name: docs[0].metadata?.name || docs[0].metadata?.generateName || "" };
  let pipelineSpec = null;
  let platformSpec = null;
  for (const d of docs) {
    if (isPlatformSpec(d)) platformSpec = platformSpec ? mergeDeep(platformSpec, d) : d;
    else if (!pipelineSpec) pipelineSpec = d;
  }
  if (!pipelineSpec) throw invalidSpec("No pipeline spec provided in yaml doc");
  if (!isPipelineSpec(pipelineSpec)) throw invalidSpec("unknown template format: pipeline spec is invalid");
  return checkV2({ kind: "v2", pipelineSpec, platformSpec, text: String(text) });
}

/** A template from a `pipeline_spec` Struct: a PipelineSpec, or {pipeline_spec, platform_spec}. */
export function templateFromStruct(obj) {
  if (!isObj(obj)) throw invalidSpec("unknown template format: pipeline spec is invalid");
  if (isObj(obj.pipeline_spec)) {
    const platformSpec = isObj(obj.platform_spec) && Object.keys(obj.platform_spec).length ? obj.platform_spec : null;
    if (!isPipelineSpec(obj.pipeline_spec)) throw invalidSpec("unknown template format: pipeline spec is invalid");
    return checkV2({ kind: "v2", pipelineSpec: obj.pipeline_spec, platformSpec, text: JSON.stringify(obj) });
  }
  if (isArgo(obj)) return { kind: "argo", pipelineSpec: obj, platformSpec: null, text: JSON.stringify(obj), name: obj.metadata?.name || "" };
  if (!isPipelineSpec(obj)) throw invalidSpec("unknown template format: pipeline spec is invalid");
  return checkV2({ kind: "v2", pipelineSpec: obj, platformSpec: null, text: JSON.stringify(obj) });
}

function checkV2(t) {
  const name = t.pipelineSpec.pipelineInfo?.name;
  if (typeof name !== "string" || !name) throw invalidSpec("invalid v2 pipeline spec: pipelineInfo.name is empty");
  if (!/^[a-z0-9][a-z0-9-]{0,127}$/.test(name)) throw invalidSpec(`pipeline's name must contain only lowercase alphanumeric characters or '-' and must start with alphanumeric characters: ${JSON.stringify(name)}`);
  t.name = name;
  return t;
}

function mergeDeep(a, b) {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = isObj(v) && isObj(out[k]) ? mergeDeep(out[k], v) : v;
  return out;
}

/** What GET …/versions/{id} (and a run made from a struct) answers as `pipeline_spec`. */
export function specStruct(t) {
  if (!t) return undefined;
  return t.platformSpec ? { pipeline_spec: t.pipelineSpec, platform_spec: t.platformSpec } : t.pipelineSpec;
}

/** Tasks of the root DAG (v2) or of the entrypoint template (Argo), dependencies first. */
export function templateTasks(t) {
  if (!t) return [];
  let list = [];
  if (t.kind === "v2") {
    const tasks = t.pipelineSpec.root?.dag?.tasks;
    if (isObj(tasks)) list = Object.entries(tasks).map(([key, v]) => ({ key, name: v?.taskInfo?.name || key, deps: Array.isArray(v?.dependentTasks) ? v.dependentTasks : [] }));
  } else {
    const spec = t.pipelineSpec.spec || {};
    const entry = (spec.templates || []).find((x) => x && x.name === spec.entrypoint) || (spec.templates || [])[0];
    if (entry?.dag?.tasks) list = entry.dag.tasks.map((x) => ({ key: x.name, name: x.name, deps: Array.isArray(x.dependencies) ? x.dependencies : [] }));
    else if (Array.isArray(entry?.steps)) list = entry.steps.flat().map((x, i, all) => ({ key: x.name, name: x.name, deps: i ? [all[i - 1].name] : [] }));
    else if (entry) list = [{ key: entry.name, name: entry.name, deps: [] }];
  }
  // topological order, stable
  const done = new Set();
  const out = [];
  const byKey = new Map(list.map((x) => [x.key, x]));
  const visit = (x, stack = new Set()) => {
    if (done.has(x.key) || stack.has(x.key)) return;
    stack.add(x.key);
    for (const d of x.deps) if (byKey.has(d)) visit(byKey.get(d), stack);
    done.add(x.key);
    out.push(x);
  };
  for (const x of list) visit(x);
  return out;
}

/** v1 apiParameter list of a template: Argo spec.arguments.parameters; v2 has none (V2Spec.ParametersJSON is "[]"). */
export function templateParameters(t) {
  if (!t || t.kind !== "argo") return [];
  const ps = t.pipelineSpec.spec?.arguments?.parameters;
  return Array.isArray(ps) ? ps.filter((p) => p && p.name).map((p) => ({ name: String(p.name), value: p.value === undefined ? "" : String(p.value) })) : [];
}
