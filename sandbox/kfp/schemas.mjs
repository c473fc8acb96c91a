// Request message schemas (the proto messages the gateways decode request bodies into), from the
// swagger definitions in shared/kfp-api/{v2beta1,v1beta1,other-versions}. Fields that only exist
// from some backend tag on are added per tag, so e.g. `name` on a Pipeline is an unknown field
// (400) below 2.14 and `last_run_created_at` below 2.5.
import { enumType, tagAtLeast } from "./util.mjs";

export const RUNTIME_STATES = ["RUNTIME_STATE_UNSPECIFIED", "PENDING", "RUNNING", "SUCCEEDED", "SKIPPED", "FAILED", "CANCELING", "CANCELED", "PAUSED"];
export const STORAGE_STATES = ["STORAGE_STATE_UNSPECIFIED", "AVAILABLE", "ARCHIVED"];

export function buildSchemas(tag) {
  const t14 = tagAtLeast(tag, "2.14");
  const t17 = tagAtLeast(tag, "2.17");
  const t25 = tagAtLeast(tag, "2.5");
  const msg = (typeName, fields) => ({ typeName, fields });
  const rpcStatus = msg(t14 ? "google.rpc.Status" : "google.rpc.Status", { code: "int32", message: "string", details: { repeated: "any" } });

  // ---------------------------------------------------------------- v2beta1
  const experiment = msg("v2beta1.Experiment", {
    experiment_id: "string",
    display_name: "string",
    description: "string",
    created_at: "timestamp",
    namespace: "string",
    storage_state: enumType("v2beta1.Experiment_StorageState", STORAGE_STATES),
    ...(t25 ? { last_run_created_at: "timestamp" } : {}),
  });
  const url = msg("v2beta1.Url", { pipeline_url: "string" });
  const pipeline = msg("v2beta1.Pipeline", {
    pipeline_id: "string",
    display_name: "string",
    ...(t14 ? { name: "string" } : {}),
    description: "string",
    created_at: "timestamp",
    namespace: "string",
    error: rpcStatus,
    ...(t17 ? { tags: { map: "string" } } : {}),
  });
  const pipelineVersion = msg("v2beta1.PipelineVersion", {
    pipeline_id: "string",
    pipeline_version_id: "string",
    display_name: "string",
    ...(t14 ? { name: "string" } : {}),
    description: "string",
    created_at: "timestamp",
    package_url: url,
    code_source_url: "string",
    pipeline_spec: "struct",
    error: rpcStatus,
    ...(t17 ? { tags: { map: "string" } } : {}),
  });
  const createPipelineAndVersion = msg("v2beta1.CreatePipelineAndVersionRequest", { pipeline, pipeline_version: pipelineVersion });
  const runtimeConfig = msg("v2beta1.RuntimeConfig", { parameters: { map: "value" }, pipeline_root: "string" });
  const versionRef = msg("v2beta1.PipelineVersionReference", { pipeline_id: "string", pipeline_version_id: "string" });
  const runtimeStatus = msg("v2beta1.RuntimeStatus", { update_time: "timestamp", state: enumType("v2beta1.RuntimeState", RUNTIME_STATES), error: rpcStatus });
  const run = msg("v2beta1.Run", {
    experiment_id: "string",
    run_id: "string",
    display_name: "string",
    storage_state: enumType("v2beta1.Run_StorageState", STORAGE_STATES),
    description: "string",
    pipeline_version_id: "string",
    pipeline_spec: "struct",
    pipeline_version_reference: versionRef,
    runtime_config: runtimeConfig,
    service_account: "string",
    created_at: "timestamp",
    scheduled_at: "timestamp",
    finished_at: "timestamp",
    state: enumType("v2beta1.RuntimeState", RUNTIME_STATES),
    error: rpcStatus,
    run_details: "any",
    recurring_run_id: "string",
    state_history: { repeated: runtimeStatus },
    ...(t17 ? { plugins_input: "struct", plugins_output: "any" } : {}),
  });
  const cronSchedule = (typeName) => msg(typeName, { start_time: "timestamp", end_time: "timestamp", cron: "string" });
  const periodicSchedule = (typeName) => msg(typeName, { start_time: "timestamp", end_time: "timestamp", interval_second: "int64" });
  const trigger = msg("v2beta1.Trigger", { cron_schedule: cronSchedule("v2beta1.CronSchedule"), periodic_schedule: periodicSchedule("v2beta1.PeriodicSchedule") });
  const recurringRun = msg("v2beta1.RecurringRun", {
    recurring_run_id: "string",
    display_name: "string",
    description: "string",
    pipeline_version_id: "string",
    pipeline_spec: "struct",
    pipeline_version_reference: versionRef,
    runtime_config: runtimeConfig,
    service_account: "string",
    max_concurrency: "int64",
    trigger,
    mode: enumType("v2beta1.RecurringRun_Mode", ["MODE_UNSPECIFIED", "ENABLE", "DISABLE"]),
    created_at: "timestamp",
    updated_at: "timestamp",
    status: enumType("v2beta1.RecurringRun_Status", ["STATUS_UNSPECIFIED", "ENABLED", "DISABLED"]),
    error: rpcStatus,
    no_catchup: "bool",
    namespace: "string",
    experiment_id: "string",
    ...(t17 ? { plugins_input: "struct" } : {}),
  });

  // ---------------------------------------------------------------- v1beta1
  const resourceKey = msg("api.ResourceKey", { type: enumType("api.ResourceType", ["UNKNOWN_RESOURCE_TYPE", "EXPERIMENT", "JOB", "PIPELINE", "PIPELINE_VERSION", "NAMESPACE"]), id: "string" });
  const resourceReference = msg("api.ResourceReference", { key: resourceKey, name: "string", relationship: enumType("api.Relationship", ["UNKNOWN_RELATIONSHIP", "OWNER", "CREATOR"]) });
  const refs = { repeated: resourceReference };
  const parameter = msg("api.Parameter", { name: "string", value: "string" });
  const experimentV1 = msg("api.Experiment", {
    id: "string",
    name: "string",
    description: "string",
    created_at: "timestamp",
    resource_references: refs,
    storage_state: enumType("api.Experiment_StorageState", ["STORAGESTATE_UNSPECIFIED", "STORAGESTATE_AVAILABLE", "STORAGESTATE_ARCHIVED"]),
  });
  const pipelineSpecV1 = msg("api.PipelineSpec", {
    pipeline_id: "string",
    pipeline_name: "string",
    workflow_manifest: "string",
    pipeline_manifest: "string",
    parameters: { repeated: parameter },
    runtime_config: msg("api.PipelineSpec_RuntimeConfig", { parameters: { map: "value" }, pipeline_root: "string" }),
  });
  const runV1 = msg("api.Run", {
    id: "string",
    name: "string",
    storage_state: enumType("api.Run_StorageState", ["STORAGESTATE_AVAILABLE", "STORAGESTATE_ARCHIVED"]),
    description: "string",
    pipeline_spec: pipelineSpecV1,
    resource_references: refs,
    service_account: "string",
    created_at: "timestamp",
    scheduled_at: "timestamp",
    finished_at: "timestamp",
    status: "string",
    error: "string",
    metrics: { repeated: "any" },
  });
  const jobV1 = msg("api.Job", {
    id: "string",
    name: "string",
    description: "string",
    pipeline_spec: pipelineSpecV1,
    resource_references: refs,
    service_account: "string",
    max_concurrency: "int64",
    trigger: msg("api.Trigger", { cron_schedule: cronSchedule("api.CronSchedule"), periodic_schedule: periodicSchedule("api.PeriodicSchedule") }),
    mode: enumType("api.Job_Mode", ["UNKNOWN_MODE", "ENABLED", "DISABLED"]),
    created_at: "timestamp",
    updated_at: "timestamp",
    status: "string",
    error: "string",
    enabled: "bool",
    no_catchup: "bool",
  });
  const urlV1 = msg("api.Url", { pipeline_url: "string" });
  const pipelineVersionV1 = msg("api.PipelineVersion", {
    id: "string",
    name: "string",
    created_at: "timestamp",
    parameters: { repeated: parameter },
    code_source_url: "string",
    package_url: urlV1,
    resource_references: refs,
    description: "string",
  });
  const pipelineV1 = msg("api.Pipeline", {
    id: "string",
    created_at: "timestamp",
    name: "string",
    description: "string",
    parameters: { repeated: parameter },
    url: urlV1,
    error: "string",
    default_version: pipelineVersionV1,
    resource_references: refs,
  });

  return { experiment, pipeline, pipelineVersion, createPipelineAndVersion, run, recurringRun, experimentV1, runV1, jobV1, pipelineV1, pipelineVersionV1 };
}
