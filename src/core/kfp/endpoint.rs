//! Every KFP endpoint the client calls, declared once as data.
//!
//! An [`Endpoint`] knows its method, its path under `/apis/v2beta1` and (where one exists) under
//! `/apis/v1beta1`, the resource it returns and the shape of its answer. The request builder
//! ([`super::request::ApiCall`]), the decoder, the JS iterators and the swagger conformance test
//! (`tests/swagger.rs`) all read this table; adding an endpoint is one entry here plus one short
//! binding method.
//!
//! Paths are templates whose `{}` are filled, in order, with the call's ids (each encoded as one
//! path segment). Sources: `shared/kfp-api/REPORT.md` §2.1 (v2beta1), §2.3 (v1beta1).

use crate::core::http::Method;

use super::ApiVersion;

/// The kinds of object the API serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Resource {
    Healthz,
    Experiment,
    Pipeline,
    PipelineVersion,
    Run,
    RecurringRun,
}

impl Resource {
    /// The key holding the items of a list answer. v2beta1's recurring-run list is literally
    /// `recurringRuns` (its proto field name); v1beta1 calls versions `versions` and recurring
    /// runs `jobs` (REPORT §2.1, key-name note).
    pub fn list_key(self, v: ApiVersion) -> &'static str {
        match (self, v) {
            (Resource::Experiment, _) => "experiments",
            (Resource::Pipeline, _) => "pipelines",
            (Resource::PipelineVersion, ApiVersion::V2beta1) => "pipeline_versions",
            (Resource::PipelineVersion, ApiVersion::V1beta1) => "versions",
            (Resource::Run, _) => "runs",
            (Resource::RecurringRun, ApiVersion::V2beta1) => "recurringRuns",
            (Resource::RecurringRun, ApiVersion::V1beta1) => "jobs",
            (Resource::Healthz, _) => "",
        }
    }

    /// The v2beta1 field that holds the object's id.
    pub fn id_field(self) -> &'static str {
        match self {
            Resource::Experiment => "experiment_id",
            Resource::Pipeline => "pipeline_id",
            Resource::PipelineVersion => "pipeline_version_id",
            Resource::Run => "run_id",
            Resource::RecurringRun => "recurring_run_id",
            Resource::Healthz => "",
        }
    }
}

/// What a successful answer holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// One object of the endpoint's resource.
    One,
    /// A page: `{<list key>: [...], total_size, next_page_token}`.
    List,
    /// Nothing worth returning (`{}`).
    Empty,
}

/// Where a list endpoint takes the namespace or parent it is scoped to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// No scope (pipeline versions are scoped by the path).
    None,
    /// `namespace=` (v2) or `resource_reference_key.type=NAMESPACE` (v1).
    Namespace,
    /// As `Namespace`, or `experiment_id=` (v2) / `resource_reference_key.type=EXPERIMENT`
    /// (v1) when an experiment is given; v1 takes only one of the two.
    NamespaceOrExperiment,
    /// v1's `resource_key.type=PIPELINE&resource_key.id=` (v2 has the id in the path).
    Pipeline,
}

/// What the request body is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Body {
    None,
    /// A JSON object in v2beta1 shape (converted for v1beta1 by [`super::v1`]).
    Json,
    /// `POST` with no payload (`:archive`, `:terminate`): `{}` as JSON (REPORT §1).
    EmptyJson,
    /// `multipart/form-data` with the file part `uploadfile`; metadata in the query (REPORT §2.2).
    Upload,
}

/// One endpoint of the KFP REST API.
#[derive(Debug, PartialEq, Eq)]
pub struct Endpoint {
    /// The JS method that calls it, for messages and tests.
    pub name: &'static str,
    pub method: Method,
    /// The path after `/apis/v2beta1`.
    pub v2: &'static str,
    /// The path after `/apis/v1beta1`, or `None` when v1beta1 has no equivalent.
    pub v1: Option<&'static str>,
    pub resource: Resource,
    pub answer: Answer,
    pub scope: Scope,
    pub body: Body,
}

