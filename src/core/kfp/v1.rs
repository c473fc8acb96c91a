//! v1beta1 ⇄ v2beta1: requests written in v2beta1 terms go to v1-line servers (deployKF ≤ 0.1.4's
//! `2.0.0-alpha.7`, KFP 1.x), and their answers come back in v2beta1 shape, so code written
//! against one server runs on the other.
//!
//! Requests are small and converted as [`serde_json::Value`]s. Answers may be large pages, so
//! they are reshaped in place through the [`JsonNode`] trait: the binding implements it over JS
//! objects (one `JSON.parse`, no second parse), the host tests over `serde_json::Value`.
//!
//! The mapping follows the v1beta1 and v2beta1 swagger (`shared/kfp-api/*/`) and REPORT §2.3,
//! §4 and §5: `id`/`name` become `<resource>_id`/`display_name`, `resource_references` become
//! `namespace`, `experiment_id` and `pipeline_version_reference`, v1 run `status` strings become
//! v2 `state`s, `STORAGESTATE_*` loses its prefix, and a job's `enabled` becomes `mode`/`status`.

use serde_json::{json, Map, Value};

use super::endpoint::Resource;
use crate::core::http::json_text;

/// A mutable JSON value, as the normaliser needs it. Getters return handles (JS) or copies
/// (serde_json); every change is written back with [`JsonNode::set`].
pub trait JsonNode: Sized {
    fn new_object() -> Self;
    fn from_str(s: &str) -> Self;
    fn is_object(&self) -> bool;
    fn as_string(&self) -> Option<String>;
    fn as_bool(&self) -> Option<bool>;
    /// The field, or `None` when absent or null.
    fn get(&self, key: &str) -> Option<Self>;
    fn set(&mut self, key: &str, value: Self);
    fn remove(&mut self, key: &str) -> Option<Self>;
    /// The elements of an array (empty for anything else), at most `limit`.
    fn elements(&self, limit: usize) -> Vec<Self>;
    fn array(items: Vec<Self>) -> Self;
}

impl JsonNode for Value {
    fn new_object() -> Self {
        Value::Object(Map::new())
    }
    fn from_str(s: &str) -> Self {
        Value::String(s.to_owned())
    }
    fn is_object(&self) -> bool {
        self.is_object()
    }
    fn as_string(&self) -> Option<String> {
        self.as_str().map(str::to_owned)
    }
    fn as_bool(&self) -> Option<bool> {
        Value::as_bool(self)
    }
    fn get(&self, key: &str) -> Option<Self> {
        self.as_object()?.get(key).filter(|v| !v.is_null()).cloned()
    }
    fn set(&mut self, key: &str, value: Self) {
        if let Value::Object(map) = self {
            map.insert(key.to_owned(), value);
        }
    }
    fn remove(&mut self, key: &str) -> Option<Self> {
        self.as_object_mut()?.remove(key)
    }
    fn elements(&self, limit: usize) -> Vec<Self> {
        self.as_array()
            .map(|a| a.iter().take(limit).cloned().collect())
            .unwrap_or_default()
    }
    fn array(items: Vec<Self>) -> Self {
        Value::Array(items)
    }
}

/// The most list items or references reshaped in one answer (KFP pages hold at most 200).
const MAX_ITEMS: usize = 10_000;

fn rename<N: JsonNode>(obj: &mut N, from: &str, to: &str) {
    if let Some(value) = obj.remove(from) {
        if obj.get(to).is_none() {
            obj.set(to, value);
        }
    }
}

/// `{key: {type, id}, relationship}` references, as (type, id, relationship).
fn references<N: JsonNode>(obj: &mut N) -> Vec<(String, String, String)> {
    let Some(list) = obj.remove("resource_references") else {
        return Vec::new();
    };
    list.elements(64)
        .into_iter()
        .filter_map(|r| {
            let key = r.get("key")?;
            Some((
                key.get("type")?.as_string()?,
                key.get("id")?.as_string()?,
                r.get("relationship")
                    .and_then(|x| x.as_string())
                    .unwrap_or_default(),
            ))
        })
        .collect()
}

