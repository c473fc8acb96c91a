//! The `KfpClient` methods. Each reads its JS arguments into an [`ApiCall`] of a declared
//! endpoint and hands it to [`Inner::call`]; argument errors reject the promise (never throw).

use std::rc::Rc;

use js_sys::{Array, Function, Object, Promise, Reflect, Uint8Array};
use serde_json::{json, Map, Value};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::core::client::Target;
use crate::core::error::Error;
use crate::core::http::{redact_url, Method};
use crate::core::kfp::bodies::{self, PipelineSource, RunSpec, Schedule};
use crate::core::kfp::endpoint::{self as ep, Endpoint};
use crate::core::kfp::package::{PackageFormat, PipelinePackage};
use crate::core::kfp::{self, ApiCall, ListParams, Upload};
use crate::wasm::client::{guarded, CallResult, Inner, KfpClient};
use crate::wasm::error::Fail;
use crate::wasm::fetch;
use crate::wasm::host;
use crate::wasm::options::{entries, Bag};

fn type_name(v: &JsValue) -> String {
    if v.is_undefined() {
        "undefined".into()
    } else if v.is_null() {
        "null".into()
    } else {
        format!("type {}", v.js_typeof().as_string().unwrap_or_default())
    }
}

fn string_arg(v: &JsValue, name: &str) -> Result<String, Error> {
    v.as_string().ok_or_else(|| Error::InvalidArgType {
        name: name.into(),
        expected: "of type string".into(),
        actual: type_name(v),
    })
}

fn list_params(bag: &Bag) -> Result<ListParams, Error> {
    Ok(ListParams {
        namespace: bag.string("namespace")?,
        experiment_id: bag.string("experimentId")?,
        page_size: bag.int("pageSize")?,
        page_token: bag.string("pageToken")?,
        sort_by: bag.string("sortBy")?,
        filter: bag.json("filter")?,
    })
}

fn name_filter(name: &str) -> Value {
    json!({"predicates": [{"key": "display_name", "operation": "EQUALS", "string_value": name}]})
}

/// A pipeline package argument as bytes: text, `Uint8Array`, `ArrayBuffer` or `Blob`.
async fn package_bytes(v: &JsValue, name: &str) -> CallResult<Vec<u8>> {
    if let Some(text) = v.as_string() {
        return Ok(text.into_bytes());
    }
    if let Some(bytes) = v.dyn_ref::<Uint8Array>() {
        return Ok(bytes.to_vec());
    }
    if v.is_instance_of::<js_sys::ArrayBuffer>() {
        return Ok(Uint8Array::new(v).to_vec());
    }
    let array_buffer = if v.is_object() {
        Reflect::get(v, &"arrayBuffer".into())
            .ok()
            .and_then(|f| f.dyn_into::<Function>().ok())
    } else {
        None
    };
    if let Some(f) = array_buffer {
        let size = Reflect::get(v, &"size".into())
            .ok()
            .and_then(|s| s.as_f64())
            .unwrap_or(0.0);
        if size > kfp::package::MAX_PACKAGE_BYTES as f64 {
            return Err(Error::InvalidPipeline {
                reason: format!(
                    "it is {} bytes; the limit is {}",
                    size as u64,
                    kfp::package::MAX_PACKAGE_BYTES
                ),
            }
            .into());
        }
        let pending = f.call0(v).map_err(|e| {
            Fail::with_cause(
                Error::InvalidPipeline {
                    reason: "reading the Blob failed".into(),
                },
                e,
            )
        })?;
        let buffer = JsFuture::from(Promise::resolve(&pending))
            .await
            .map_err(|e| {
                Fail::with_cause(
                    Error::InvalidPipeline {
                        reason: "reading the Blob failed".into(),
                    },
                    e,
                )
            })?;
        return Ok(Uint8Array::new(&buffer).to_vec());
    }
    Err(Error::InvalidArgType {
        name: name.into(),
        expected: "a string (YAML or JSON), a Uint8Array, an ArrayBuffer or a Blob".into(),
        actual: type_name(v),
    }
    .into())
}

/// `Date` or RFC 3339 text.
fn time_arg(bag: &Bag, key: &str) -> Result<Option<String>, Error> {
    let v = bag.raw(key)?;
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    if let Some(date) = v.dyn_ref::<js_sys::Date>() {
        if date.get_time().is_nan() {
            return Err(Error::InvalidArgValue {
                name: key.into(),
                reason: "it is an invalid Date".into(),
            });
        }
        return Ok(date.to_iso_string().as_string());
    }
    v.as_string()
        .map(Some)
        .ok_or_else(|| Error::InvalidArgType {
            name: key.into(),
            expected: "a Date or an RFC 3339 string".into(),
            actual: type_name(&v),
        })
}

fn params_map(bag: &Bag, key: &str) -> Result<Option<Map<String, Value>>, Error> {
    match bag.json(key)? {
        None => Ok(None),
        Some(Value::Object(map)) => Ok(Some(map)),
        Some(_) => Err(Error::InvalidArgType {
            name: key.into(),
            expected: "an object of parameter values".into(),
            actual: "another JSON value".into(),
        }),
    }
}