impl Endpoint {
    /// The path template for `v`, with its version prefix.
    pub fn template(&self, v: ApiVersion) -> Option<String> {
        let path = match v {
            ApiVersion::V2beta1 => self.v2,
            ApiVersion::V1beta1 => self.v1?,
        };
        Some(format!("{}{path}", v.path_prefix()))
    }

    /// The number of `{}` ids the path takes.
    pub fn arity(&self) -> usize {
        self.v2.matches("{}").count()
    }

    /// True for the methods that may be repeated without changing anything.
    pub fn is_idempotent(&self) -> bool {
        self.method == Method::Get
    }
}

macro_rules! endpoints {
    ($($id:ident = $name:literal $method:ident $v2:literal $v1:expr, $res:ident $answer:ident $scope:ident $body:ident;)*) => {
        $(
            #[doc = concat!("`", stringify!($method), " /apis/v2beta1", $v2, "`, for `", $name, "`.")]
            pub static $id: Endpoint = Endpoint {
                name: $name,
                method: Method::$method,
                v2: $v2,
                v1: $v1,
                resource: Resource::$res,
                answer: Answer::$answer,
                scope: Scope::$scope,
                body: Body::$body,
            };
        )*
        /// Every endpoint, for the conformance tests.
        pub static ALL: &[&Endpoint] = &[$(&$id),*];
    };
}

endpoints! {
    HEALTHZ = "healthz" Get "/healthz" Some("/healthz"), Healthz One None None;

    CREATE_EXPERIMENT = "createExperiment" Post "/experiments" Some("/experiments"), Experiment One None Json;
    GET_EXPERIMENT = "getExperiment" Get "/experiments/{}" Some("/experiments/{}"), Experiment One None None;
    LIST_EXPERIMENTS = "listExperiments" Get "/experiments" Some("/experiments"), Experiment List Namespace None;
    ARCHIVE_EXPERIMENT = "archiveExperiment" Post "/experiments/{}:archive" Some("/experiments/{}:archive"), Experiment Empty None EmptyJson;
    UNARCHIVE_EXPERIMENT = "unarchiveExperiment" Post "/experiments/{}:unarchive" Some("/experiments/{}:unarchive"), Experiment Empty None EmptyJson;
    DELETE_EXPERIMENT = "deleteExperiment" Delete "/experiments/{}" Some("/experiments/{}"), Experiment Empty None None;

    UPLOAD_PIPELINE = "uploadPipeline" Post "/pipelines/upload" Some("/pipelines/upload"), Pipeline One None Upload;
    UPLOAD_PIPELINE_VERSION = "uploadPipelineVersion" Post "/pipelines/upload_version" Some("/pipelines/upload_version"), PipelineVersion One None Upload;
    LIST_PIPELINES = "listPipelines" Get "/pipelines" Some("/pipelines"), Pipeline List Namespace None;
    GET_PIPELINE = "getPipeline" Get "/pipelines/{}" Some("/pipelines/{}"), Pipeline One None None;
    DELETE_PIPELINE = "deletePipeline" Delete "/pipelines/{}" Some("/pipelines/{}"), Pipeline Empty None None;
    LIST_PIPELINE_VERSIONS = "listPipelineVersions" Get "/pipelines/{}/versions" Some("/pipeline_versions"), PipelineVersion List Pipeline None;
    GET_PIPELINE_VERSION = "getPipelineVersion" Get "/pipelines/{}/versions/{}" Some("/pipeline_versions/{}"), PipelineVersion One None None;
    DELETE_PIPELINE_VERSION = "deletePipelineVersion" Delete "/pipelines/{}/versions/{}" Some("/pipeline_versions/{}"), PipelineVersion Empty None None;

    CREATE_RUN = "runPipeline" Post "/runs" Some("/runs"), Run One None Json;
    GET_RUN = "getRun" Get "/runs/{}" Some("/runs/{}"), Run One None None;
    LIST_RUNS = "listRuns" Get "/runs" Some("/runs"), Run List NamespaceOrExperiment None;
    TERMINATE_RUN = "terminateRun" Post "/runs/{}:terminate" Some("/runs/{}/terminate"), Run Empty None EmptyJson;
    RETRY_RUN = "retryRun" Post "/runs/{}:retry" Some("/runs/{}/retry"), Run Empty None EmptyJson;
    ARCHIVE_RUN = "archiveRun" Post "/runs/{}:archive" Some("/runs/{}:archive"), Run Empty None EmptyJson;
    UNARCHIVE_RUN = "unarchiveRun" Post "/runs/{}:unarchive" Some("/runs/{}:unarchive"), Run Empty None EmptyJson;
    DELETE_RUN = "deleteRun" Delete "/runs/{}" Some("/runs/{}"), Run Empty None None;

    CREATE_RECURRING_RUN = "createRecurringRun" Post "/recurringruns" Some("/jobs"), RecurringRun One None Json;
    GET_RECURRING_RUN = "getRecurringRun" Get "/recurringruns/{}" Some("/jobs/{}"), RecurringRun One None None;
    LIST_RECURRING_RUNS = "listRecurringRuns" Get "/recurringruns" Some("/jobs"), RecurringRun List NamespaceOrExperiment None;
    ENABLE_RECURRING_RUN = "enableRecurringRun" Post "/recurringruns/{}:enable" Some("/jobs/{}/enable"), RecurringRun Empty None EmptyJson;
    DISABLE_RECURRING_RUN = "disableRecurringRun" Post "/recurringruns/{}:disable" Some("/jobs/{}/disable"), RecurringRun Empty None EmptyJson;
    DELETE_RECURRING_RUN = "deleteRecurringRun" Delete "/recurringruns/{}" Some("/jobs/{}"), RecurringRun Empty None None;
}