/// v1 run status (Argo phases, REPORT §5) → v2 `RuntimeState`. v1 reports CANCELED as
/// `Failed`, which cannot be told apart.
pub fn run_state_from_v1(status: &str) -> Option<&'static str> {
    Some(match status.to_ascii_lowercase().as_str() {
        "pending" => "PENDING",
        "running" => "RUNNING",
        "succeeded" | "completed" => "SUCCEEDED",
        "skipped" => "SKIPPED",
        "failed" | "error" => "FAILED",
        "terminating" | "canceling" => "CANCELING",
        "canceled" | "cancelled" | "terminated" => "CANCELED",
        "paused" => "PAUSED",
        _ => return None,
    })
}

/// v2 `RuntimeState` → the v1 status string, for filters.
fn run_status_for_v1(state: &str) -> Option<&'static str> {
    Some(match state {
        "PENDING" | "PAUSED" => "Pending",
        "RUNNING" => "Running",
        "SUCCEEDED" => "Succeeded",
        "SKIPPED" => "Skipped",
        "FAILED" | "CANCELED" => "Failed",
        "CANCELING" => "Terminating",
        _ => return None,
    })
}

/// Reshapes one v1beta1 object of `resource` into its v2beta1 form, in place.
pub fn normalize<N: JsonNode>(resource: Resource, obj: &mut N) {
    if !obj.is_object() {
        return;
    }
    if resource == Resource::Run && obj.get("id").is_none() {
        // GetRun and CreateRun answer an apiRunDetail {run, pipeline_runtime}.
        if let Some(mut run) = obj.remove("run").filter(JsonNode::is_object) {
            if let Some(runtime) = obj.remove("pipeline_runtime") {
                run.set("pipeline_runtime", runtime);
            }
            *obj = run;
        }
    }
    rename(obj, "id", resource.id_field());
    rename(obj, "name", "display_name");
    if let Some(state) = obj.get("storage_state").and_then(|s| s.as_string()) {
        if let Some(plain) = state.strip_prefix("STORAGESTATE_") {
            obj.set("storage_state", N::from_str(plain));
        }
    }
    let mut version_ref = obj
        .remove("pipeline_version_reference")
        .unwrap_or_else(N::new_object);
    let mut has_version_ref = version_ref.get("pipeline_id").is_some()
        || version_ref.get("pipeline_version_id").is_some();
    for (kind, id, _) in references(obj) {
        let target = match (kind.as_str(), resource) {
            ("NAMESPACE", _) => "namespace",
            ("EXPERIMENT", Resource::Run | Resource::RecurringRun) => "experiment_id",
            ("PIPELINE", Resource::PipelineVersion) => "pipeline_id",
            ("JOB", Resource::Run) => "recurring_run_id",
            ("PIPELINE_VERSION", Resource::Run | Resource::RecurringRun) => {
                version_ref.set("pipeline_version_id", N::from_str(&id));
                has_version_ref = true;
                continue;
            }
            _ => continue,
        };
        if obj.get(target).is_none() {
            obj.set(target, N::from_str(&id));
        }
    }
    if matches!(resource, Resource::Run | Resource::RecurringRun) {
        if let Some(spec) = obj.remove("pipeline_spec") {
            if let Some(pipeline_id) = spec.get("pipeline_id") {
                version_ref.set("pipeline_id", pipeline_id);
                has_version_ref = true;
            }
            let mut config = spec
                .get("runtime_config")
                .filter(JsonNode::is_object)
                .unwrap_or_else(N::new_object);
            let parameters = spec
                .get("parameters")
                .map(|p| p.elements(MAX_ITEMS))
                .unwrap_or_default();
            if !parameters.is_empty() && config.get("parameters").is_none() {
                let mut map = N::new_object();
                for p in parameters {
                    if let (Some(name), Some(value)) =
                        (p.get("name").and_then(|n| n.as_string()), p.get("value"))
                    {
                        map.set(&name, value);
                    }
                }
                config.set("parameters", map);
            }
            if (config.get("parameters").is_some() || config.get("pipeline_root").is_some())
                && obj.get("runtime_config").is_none()
            {
                obj.set("runtime_config", config);
            }
        }
        if has_version_ref {
            obj.set("pipeline_version_reference", version_ref);
        }
    }
    match resource {
        Resource::Run => {
            if let Some(status) = obj.remove("status") {
                if let Some(state) = status.as_string().as_deref().and_then(run_state_from_v1) {
                    obj.set("state", N::from_str(state));
                }
            }
            if let Some(message) = obj.get("error").and_then(|e| e.as_string()) {
                let mut error = N::new_object();
                error.set("message", N::from_str(&message));
                obj.set("error", error);
            }
        }
        Resource::RecurringRun => {
            let enabled = obj.remove("enabled").and_then(|e| e.as_bool());
            let mode = obj.remove("mode").and_then(|m| m.as_string());
            let on = match (enabled, mode.as_deref()) {
                (Some(e), _) => Some(e),
                (None, Some("ENABLED")) => Some(true),
                (None, Some("DISABLED")) => Some(false),
                _ => None,
            };
            if let Some(on) = on {
                obj.set("mode", N::from_str(if on { "ENABLE" } else { "DISABLE" }));
                obj.set(
                    "status",
                    N::from_str(if on { "ENABLED" } else { "DISABLED" }),
                );
            } else {
                obj.remove("status");
            }
        }
        _ => {}
    }
}