impl Inner {
    /// The only item a name filter finds: `Ok(None)` for none, an error for several.
    async fn find_one(
        self: &Rc<Self>,
        endpoint: &'static Endpoint,
        name: &str,
        namespace: Option<String>,
        signal: Option<&JsValue>,
    ) -> CallResult<Option<JsValue>> {
        let params = ListParams {
            namespace,
            filter: Some(name_filter(name)),
            page_size: Some(2),
            ..ListParams::default()
        };
        let page = self
            .call(ApiCall::new(endpoint).list(params), signal)
            .await?;
        let key = endpoint.resource.list_key(kfp::ApiVersion::V2beta1);
        let items = Array::from(&Reflect::get(&page, &key.into()).unwrap_or(JsValue::UNDEFINED));
        match items.length() {
            0 => Ok(None),
            1 => Ok(Some(items.get(0))),
            _ => Err(Error::InvalidArgValue {
                name: "name".into(),
                reason: format!(
                    "{} objects are named \"{name}\"; use the id",
                    items.length()
                ),
            }
            .into()),
        }
    }

    fn not_found(&self, what: &str, name: &str) -> Fail {
        Error::Api {
            status: 404,
            url: redact_url(self.options.api.url()),
            grpc_code: Some(5),
            message: format!("no {what} is named \"{name}\""),
        }
        .into()
    }

    /// The experiment named `name` in `namespace`, created when missing (as `kfp.Client` does).
    async fn ensure_experiment(
        self: &Rc<Self>,
        name: &str,
        namespace: Option<String>,
        signal: Option<&JsValue>,
    ) -> CallResult<String> {
        for _ in 0..2 {
            if let Some(found) = self
                .find_one(&ep::LIST_EXPERIMENTS, name, namespace.clone(), signal)
                .await?
            {
                return Ok(field(&found, "experiment_id"));
            }
            let body = bodies::experiment(name, None, namespace.as_deref())?;
            match self
                .call(ApiCall::new(&ep::CREATE_EXPERIMENT).json(body), signal)
                .await
            {
                Ok(created) => return Ok(field(&created, "experiment_id")),
                // Created by someone else meanwhile: look again.
                Err(Fail::Core(e, _)) if e.status() == Some(409) => continue,
                Err(e) => return Err(e),
            }
        }
        Err(self.not_found("experiment", name))
    }

    async fn pipeline_id_by_name(
        self: &Rc<Self>,
        name: &str,
        namespace: Option<String>,
        signal: Option<&JsValue>,
    ) -> CallResult<Option<String>> {
        Ok(self
            .find_one(&ep::LIST_PIPELINES, name, namespace, signal)
            .await?
            .map(|p| field(&p, "pipeline_id")))
    }
}

