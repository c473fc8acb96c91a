//! Request bodies in v2beta1 shape (`v2beta1Experiment`, `v2beta1Run`, `v2beta1RecurringRun` of
//! `shared/kfp-api/v2beta1/*.swagger.json`), built from the JS arguments, and the run states the
//! waiting methods need (REPORT §5). [`super::v1`] converts the bodies for v1beta1 servers.

use serde_json::{json, Map, Value};

use crate::core::error::Error;

fn invalid(name: &str, reason: impl Into<String>) -> Error {
    Error::InvalidArgValue {
        name: name.into(),
        reason: reason.into(),
    }
}

fn non_empty(value: Option<&str>) -> Option<&str> {
    value.filter(|v| !v.is_empty())
}

fn required_name(name: &str, value: &str) -> Result<(), Error> {
    if value.trim().is_empty() {
        return Err(invalid(name, "it is empty"));
    }
    Ok(())
}

/// `{display_name, description?, namespace?}`; an empty namespace is the same as none.
///
/// # Errors
/// [`Error::InvalidArgValue`] (`name`) for an empty name.
pub fn experiment(
    name: &str,
    description: Option<&str>,
    namespace: Option<&str>,
) -> Result<Value, Error> {
    required_name("name", name)?;
    let mut body = Map::new();
    body.insert("display_name".into(), json!(name));
    if let Some(description) = description {
        body.insert("description".into(), json!(description));
    }
    if let Some(ns) = non_empty(namespace) {
        body.insert("namespace".into(), json!(ns));
    }
    Ok(Value::Object(body))
}

/// Where a run or recurring run takes its pipeline from.
#[derive(Debug, Clone, PartialEq)]
pub enum PipelineSource {
    /// An uploaded pipeline (the latest version when `version_id` is `None`, KFP ≥ 2.5).
    Version {
        pipeline_id: String,
        version_id: Option<String>,
    },
    /// The spec itself ([`super::package::PipelinePackage::embedded`]).
    Embedded(Value),
}

/// The parts `runPipeline`, `createRunFromPipelinePackage` and `createRecurringRun` share.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RunSpec {
    pub display_name: String,
    pub description: Option<String>,
    pub experiment_id: Option<String>,
    pub pipeline: Option<PipelineSource>,
    /// `runtime_config.parameters`: name → JSON value.
    pub parameters: Option<Map<String, Value>>,
    pub pipeline_root: Option<String>,
    pub service_account: Option<String>,
}

impl RunSpec {
    fn body(&self, name_arg: &str) -> Result<Map<String, Value>, Error> {
        required_name(name_arg, &self.display_name)?;
        let mut body = Map::new();
        body.insert("display_name".into(), json!(self.display_name));
        if let Some(d) = &self.description {
            body.insert("description".into(), json!(d));
        }
        if let Some(id) = non_empty(self.experiment_id.as_deref()) {
            body.insert("experiment_id".into(), json!(id));
        }
        match &self.pipeline {
            Some(PipelineSource::Version { pipeline_id, version_id }) => {
                required_name("pipelineId", pipeline_id)?;
                let mut reference = Map::new();
                reference.insert("pipeline_id".into(), json!(pipeline_id));
                if let Some(v) = non_empty(version_id.as_deref()) {
                    reference.insert("pipeline_version_id".into(), json!(v));
                }
                body.insert("pipeline_version_reference".into(), Value::Object(reference));
            }
            Some(PipelineSource::Embedded(spec)) => {
                body.insert("pipeline_spec".into(), spec.clone());
            }
            None => {
                return Err(invalid(
                    "options",
                    "it must name the pipeline: pipelineId (with versionId), or pipelinePackage (the compiled YAML)",
                ))
            }
        }
        let mut config = Map::new();
        if let Some(parameters) = &self.parameters {
            config.insert("parameters".into(), Value::Object(parameters.clone()));
        }
        if let Some(root) = non_empty(self.pipeline_root.as_deref()) {
            config.insert("pipeline_root".into(), json!(root));
        }
        if !config.is_empty() {
            body.insert("runtime_config".into(), Value::Object(config));
        }
        if let Some(sa) = non_empty(self.service_account.as_deref()) {
            body.insert("service_account".into(), json!(sa));
        }
        Ok(body)
    }
}

/// The body of `POST /runs`.
///
/// # Errors
/// [`Error::InvalidArgValue`] for an empty run name or no pipeline.
pub fn run(spec: &RunSpec) -> Result<Value, Error> {
    spec.body("runName").map(Value::Object)
}

/// A recurring run's schedule: exactly one of an interval and a cron expression.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Schedule {
    pub interval_second: Option<f64>,
    /// Six fields, with seconds (robfig/cron), e.g. `"0 0 * * * *"`.
    pub cron: Option<String>,
    /// RFC 3339.
    pub start_time: Option<String>,
    pub end_time: Option<String>,
    pub max_concurrency: Option<f64>,
    pub no_catchup: Option<bool>,
    pub enabled: bool,
}