/// Reshapes a v1 list page: the items under the v1 key move to the v2 key, each normalised.
pub fn normalize_page<N: JsonNode>(resource: Resource, page: &mut N, v1_key: &str, v2_key: &str) {
    let items = page
        .remove(v1_key)
        .map(|l| l.elements(MAX_ITEMS))
        .unwrap_or_default();
    let items = items
        .into_iter()
        .map(|mut item| {
            normalize(resource, &mut item);
            item
        })
        .collect();
    page.set(v2_key, N::array(items));
}

fn reference(kind: &str, id: &str, relationship: &str) -> Value {
    json!({"key": {"type": kind, "id": id}, "relationship": relationship})
}

fn take_str(body: &mut Map<String, Value>, key: &str) -> Option<String> {
    match body.remove(key) {
        Some(Value::String(s)) if !s.is_empty() => Some(s),
        _ => None,
    }
}

/// A v2beta1 request body for `resource` in its v1beta1 form.
pub fn request_body(resource: Resource, body: &Value) -> Value {
    let Value::Object(src) = body else {
        return body.clone();
    };
    let mut b = src.clone();
    let mut out = Map::new();
    let mut refs = Vec::new();
    if let Some(name) = b.remove("display_name") {
        out.insert("name".into(), name);
    }
    if let Some(ns) = take_str(&mut b, "namespace") {
        refs.push(reference("NAMESPACE", &ns, "OWNER"));
    }
    if matches!(resource, Resource::Run | Resource::RecurringRun) {
        if let Some(exp) = take_str(&mut b, "experiment_id") {
            refs.push(reference("EXPERIMENT", &exp, "OWNER"));
        }
        let mut spec = Map::new();
        if let Some(Value::Object(mut vref)) = b.remove("pipeline_version_reference") {
            if let Some(vid) = take_str(&mut vref, "pipeline_version_id") {
                refs.push(reference("PIPELINE_VERSION", &vid, "CREATOR"));
            } else if let Some(pid) = take_str(&mut vref, "pipeline_id") {
                spec.insert("pipeline_id".into(), Value::String(pid));
            }
        }
        if let Some(embedded) = b.remove("pipeline_spec") {
            // v1 takes a v2 IR spec as the `pipeline_manifest` string (no platform spec).
            let ir = match &embedded {
                Value::Object(m) if m.contains_key("pipeline_spec") => {
                    m.get("pipeline_spec").cloned().unwrap_or(Value::Null)
                }
                other => other.clone(),
            };
            spec.insert("pipeline_manifest".into(), Value::String(json_text(&ir)));
        }
        if let Some(config) = b.remove("runtime_config") {
            spec.insert("runtime_config".into(), config);
        }
        if !spec.is_empty() {
            out.insert("pipeline_spec".into(), Value::Object(spec));
        }
        if resource == Resource::RecurringRun {
            if let Some(mode) = b.remove("mode") {
                out.insert(
                    "enabled".into(),
                    Value::Bool(mode.as_str() != Some("DISABLE")),
                );
            }
        }
    }
    if !refs.is_empty() {
        out.insert("resource_references".into(), Value::Array(refs));
    }
    for (key, value) in b {
        out.entry(key).or_insert(value);
    }
    Value::Object(out)
}