fn field(obj: &JsValue, key: &str) -> String {
    Reflect::get(obj, &key.into())
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

/// The parts of a run's options that `runPipeline`, `createRecurringRun` and
/// `createRunFromPipelinePackage` share, read synchronously (the package is read later).
struct RunArgs {
    spec: RunSpec,
    package: JsValue,
    enable_caching: Option<bool>,
}

fn run_args(bag: &Bag, display_name: String, params_key: &str) -> Result<RunArgs, Error> {
    let pipeline = match bag.string("pipelineId")? {
        Some(pipeline_id) => Some(PipelineSource::Version {
            pipeline_id,
            version_id: bag.string("versionId")?,
        }),
        None if bag.string("versionId")?.is_some() => {
            return Err(Error::InvalidArgValue {
                name: "versionId".into(),
                reason: "it needs pipelineId too".into(),
            })
        }
        None => None,
    };
    Ok(RunArgs {
        spec: RunSpec {
            display_name,
            description: bag.string("description")?,
            experiment_id: None,
            pipeline,
            parameters: params_map(bag, params_key)?,
            pipeline_root: bag.string("pipelineRoot")?,
            service_account: bag.string("serviceAccount")?,
        },
        package: bag.raw("pipelinePackage")?,
        enable_caching: bag.bool("enableCaching")?,
    })
}

/// Reads an embedded package into `spec` when one was given.
async fn embed(
    args: &mut RunArgs,
    package: &JsValue,
    name: &str,
) -> CallResult<Option<PipelinePackage>> {
    if package.is_undefined() || package.is_null() {
        return Ok(None);
    }
    if args.spec.pipeline.is_some() {
        return Err(Error::InvalidArgValue {
            name: name.into(),
            reason: "pass a pipeline package or pipelineId, not both".into(),
        }
        .into());
    }
    let mut parsed = PipelinePackage::parse(&package_bytes(package, name).await?)?;
    if let Some(enable) = args.enable_caching {
        parsed.set_caching(enable);
    }
    args.spec.pipeline = Some(PipelineSource::Embedded(parsed.embedded()));
    Ok(Some(parsed))
}

macro_rules! by_id {
    ($($(#[$doc:meta])* $js:literal $fn:ident => $endpoint:ident ($($arg:ident),*);)*) => {
        #[wasm_bindgen]
        impl KfpClient {
            $(
                $(#[$doc])*
                #[allow(non_snake_case)]
                #[wasm_bindgen(js_name = $js)]
                pub fn $fn(&self, $($arg: JsValue,)* options: JsValue) -> Promise {
                    let args = (|| {
                        let mut call = ApiCall::new(&ep::$endpoint);
                        $(call = call.id(stringify!($arg), string_arg(&$arg, stringify!($arg))?);)*
                        Ok::<_, Error>((call, Bag::new(&options, "options")?.signal("signal")?))
                    })();
                    let inner = Rc::clone(&self.inner);
                    guarded(&self.inner, async move {
                        let (call, signal) = args?;
                        inner.call(call, signal.as_ref()).await
                    })
                }
            )*
        }
    };
}

by_id! {
    /// `POST /apis/v2beta1/experiments/{id}:archive`.
    "archiveExperiment" archive_experiment => ARCHIVE_EXPERIMENT(id);
    /// `POST /apis/v2beta1/experiments/{id}:unarchive`.
    "unarchiveExperiment" unarchive_experiment => UNARCHIVE_EXPERIMENT(id);
    /// `DELETE /apis/v2beta1/experiments/{id}`.
    "deleteExperiment" delete_experiment => DELETE_EXPERIMENT(id);
    /// `GET /apis/v2beta1/pipelines/{pipelineId}/versions/{versionId}`.
    "getPipelineVersion" get_pipeline_version => GET_PIPELINE_VERSION(pipelineId, versionId);
    /// `DELETE /apis/v2beta1/pipelines/{pipelineId}/versions/{versionId}`.
    "deletePipelineVersion" delete_pipeline_version => DELETE_PIPELINE_VERSION(pipelineId, versionId);
    /// `GET /apis/v2beta1/runs/{id}`.
    "getRun" get_run => GET_RUN(id);
    /// `POST /apis/v2beta1/runs/{id}:terminate`.
    "terminateRun" terminate_run => TERMINATE_RUN(id);
    /// `POST /apis/v2beta1/runs/{id}:retry`.
    "retryRun" retry_run => RETRY_RUN(id);
    /// `POST /apis/v2beta1/runs/{id}:archive`.
    "archiveRun" archive_run => ARCHIVE_RUN(id);
    /// `POST /apis/v2beta1/runs/{id}:unarchive`.
    "unarchiveRun" unarchive_run => UNARCHIVE_RUN(id);
    /// `DELETE /apis/v2beta1/runs/{id}`.
    "deleteRun" delete_run => DELETE_RUN(id);
    /// `GET /apis/v2beta1/recurringruns/{id}`.
    "getRecurringRun" get_recurring_run => GET_RECURRING_RUN(id);
    /// `POST /apis/v2beta1/recurringruns/{id}:enable`.
    "enableRecurringRun" enable_recurring_run => ENABLE_RECURRING_RUN(id);
    /// `POST /apis/v2beta1/recurringruns/{id}:disable`.
    "disableRecurringRun" disable_recurring_run => DISABLE_RECURRING_RUN(id);
    /// `DELETE /apis/v2beta1/recurringruns/{id}`.
    "deleteRecurringRun" delete_recurring_run => DELETE_RECURRING_RUN(id);
}

/// Which list methods default to the client's namespace: all but pipelines, which may be
/// shared (namespace "") and are listed as `kfp.Client` lists them.
macro_rules! lists {
    ($($(#[$doc:meta])* $js:literal $fn:ident => $endpoint:ident ($($arg:ident),*) default_ns: $default:literal;)*) => {
        #[wasm_bindgen]
        impl KfpClient {
            $(
                $(#[$doc])*
                #[allow(non_snake_case)]
                #[wasm_bindgen(js_name = $js)]
                pub fn $fn(&self, $($arg: JsValue,)* params: JsValue) -> Promise {
                    let args = (|| {
                        #[allow(unused_mut)]
                        let mut call = ApiCall::new(&ep::$endpoint);
                        $(call = call.id(stringify!($arg), string_arg(&$arg, stringify!($arg))?);)*
                        let bag = Bag::new(&params, "params")?;
                        Ok::<_, Error>((call, list_params(&bag)?, bag.signal("signal")?))
                    })();
                    let inner = Rc::clone(&self.inner);
                    guarded(&self.inner, async move {
                        let (call, mut p, signal) = args?;
                        if $default && p.experiment_id.is_none() {
                            p.namespace = inner.namespace(p.namespace);
                        }
                        inner.call(call.list(p), signal.as_ref()).await
                    })
                }
            )*
        }
    };
}

lists! {
    /// One page of experiments: `{ experiments, total_size?, next_page_token? }`.
    "listExperiments" list_experiments => LIST_EXPERIMENTS() default_ns: true;
    /// One page of pipelines: `{ pipelines, total_size?, next_page_token? }`.
    "listPipelines" list_pipelines => LIST_PIPELINES() default_ns: false;
    /// One page of a pipeline's versions: `{ pipeline_versions, ... }`.
    "listPipelineVersions" list_pipeline_versions => LIST_PIPELINE_VERSIONS(pipelineId) default_ns: false;
    /// One page of runs: `{ runs, ... }`, by `experimentId` or namespace.
    "listRuns" list_runs => LIST_RUNS() default_ns: true;
    /// One page of recurring runs: `{ recurringRuns, ... }`.
    "listRecurringRuns" list_recurring_runs => LIST_RECURRING_RUNS() default_ns: true;
}

#[wasm_bindgen]
impl KfpClient {
    /// `GET /apis/v2beta1/healthz` (v1beta1 on older servers): `multi_user` and versions.
    pub fn healthz(&self, options: JsValue) -> Promise {
        let inner = Rc::clone(&self.inner);
        let signal = Bag::new(&options, "options").and_then(|b| b.signal("signal"));
        guarded(&self.inner, async move {
            inner
                .call(ApiCall::new(&ep::HEALTHZ), signal?.as_ref())
                .await
        })
    }

    /// `POST /apis/v2beta1/experiments` in `options.namespace` (or the client's).
    #[wasm_bindgen(js_name = createExperiment)]
    pub fn create_experiment(&self, name: JsValue, options: JsValue) -> Promise {
        let inner = Rc::clone(&self.inner);
        let args = (|| {
            let name = string_arg(&name, "name")?;
            let bag = Bag::new(&options, "options")?;
            Ok::<_, Error>((
                name,
                bag.string("description")?,
                bag.string("namespace")?,
                bag.signal("signal")?,
            ))
        })();
        guarded(&self.inner, async move {
            let (name, description, namespace, signal) = args?;
            let body = bodies::experiment(
                &name,
                description.as_deref(),
                inner.namespace(namespace).as_deref(),
            )?;
            inner
                .call(
                    ApiCall::new(&ep::CREATE_EXPERIMENT).json(body),
                    signal.as_ref(),
                )
                .await
        })
    }

    /// `getExperiment(id)`, or `getExperiment({ name, namespace })` (by display name).
    #[wasm_bindgen(js_name = getExperiment)]
    pub fn get_experiment(&self, id: JsValue, options: JsValue) -> Promise {
        self.get_by_id_or_name(
            id,
            options,
            &ep::GET_EXPERIMENT,
            &ep::LIST_EXPERIMENTS,
            "experiment",
            true,
        )
    }

    /// `getPipeline(id)`, or `getPipeline({ name, namespace })` (by display name).
    #[wasm_bindgen(js_name = getPipeline)]
    pub fn get_pipeline(&self, id: JsValue, options: JsValue) -> Promise {
        self.get_by_id_or_name(
            id,
            options,
            &ep::GET_PIPELINE,
            &ep::LIST_PIPELINES,
            "pipeline",
            false,
        )
    }

    fn get_by_id_or_name(
        &self,
        id: JsValue,
        options: JsValue,
        get: &'static Endpoint,
        list: &'static Endpoint,
        what: &'static str,
        default_ns: bool,
    ) -> Promise {
        let inner = Rc::clone(&self.inner);
        let args = (|| {
            let signal = Bag::new(&options, "options")?.signal("signal")?;
            if id.as_string().is_some() {
                return Ok::<_, Error>((Some(string_arg(&id, "id")?), None, signal));
            }
            let query = Bag::new(&id, "query").map_err(|_| Error::InvalidArgType {
                name: "id".into(),
                expected: "a string or { name, namespace }".into(),
                actual: type_name(&id),
            })?;
            if id.is_undefined() || id.is_null() {
                return Err(Error::InvalidArgType {
                    name: "id".into(),
                    expected: "a string or { name, namespace }".into(),
                    actual: type_name(&id),
                });
            }
            Ok((
                None,
                Some((query.required_string("name")?, query.string("namespace")?)),
                signal,
            ))
        })();
        guarded(&self.inner, async move {
            let (id, by_name, signal) = args?;
            if let Some(id) = id {
                return inner
                    .call(ApiCall::new(get).id("id", id), signal.as_ref())
                    .await;
            }
            let (name, namespace) = by_name.unwrap_or_default();
            let namespace = if default_ns {
                inner.namespace(namespace)
            } else {
                namespace
            };
            inner
                .find_one(list, &name, namespace, signal.as_ref())
                .await?
                .ok_or_else(|| inner.not_found(what, &name))
        })
    }

    /// The id of the pipeline with this display name, or `null` (like `kfp.Client.get_pipeline_id`).
    #[wasm_bindgen(js_name = getPipelineId)]
    pub fn get_pipeline_id(&self, name: JsValue, options: JsValue) -> Promise {
        let inner = Rc::clone(&self.inner);
        let args = (|| {
            let bag = Bag::new(&options, "options")?;
            Ok::<_, Error>((
                string_arg(&name, "name")?,
                bag.string("namespace")?,
                bag.signal("signal")?,
            ))
        })();
        guarded(&self.inner, async move {
            let (name, namespace, signal) = args?;
            Ok(inner
                .pipeline_id_by_name(&name, namespace, signal.as_ref())
                .await?
                .map_or(JsValue::NULL, |id| JsValue::from_str(&id)))
        })
    }

    /// `DELETE /apis/v2beta1/pipelines/{id}` (`?cascade=true` with `{ cascade: true }`, KFP ≥ 2.14).
    #[wasm_bindgen(js_name = deletePipeline)]
    pub fn delete_pipeline(&self, id: JsValue, options: JsValue) -> Promise {
        let inner = Rc::clone(&self.inner);
        let args = (|| {
            let bag = Bag::new(&options, "options")?;
            let cascade = bag.bool("cascade")?.filter(|c| *c).map(|_| "true");
            Ok::<_, Error>((
                ApiCall::new(&ep::DELETE_PIPELINE)
                    .id("id", string_arg(&id, "id")?)
                    .query("cascade", cascade),
                bag.signal("signal")?,
            ))
        })();
        guarded(&self.inner, async move {
            let (call, signal) = args?;
            inner.call(call, signal.as_ref()).await
        })
    }

    /// `POST /apis/v2beta1/pipelines/upload` (multipart `uploadfile`, metadata in the query).
    #[wasm_bindgen(js_name = uploadPipeline)]
    pub fn upload_pipeline(&self, pipeline: JsValue, options: JsValue) -> Promise {
        let inner = Rc::clone(&self.inner);
        let args = (|| {
            let bag = Bag::new(&options, "options")?;
            Ok::<_, Error>((
                bag.string("name")?,
                bag.string("displayName")?,
                bag.string("description")?,
                bag.string("namespace")?,
                bag.signal("signal")?,
            ))
        })();
        guarded(&self.inner, async move {
            let (name, display_name, description, namespace, signal) = args?;
            let (upload, package) = upload_of(&pipeline).await?;
            let name = name
                .or_else(|| display_name.clone())
                .or_else(|| package.as_ref().and_then(|p| p.name().map(str::to_owned)));
            if name.as_deref().is_some_and(|n| n.trim().is_empty()) {
                return Err(Error::InvalidArgValue {
                    name: "name".into(),
                    reason: "it is empty".into(),
                }
                .into());
            }
            let call = ApiCall::new(&ep::UPLOAD_PIPELINE)
                .query("name", name)
                .query("display_name", display_name)
                .query("description", description)
                .query("namespace", namespace)
                .upload(upload);
            inner.call(call, signal.as_ref()).await
        })
    }

    /// `POST /apis/v2beta1/pipelines/upload_version?pipelineid=` (by `pipelineId` or `pipelineName`).
    #[wasm_bindgen(js_name = uploadPipelineVersion)]
    pub fn upload_pipeline_version(&self, pipeline: JsValue, options: JsValue) -> Promise {
        let inner = Rc::clone(&self.inner);
        let args = (|| {
            let bag = Bag::new(&options, "options")?;
            let id = bag.string("pipelineId")?;
            let name = bag.string("pipelineName")?;
            if id.is_some() == name.is_some() {
                return Err(Error::InvalidArgValue {
                    name: "options".into(),
                    reason: "pass exactly one of pipelineId and pipelineName".into(),
                });
            }
            Ok::<_, Error>((
                id,
                name,
                bag.string("versionName")?,
                bag.string("description")?,
                bag.string("namespace")?,
                bag.signal("signal")?,
            ))
        })();
        guarded(&self.inner, async move {
            let (id, name, version_name, description, namespace, signal) = args?;
            let (upload, package) = upload_of(&pipeline).await?;
            let pipeline_id = match (id, name) {
                (Some(id), _) => id,
                (None, Some(name)) => inner
                    .pipeline_id_by_name(&name, namespace, signal.as_ref())
                    .await?
                    .ok_or_else(|| inner.not_found("pipeline", &name))?,
                (None, None) => String::new(),
            };
            // The server names a version after the file when no name is given; two uploads would clash.
            let version_name = version_name.or_else(|| {
                package
                    .as_ref()
                    .and_then(|p| p.name())
                    .map(|n| bodies::default_run_name(n, js_sys::Date::now()))
            });
            let call = ApiCall::new(&ep::UPLOAD_PIPELINE_VERSION)
                .query("name", version_name)
                .query("pipelineid", Some(pipeline_id))
                .query("description", description)
                .upload(upload);
            inner.call(call, signal.as_ref()).await
        })
    }

    /// `POST /apis/v2beta1/runs` in an experiment, from an uploaded pipeline (`pipelineId`,
    /// `versionId`) or a package (`pipelinePackage`).
    #[wasm_bindgen(js_name = runPipeline)]
    pub fn run_pipeline(
        &self,
        experiment_id: JsValue,
        run_name: JsValue,
        options: JsValue,
    ) -> Promise {
        let inner = Rc::clone(&self.inner);
        let args = (|| {
            let experiment_id = string_arg(&experiment_id, "experimentId")?;
            let bag = Bag::new(&options, "options")?;
            let mut args = run_args(&bag, string_arg(&run_name, "runName")?, "params")?;
            args.spec.experiment_id = Some(experiment_id);
            Ok::<_, Error>((args, bag.signal("signal")?))
        })();
        guarded(&self.inner, async move {
            let (mut args, signal) = args?;
            let package = args.package.clone();
            embed(&mut args, &package, "pipelinePackage").await?;
            inner
                .call(
                    ApiCall::new(&ep::CREATE_RUN).json(bodies::run(&args.spec)?),
                    signal.as_ref(),
                )
                .await
        })
    }

    /// Runs a package without uploading it (like `kfp.Client.create_run_from_pipeline_package`):
    /// the spec is embedded, and the experiment is found or created by name.
    #[wasm_bindgen(js_name = createRunFromPipelinePackage)]
    pub fn create_run_from_pipeline_package(&self, pipeline: JsValue, options: JsValue) -> Promise {
        let inner = Rc::clone(&self.inner);
        let args = (|| {
            let bag = Bag::new(&options, "options")?;
            let args = run_args(
                &bag,
                bag.string("runName")?.unwrap_or_default(),
                "arguments",
            )?;
            if args.spec.pipeline.is_some() {
                return Err(Error::InvalidArgValue { name: "pipelineId".into(), reason: "createRunFromPipelinePackage runs the package it is given; use runPipeline for uploaded pipelines".into() });
            }
            Ok::<_, Error>((
                args,
                bag.string("experimentId")?,
                bag.string("experimentName")?,
                bag.string("namespace")?,
                bag.signal("signal")?,
            ))
        })();
        guarded(&self.inner, async move {
            let (mut args, experiment_id, experiment_name, namespace, signal) = args?;
            let package = embed(&mut args, &pipeline, "pipeline")
                .await?
                .ok_or_else(|| {
                    Fail::from(Error::InvalidArgType {
                        name: "pipeline".into(),
                        expected: "a pipeline package".into(),
                        actual: type_name(&pipeline),
                    })
                })?;
            if args.spec.display_name.is_empty() {
                args.spec.display_name = bodies::default_run_name(
                    package.name().unwrap_or("pipeline"),
                    js_sys::Date::now(),
                );
            }
            let namespace = inner.namespace(namespace);
            let experiment_id = match experiment_id {
                Some(id) => id,
                None => {
                    let env = |name: &str| {
                        host::current()
                            .and_then(|h| h.env(name))
                            .filter(|v| !v.is_empty())
                    };
                    let name = env("KF_PIPELINES_OVERRIDE_EXPERIMENT_NAME")
                        .or(experiment_name)
                        .or_else(|| env("KF_PIPELINES_DEFAULT_EXPERIMENT_NAME"))
                        .unwrap_or_else(|| "Default".into());
                    inner
                        .ensure_experiment(&name, namespace, signal.as_ref())
                        .await?
                }
            };
            args.spec.experiment_id = Some(experiment_id);
            inner
                .call(
                    ApiCall::new(&ep::CREATE_RUN).json(bodies::run(&args.spec)?),
                    signal.as_ref(),
                )
                .await
        })
    }

    /// `POST /apis/v2beta1/recurringruns`: a schedule (`intervalSecond` or a 6-field
    /// `cronExpression`) for a pipeline.
    #[wasm_bindgen(js_name = createRecurringRun)]
    pub fn create_recurring_run(
        &self,
        experiment_id: JsValue,
        name: JsValue,
        options: JsValue,
    ) -> Promise {
        let inner = Rc::clone(&self.inner);
        let args = (|| {
            let experiment_id = string_arg(&experiment_id, "experimentId")?;
            let bag = Bag::new(&options, "options")?;
            let mut args = run_args(&bag, string_arg(&name, "name")?, "params")?;
            args.spec.experiment_id = Some(experiment_id);
            let schedule = Schedule {
                interval_second: bag.number("intervalSecond")?,
                cron: bag.string("cronExpression")?,
                start_time: time_arg(&bag, "startTime")?,
                end_time: time_arg(&bag, "endTime")?,
                max_concurrency: bag.number("maxConcurrency")?,
                no_catchup: bag.bool("noCatchup")?,
                enabled: bag.bool("enabled")?.unwrap_or(true),
            };
            Ok::<_, Error>((args, schedule, bag.signal("signal")?))
        })();
        guarded(&self.inner, async move {
            let (mut args, schedule, signal) = args?;
            let package = args.package.clone();
            embed(&mut args, &package, "pipelinePackage").await?;
            let body = bodies::recurring_run(&args.spec, &schedule)?;
            inner
                .call(
                    ApiCall::new(&ep::CREATE_RECURRING_RUN).json(body),
                    signal.as_ref(),
                )
                .await
        })
    }

    /// Polls `getRun` until the run is SUCCEEDED, SKIPPED, FAILED or CANCELED.
    #[wasm_bindgen(js_name = waitForRunCompletion)]
    pub fn wait_for_run_completion(&self, run_id: JsValue, options: JsValue) -> Promise {
        self.wait(run_id, None, options)
    }

    /// Polls `getRun` until the run is in one of `states` (or finished).
    #[wasm_bindgen(js_name = waitForRunStatus)]
    pub fn wait_for_run_status(
        &self,
        run_id: JsValue,
        states: JsValue,
        options: JsValue,
    ) -> Promise {
        let states = if let Some(one) = states.as_string() {
            Ok(vec![one])
        } else if crate::wasm::options::is_array(&states) {
            Array::from(&states)
                .iter()
                .enumerate()
                .map(|(i, s)| string_arg(&s, &format!("states[{i}]")))
                .collect()
        } else {
            Err(Error::InvalidArgType {
                name: "states".into(),
                expected: "a run state or an array of them".into(),
                actual: type_name(&states),
            })
        };
        match states.and_then(|s| bodies::check_states(&s).map(|()| s)) {
            Ok(states) => self.wait(run_id, Some(states), options),
            Err(e) => guarded(&self.inner, async move { Err(e.into()) }),
        }
    }

    fn wait(&self, run_id: JsValue, states: Option<Vec<String>>, options: JsValue) -> Promise {
        let inner = Rc::clone(&self.inner);
        let args = (|| {
            let bag = Bag::new(&options, "options")?;
            let ms = |key: &str, default: f64| -> Result<f64, Error> {
                match bag.number(key)? {
                    None => Ok(default),
                    Some(n) if n.is_finite() && n >= 0.0 => Ok(n),
                    Some(_) => Err(Error::InvalidArgValue {
                        name: key.into(),
                        reason: "it must be a number of milliseconds, 0 or more".into(),
                    }),
                }
            };
            let timeout = ms("timeoutMs", 24.0 * 3600.0 * 1000.0)?;
            let poll = ms("pollIntervalMs", 2000.0)?.max(10.0);
            Ok::<_, Error>((
                string_arg(&run_id, "runId")?,
                timeout,
                poll,
                bag.signal("signal")?,
                bag.function("onProgress")?,
            ))
        })();
        guarded(&self.inner, async move {
            let (run_id, timeout, poll, signal, on_progress) = args?;
            let deadline = js_sys::Date::now() + timeout;
            loop {
                let run = inner
                    .call(
                        ApiCall::new(&ep::GET_RUN).id("id", run_id.clone()),
                        signal.as_ref(),
                    )
                    .await?;
                let state = Reflect::get(&run, &"state".into())
                    .ok()
                    .and_then(|s| s.as_string());
                if let Some(f) = &on_progress {
                    let _ = f.call1(&JsValue::UNDEFINED, &run);
                }
                let wanted = states
                    .as_ref()
                    .is_some_and(|set| state.as_ref().is_some_and(|s| set.contains(s)));
                if wanted || bodies::is_finished(state.as_deref()) {
                    return Ok(run);
                }
                let left = deadline - js_sys::Date::now();
                if left <= 0.0 {
                    let err = inner
                        .scrub(
                            Error::WaitTimeout {
                                run_id,
                                ms: timeout as u64,
                                state,
                            }
                            .into(),
                        )
                        .into_js();
                    let _ = Reflect::set(&err, &"run".into(), &run);
                    return Err(Fail::Js(err));
                }
                fetch::sleep(poll.min(left) as u32, signal.as_ref(), &run_id).await?;
            }
        })
    }

    /// Any KFP endpoint: `request("GET", "/apis/v2beta1/runs", { query, body })`.
    pub fn request(&self, method: JsValue, path: JsValue, options: JsValue) -> Promise {
        let inner = Rc::clone(&self.inner);
        let args = (|| {
            let method_name = string_arg(&method, "method")?;
            let method = Method::parse(&method_name).ok_or_else(|| Error::InvalidArgValue {
                name: "method".into(),
                reason: "it must be GET, POST, PUT, PATCH or DELETE".into(),
            })?;
            let path = string_arg(&path, "path")?;
            let bag = Bag::new(&options, "options")?;
            let query = query_pairs(bag.object("query")?)?;
            let request = kfp::raw(
                &inner.options.api,
                method,
                &path,
                &query,
                bag.json("body")?.as_ref(),
            )?;
            Ok::<_, Error>((request, bag.signal("signal")?))
        })();
        let inner = Rc::clone(&self.inner);
        guarded(&self.inner, async move {
            let (request, signal) = args?;
            let received = inner.execute(Target::Raw(request), signal.as_ref()).await?;
            let resp = &received.response;
            if (200..300).contains(&resp.status)
                && !resp.is_json()
                && !resp.is_html()
                && !resp.body.is_empty()
            {
                let looks_json = matches!(
                    resp.body.iter().find(|b| !b.is_ascii_whitespace()),
                    Some(b'{' | b'[')
                );
                if !looks_json {
                    return Ok(JsValue::from_str(&resp.text()));
                }
            }
            inner.json(&received)
        })
    }

    /// The client's namespace (from `options.namespace` or `setUserNamespace`).
    #[wasm_bindgen(js_name = getUserNamespace)]
    pub fn get_user_namespace(&self) -> Option<String> {
        self.inner.namespace.borrow().clone()
    }

    /// Sets the namespace calls default to; kept in this client only (no file is written).
    #[wasm_bindgen(js_name = setUserNamespace)]
    pub fn set_user_namespace(&self, namespace: JsValue) -> Result<(), JsValue> {
        let ns = if namespace.is_undefined() || namespace.is_null() {
            None
        } else {
            let ns = string_arg(&namespace, "namespace").map_err(|e| Fail::from(e).into_js())?;
            Some(
                crate::core::options::check_namespace("namespace", &ns)
                    .map_err(|e| Fail::from(e).into_js())?,
            )
        };
        self.inner.namespace.replace(ns);
        Ok(())
    }

    /// A plain object to resume this session later with `createKfpClient({ apiUrl, session })`.
    /// It holds the session cookies: store it like a password.
    #[wasm_bindgen(js_name = exportSession)]
    pub fn export_session(&self) -> JsValue {
        let out = Object::new();
        let set = |o: &Object, k: &str, v: JsValue| {
            let _ = Reflect::set(o, &k.into(), &v);
        };
        set(&out, "version", JsValue::from(1));
        set(
            &out,
            "apiUrl",
            JsValue::from_str(self.inner.options.api.url().as_str().trim_end_matches('/')),
        );
        set(
            &out,
            "authType",
            JsValue::from_str(self.inner.options.auth.type_name()),
        );
        if let crate::core::options::Auth::Dex { username, .. } = &self.inner.options.auth {
            set(&out, "username", JsValue::from_str(username));
        }
        if let Some(ns) = &*self.inner.namespace.borrow() {
            set(&out, "namespace", JsValue::from_str(ns));
        }
        let cookies = Array::new();
        let mut earliest: Option<i64> = None;
        for c in self.inner.ctx.borrow().jar.export() {
            let o = Object::new();
            set(&o, "name", JsValue::from_str(&c.name));
            set(&o, "value", JsValue::from_str(c.value.expose()));
            set(&o, "domain", JsValue::from_str(&c.domain));
            set(&o, "path", JsValue::from_str(&c.path));
            if let Some(at) = c.expires {
                set(&o, "expires", JsValue::from_f64(at as f64));
                earliest = Some(earliest.map_or(at, |e| e.min(at)));
            }
            set(&o, "secure", JsValue::from_bool(c.secure));
            set(&o, "httpOnly", JsValue::from_bool(c.http_only));
            set(&o, "hostOnly", JsValue::from_bool(c.host_only));
            cookies.push(&o);
        }
        set(&out, "cookies", cookies.into());
        if let Some(at) = earliest {
            set(&out, "expiresAt", JsValue::from_f64(at as f64));
        }
        out.into()
    }
}

/// The upload body of a package: its bytes under a file name the server reads right, and the
/// package itself when it is YAML or JSON (checked before anything is sent).
async fn upload_of(pipeline: &JsValue) -> CallResult<(Upload, Option<PipelinePackage>)> {
    let bytes = package_bytes(pipeline, "pipeline").await?;
    let format = PackageFormat::of(&bytes);
    let package = match format {
        PackageFormat::Yaml | PackageFormat::Json => Some(PipelinePackage::parse(&bytes)?),
        PackageFormat::Zip | PackageFormat::TarGz => None,
    };
    Ok((
        Upload {
            bytes,
            filename: format.filename().into(),
        },
        package,
    ))
}

/// `{ key: value | value[] }` → query pairs; values may be strings, numbers or booleans.
fn query_pairs(query: Option<JsValue>) -> Result<Vec<(String, String)>, Error> {
    let Some(query) = query else {
        return Ok(Vec::new());
    };
    let mut pairs = Vec::new();
    for entry in entries(&query, "options.query")?.iter() {
        let pair = Array::from(&entry);
        let key = pair.get(0).as_string().unwrap_or_default();
        let value = pair.get(1);
        let values: Vec<JsValue> = if crate::wasm::options::is_array(&value) {
            Array::from(&value).iter().collect()
        } else {
            vec![value]
        };
        for v in values {
            if v.is_undefined() || v.is_null() {
                continue;
            }
            let text = if let Some(s) = v.as_string() {
                s
            } else if v.as_f64().is_some() || v.as_bool().is_some() {
                crate::wasm::options::js_string(&v)
            } else {
                return Err(Error::InvalidArgType {
                    name: format!("options.query.{key}"),
                    expected: "a string, number, boolean or an array of them".into(),
                    actual: "an object".into(),
                });
            };
            pairs.push((key.clone(), text));
        }
    }
    Ok(pairs)
}