/// The body of `POST /recurringruns`.
///
/// # Errors
/// [`Error::InvalidArgValue`] for an empty name, no pipeline, neither or both of
/// `intervalSecond` and `cronExpression`, a non-positive interval, a cron expression without
/// 5 or 6 fields, or a `maxConcurrency` outside 1 to 10.
pub fn recurring_run(spec: &RunSpec, schedule: &Schedule) -> Result<Value, Error> {
    let mut body = spec.body("name")?;
    let mut trigger_times = Map::new();
    if let Some(start) = non_empty(schedule.start_time.as_deref()) {
        trigger_times.insert("start_time".into(), json!(start));
    }
    if let Some(end) = non_empty(schedule.end_time.as_deref()) {
        trigger_times.insert("end_time".into(), json!(end));
    }
    let trigger = match (
        schedule.interval_second,
        non_empty(schedule.cron.as_deref()),
    ) {
        (Some(seconds), None) => {
            if !(seconds.is_finite() && seconds >= 1.0 && seconds.fract() == 0.0 && seconds < 1e15)
            {
                return Err(invalid(
                    "intervalSecond",
                    "it must be a whole number of seconds, 1 or more",
                ));
            }
            trigger_times.insert(
                "interval_second".into(),
                json!((seconds as u64).to_string()),
            );
            json!({"periodic_schedule": trigger_times})
        }
        (None, Some(cron)) => {
            let fields = cron.split_whitespace().count();
            if !(5..=6).contains(&fields) {
                return Err(invalid(
                    "cronExpression",
                    format!("it has {fields} fields; KFP takes 6 (with seconds, e.g. \"0 0 * * * *\" for hourly)"),
                ));
            }
            trigger_times.insert("cron".into(), json!(cron));
            json!({"cron_schedule": trigger_times})
        }
        (Some(_), Some(_)) => {
            return Err(invalid(
                "options",
                "pass intervalSecond or cronExpression, not both",
            ))
        }
        (None, None) => return Err(invalid("options", "pass intervalSecond or cronExpression")),
    };
    body.insert("trigger".into(), trigger);
    let concurrency = schedule.max_concurrency.unwrap_or(1.0);
    if !(concurrency.fract() == 0.0 && (1.0..=10.0).contains(&concurrency)) {
        return Err(invalid(
            "maxConcurrency",
            "it must be a whole number from 1 to 10",
        ));
    }
    body.insert(
        "max_concurrency".into(),
        json!((concurrency as u64).to_string()),
    );
    body.insert(
        "mode".into(),
        json!(if schedule.enabled {
            "ENABLE"
        } else {
            "DISABLE"
        }),
    );
    if let Some(no_catchup) = schedule.no_catchup {
        body.insert("no_catchup".into(), json!(no_catchup));
    }
    Ok(Value::Object(body))
}

/// The run states after which a run never changes again (REPORT §5). `kfp.Client` forgets
/// CANCELED and polls a cancelled run until its timeout.
pub const FINISHED_STATES: [&str; 4] = ["SUCCEEDED", "SKIPPED", "FAILED", "CANCELED"];

/// Every v2beta1 `RuntimeState`.
pub const RUN_STATES: [&str; 9] = [
    "RUNTIME_STATE_UNSPECIFIED",
    "PENDING",
    "RUNNING",
    "SUCCEEDED",
    "SKIPPED",
    "FAILED",
    "CANCELING",
    "CANCELED",
    "PAUSED",
];

/// True for a finished state; a missing state (omitted UNSPECIFIED) is not finished.
pub fn is_finished(state: Option<&str>) -> bool {
    state.is_some_and(|s| FINISHED_STATES.contains(&s))
}

/// Checks the states of `waitForRunStatus`.
///
/// # Errors
/// [`Error::InvalidArgValue`] (`states`) for an empty list or an unknown state.
pub fn check_states(states: &[String]) -> Result<(), Error> {
    if states.is_empty() {
        return Err(invalid("states", "it is empty"));
    }
    if let Some(bad) = states.iter().find(|s| !RUN_STATES.contains(&s.as_str())) {
        return Err(invalid(
            "states",
            format!(
                "\"{}\" is not one of {}",
                bad.chars().take(40).collect::<String>(),
                RUN_STATES.join(", ")
            ),
        ));
    }
    Ok(())
}