/// A v2 filter or sort key in v1 terms: `display_name` → `name`, the resource's id → `id`,
/// a run's `state` → `status`.
pub fn key(resource: Resource, key: &str) -> String {
    match key {
        "display_name" => "name".into(),
        k if k == resource.id_field() => "id".into(),
        "state" if resource == Resource::Run => "status".into(),
        k => k.into(),
    }
}

/// A v2 predicate value in v1 terms (`AVAILABLE` → `STORAGESTATE_AVAILABLE`, `SUCCEEDED` →
/// `Succeeded`).
pub fn filter_value(resource: Resource, v2_key: &str, value: &str) -> String {
    match v2_key {
        "storage_state" if !value.starts_with("STORAGESTATE_") => format!("STORAGESTATE_{value}"),
        "state" if resource == Resource::Run => {
            run_status_for_v1(value).map_or_else(|| value.to_owned(), str::to_owned)
        }
        _ => value.to_owned(),
    }
}

/// Renames the keys and values of a (normalised, v1-style `op`) filter object for v1.
pub fn filter(resource: Resource, filter: &mut Value) {
    let Some(Value::Array(predicates)) = filter.get_mut("predicates") else {
        return;
    };
    for p in predicates.iter_mut().filter_map(Value::as_object_mut) {
        let Some(v2_key) = p.get("key").and_then(Value::as_str).map(str::to_owned) else {
            continue;
        };
        p.insert("key".into(), Value::String(key(resource, &v2_key)));
        if let Some(Value::String(s)) = p.get_mut("string_value") {
            *s = filter_value(resource, &v2_key, s);
        }
        if let Some(Value::Array(values)) =
            p.get_mut("string_values").and_then(|v| v.get_mut("values"))
        {
            for v in values.iter_mut() {
                if let Value::String(s) = v {
                    *s = filter_value(resource, &v2_key, s);
                }
            }
        }
    }
}