/// The ids a v1beta1 path takes out of the v2 ids: v1's version paths have no pipeline id.
pub fn v1_ids<'a>(endpoint: &Endpoint, ids: &'a [String]) -> &'a [String] {
    match (endpoint.resource, endpoint.v1) {
        (Resource::PipelineVersion, Some(path)) => {
            let wanted = path.matches("{}").count();
            &ids[ids.len().saturating_sub(wanted)..]
        }
        _ => ids,
    }
}

/// The endpoint a JS method name calls.
pub fn by_name(name: &str) -> Option<&'static Endpoint> {
    ALL.iter().copied().find(|e| e.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_arities_match() {
        let mut seen = std::collections::HashSet::new();
        for e in ALL {
            assert!(seen.insert(e.name), "{} twice", e.name);
            if let Some(v1) = e.v1 {
                let v1_arity = v1.matches("{}").count();
                assert!(v1_arity <= e.arity(), "{}", e.name);
                if e.resource != Resource::PipelineVersion {
                    assert_eq!(v1_arity, e.arity(), "{}", e.name);
                }
            }
            assert_eq!(
                e.answer == Answer::List,
                e.method == Method::Get && e.scope != Scope::None
                    || e.name == "listPipelineVersions",
                "{}",
                e.name
            );
        }
        assert_eq!(by_name("listRuns"), Some(&LIST_RUNS));
    }

    #[test]
    fn list_keys() {
        assert_eq!(
            Resource::RecurringRun.list_key(ApiVersion::V2beta1),
            "recurringRuns"
        );
        assert_eq!(Resource::RecurringRun.list_key(ApiVersion::V1beta1), "jobs");
        assert_eq!(
            Resource::PipelineVersion.list_key(ApiVersion::V1beta1),
            "versions"
        );
        assert_eq!(
            TERMINATE_RUN.template(ApiVersion::V1beta1).unwrap(),
            "/apis/v1beta1/runs/{}/terminate"
        );
        let ids = vec!["p".to_owned(), "v".to_owned()];
        assert_eq!(v1_ids(&GET_PIPELINE_VERSION, &ids), &ids[1..]);
        assert_eq!(v1_ids(&GET_RUN, &ids[..1]), &ids[..1]);
    }
}