/// `kfp.Client`'s default run name: `<pipeline> <YYYY-mm-dd HH-MM-SS>` (UTC), from the time in
/// milliseconds since the epoch.
pub fn default_run_name(pipeline: &str, now_ms: f64) -> String {
    let secs = if now_ms.is_finite() && now_ms > 0.0 {
        (now_ms / 1000.0) as i64
    } else {
        0
    };
    let (days, rest) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (year, month, day) = crate::core::time::civil_from_days(days);
    format!(
        "{pipeline} {year:04}-{month:02}-{day:02} {:02}-{:02}-{:02}",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> RunSpec {
        RunSpec {
            display_name: "nightly".into(),
            experiment_id: Some("e1".into()),
            pipeline: Some(PipelineSource::Version {
                pipeline_id: "p1".into(),
                version_id: Some("v1".into()),
            }),
            parameters: Some(
                json!({"epochs": 3, "lr": 0.1, "tags": ["a"]})
                    .as_object()
                    .cloned()
                    .unwrap(),
            ),
            pipeline_root: Some("s3://bucket/root".into()),
            service_account: Some("pipeline-runner".into()),
            ..RunSpec::default()
        }
    }

    #[test]
    fn experiment_bodies() {
        assert_eq!(
            experiment("exp 1", Some("d"), Some("team-a")).unwrap(),
            json!({"display_name": "exp 1", "description": "d", "namespace": "team-a"})
        );
        assert_eq!(
            experiment("exp", None, Some("")).unwrap(),
            json!({"display_name": "exp"})
        );
        assert!(experiment(" ", None, None).is_err());
    }

    #[test]
    fn run_bodies() {
        assert_eq!(
            run(&spec()).unwrap(),
            json!({"display_name": "nightly", "experiment_id": "e1",
                "pipeline_version_reference": {"pipeline_id": "p1", "pipeline_version_id": "v1"},
                "runtime_config": {"parameters": {"epochs": 3, "lr": 0.1, "tags": ["a"]}, "pipeline_root": "s3://bucket/root"},
                "service_account": "pipeline-runner"})
        );
        let embedded = RunSpec {
            display_name: "r".into(),
            pipeline: Some(PipelineSource::Embedded(json!({"root": {}}))),
            ..RunSpec::default()
        };
        assert_eq!(
            run(&embedded).unwrap(),
            json!({"display_name": "r", "pipeline_spec": {"root": {}}})
        );
        assert!(run(&RunSpec {
            display_name: "r".into(),
            ..RunSpec::default()
        })
        .is_err());
        assert!(run(&RunSpec {
            pipeline: embedded.pipeline.clone(),
            ..RunSpec::default()
        })
        .is_err());
    }

    #[test]
    fn recurring_run_bodies() {
        let every_hour = Schedule {
            interval_second: Some(3600.0),
            start_time: Some("2024-01-01T00:00:00Z".into()),
            enabled: true,
            ..Schedule::default()
        };
        let body = recurring_run(&spec(), &every_hour).unwrap();
        assert_eq!(
            body["trigger"],
            json!({"periodic_schedule": {"start_time": "2024-01-01T00:00:00Z", "interval_second": "3600"}})
        );
        assert_eq!(
            (body["max_concurrency"].clone(), body["mode"].clone()),
            (json!("1"), json!("ENABLE"))
        );
        let cron = Schedule {
            cron: Some("0 0 * * * *".into()),
            max_concurrency: Some(3.0),
            no_catchup: Some(true),
            ..Schedule::default()
        };
        let body = recurring_run(&spec(), &cron).unwrap();
        assert_eq!(
            body["trigger"],
            json!({"cron_schedule": {"cron": "0 0 * * * *"}})
        );
        assert_eq!(
            (
                body["max_concurrency"].clone(),
                body["mode"].clone(),
                body["no_catchup"].clone()
            ),
            (json!("3"), json!("DISABLE"), json!(true))
        );
        for bad in [
            Schedule::default(),
            Schedule {
                interval_second: Some(1.0),
                cron: Some("* * * * * *".into()),
                ..Schedule::default()
            },
            Schedule {
                interval_second: Some(0.5),
                ..Schedule::default()
            },
            Schedule {
                cron: Some("* *".into()),
                ..Schedule::default()
            },
            Schedule {
                interval_second: Some(60.0),
                max_concurrency: Some(0.0),
                ..Schedule::default()
            },
        ] {
            assert!(recurring_run(&spec(), &bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn states() {
        for s in FINISHED_STATES {
            assert!(is_finished(Some(s)));
        }
        for s in [
            "PENDING",
            "RUNNING",
            "CANCELING",
            "PAUSED",
            "RUNTIME_STATE_UNSPECIFIED",
        ] {
            assert!(!is_finished(Some(s)));
        }
        assert!(!is_finished(None));
        assert!(check_states(&["RUNNING".into()]).is_ok());
        assert!(check_states(&[]).is_err());
        assert!(check_states(&["running".into()]).is_err());
    }

    #[test]
    fn run_names() {
        assert_eq!(
            default_run_name("sum-numbers", 1_704_067_200_000.0),
            "sum-numbers 2024-01-01 00-00-00"
        );
        assert_eq!(
            default_run_name("p", 951_827_696_000.0),
            "p 2000-02-29 12-34-56"
        );
    }
}