/// `sort_by` ("field [asc|desc]") in v1 terms.
pub fn sort_by(resource: Resource, sort_by: &str) -> String {
    let mut parts = sort_by.trim().splitn(2, char::is_whitespace);
    let field = parts.next().unwrap_or_default();
    match parts.next() {
        Some(order) => format!("{} {}", key(resource, field), order.trim()),
        None => key(resource, field),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn experiment() {
        let mut e = json!({"id": "e1", "name": "nightly", "created_at": "2024-01-01T00:00:00Z", "storage_state": "STORAGESTATE_AVAILABLE",
            "resource_references": [{"key": {"type": "NAMESPACE", "id": "team-1"}, "relationship": "OWNER"}], "extra": 1});
        normalize(Resource::Experiment, &mut e);
        assert_eq!(
            e,
            json!({"experiment_id": "e1", "display_name": "nightly", "created_at": "2024-01-01T00:00:00Z", "storage_state": "AVAILABLE", "namespace": "team-1", "extra": 1})
        );
    }

    #[test]
    fn run_detail_with_references_and_parameters() {
        let mut r = json!({"run": {"id": "r1", "name": "train", "status": "Succeeded", "error": "boom",
            "pipeline_spec": {"pipeline_id": "p1", "parameters": [{"name": "epochs", "value": "3"}]},
            "resource_references": [
                {"key": {"type": "EXPERIMENT", "id": "e1"}, "relationship": "OWNER"},
                {"key": {"type": "NAMESPACE", "id": "team-1"}, "relationship": "OWNER"},
                {"key": {"type": "PIPELINE_VERSION", "id": "v1"}, "relationship": "CREATOR"},
                {"key": {"type": "JOB", "id": "j1"}, "relationship": "CREATOR"}]},
            "pipeline_runtime": {"workflow_manifest": "{}"}});
        normalize(Resource::Run, &mut r);
        assert_eq!(
            r,
            json!({"run_id": "r1", "display_name": "train", "state": "SUCCEEDED", "error": {"message": "boom"},
            "experiment_id": "e1", "namespace": "team-1", "recurring_run_id": "j1", "pipeline_runtime": {"workflow_manifest": "{}"},
            "pipeline_version_reference": {"pipeline_id": "p1", "pipeline_version_id": "v1"},
            "runtime_config": {"parameters": {"epochs": "3"}}})
        );
    }

    #[test]
    fn job_and_page() {
        let mut page = json!({"jobs": [{"id": "j1", "name": "hourly", "enabled": false, "trigger": {"periodic_schedule": {"interval_second": "3600"}}}], "total_size": 1});
        normalize_page(Resource::RecurringRun, &mut page, "jobs", "recurringRuns");
        assert_eq!(
            page,
            json!({"total_size": 1, "recurringRuns": [{"recurring_run_id": "j1", "display_name": "hourly", "mode": "DISABLE", "status": "DISABLED", "trigger": {"periodic_schedule": {"interval_second": "3600"}}}]})
        );
        let mut empty = json!({});
        normalize_page(
            Resource::PipelineVersion,
            &mut empty,
            "versions",
            "pipeline_versions",
        );
        assert_eq!(empty, json!({"pipeline_versions": []}));
        let mut version = json!({"id": "v1", "name": "v", "resource_references": [{"key": {"type": "PIPELINE", "id": "p1"}, "relationship": "OWNER"}]});
        normalize(Resource::PipelineVersion, &mut version);
        assert_eq!(
            version,
            json!({"pipeline_version_id": "v1", "display_name": "v", "pipeline_id": "p1"})
        );
    }

    #[test]
    fn states() {
        assert_eq!(run_state_from_v1("Terminating"), Some("CANCELING"));
        assert_eq!(run_state_from_v1("Error"), Some("FAILED"));
        assert_eq!(run_state_from_v1(""), None);
        let mut odd = json!([1, 2]);
        normalize(Resource::Run, &mut odd);
        assert_eq!(odd, json!([1, 2]));
    }

    #[test]
    fn run_request_body() {
        let body = json!({"display_name": "r", "experiment_id": "e1", "pipeline_spec": {"pipeline_spec": {"pipelineInfo": {"name": "p"}}, "platform_spec": {}},
            "runtime_config": {"parameters": {"a": 1}}, "service_account": "sa"});
        let v1 = request_body(Resource::Run, &body);
        assert_eq!(
            v1,
            json!({"name": "r", "service_account": "sa",
            "pipeline_spec": {"pipeline_manifest": "{\"pipelineInfo\":{\"name\":\"p\"}}", "runtime_config": {"parameters": {"a": 1}}},
            "resource_references": [{"key": {"type": "EXPERIMENT", "id": "e1"}, "relationship": "OWNER"}]})
        );
        let by_version = request_body(
            Resource::RecurringRun,
            &json!({"display_name": "j", "mode": "DISABLE", "pipeline_version_reference": {"pipeline_id": "p", "pipeline_version_id": "v"}}),
        );
        assert_eq!(
            by_version,
            json!({"name": "j", "enabled": false, "resource_references": [{"key": {"type": "PIPELINE_VERSION", "id": "v"}, "relationship": "CREATOR"}]})
        );
        let exp = request_body(
            Resource::Experiment,
            &json!({"display_name": "x", "namespace": "ns", "description": "d"}),
        );
        assert_eq!(
            exp,
            json!({"name": "x", "description": "d", "resource_references": [{"key": {"type": "NAMESPACE", "id": "ns"}, "relationship": "OWNER"}]})
        );
    }

    #[test]
    fn filters_and_sorting() {
        let mut f = json!({"predicates": [{"key": "display_name", "op": "EQUALS", "string_value": "x"}, {"key": "state", "op": "IN", "string_values": {"values": ["SUCCEEDED", "CANCELED"]}}, {"key": "run_id", "op": "EQUALS", "string_value": "r"}]});
        filter(Resource::Run, &mut f);
        assert_eq!(
            f,
            json!({"predicates": [{"key": "name", "op": "EQUALS", "string_value": "x"}, {"key": "status", "op": "IN", "string_values": {"values": ["Succeeded", "Failed"]}}, {"key": "id", "op": "EQUALS", "string_value": "r"}]})
        );
        assert_eq!(
            sort_by(Resource::Experiment, "display_name desc"),
            "name desc"
        );
        assert_eq!(sort_by(Resource::Experiment, "created_at"), "created_at");
    }
}
