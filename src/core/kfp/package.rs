//! Pipeline packages: the YAML (or JSON) the KFP SDK compiles, read the way `kfp.Client` reads
//! them (`sdk/python/kfp/client/client.py`, REPORT §3.4).
//!
//! The first YAML document is the `PipelineSpec`; later documents are platform specs, merged
//! into one `PlatformSpec`. A run embeds the spec as `pipeline_spec`, or, with a non-empty
//! platform spec, as `{"pipeline_spec": ..., "platform_spec": ...}`. Uploads send the bytes
//! unchanged, under a file name whose extension tells the server how to read them.
//!
//! YAML is read by [`super::yaml`] into `serde_json` values, with bounds on depth, size and
//! alias expansion so that a hostile package cannot exhaust memory or the stack.

use serde_json::{Map, Value};

use crate::core::error::Error;

/// The largest package read (the server's own upload limit is 32 MiB).
pub const MAX_PACKAGE_BYTES: usize = 32 * 1024 * 1024;
/// The deepest nesting accepted.
pub(crate) const MAX_DEPTH: usize = 256;
/// The most YAML nodes built, aliases expanded.
pub(crate) const MAX_NODES: usize = 2_000_000;
/// The most documents read.
pub(crate) const MAX_DOCUMENTS: usize = 64;

/// A pipeline package, read.
#[derive(Debug, Clone, PartialEq)]
pub struct PipelinePackage {
    /// The `PipelineSpec` (first document).
    pub pipeline_spec: Value,
    /// The merged `PlatformSpec` of the later documents; `None` when there are none or all are
    /// empty.
    pub platform_spec: Option<Value>,
}

fn invalid(reason: impl Into<String>) -> Error {
    Error::InvalidPipeline {
        reason: reason.into(),
    }
}

/// What the bytes of a package are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PackageFormat {
    Yaml,
    Json,
    Zip,
    TarGz,
}

impl PackageFormat {
    /// Sniffs the format: zip and gzip by their magic bytes, JSON by a leading `{`, else YAML.
    pub fn of(bytes: &[u8]) -> PackageFormat {
        if bytes.starts_with(b"PK\x03\x04") {
            return PackageFormat::Zip;
        }
        if bytes.starts_with(&[0x1f, 0x8b]) {
            return PackageFormat::TarGz;
        }
        let start = bytes
            .iter()
            .position(|b| !b.is_ascii_whitespace())
            .unwrap_or(0);
        if bytes.get(start) == Some(&b'{') {
            PackageFormat::Json
        } else {
            PackageFormat::Yaml
        }
    }

    /// The file name the upload endpoints get: the server picks its reader by the extension.
    pub fn filename(self) -> &'static str {
        match self {
            PackageFormat::Yaml => "pipeline.yaml",
            PackageFormat::Json => "pipeline.json",
            PackageFormat::Zip => "pipeline.zip",
            PackageFormat::TarGz => "pipeline.tar.gz",
        }
    }
}

impl PipelinePackage {
    /// Reads a package from its bytes (YAML with one or more documents, or JSON).
    ///
    /// # Errors
    /// [`Error::InvalidPipeline`] when the bytes are too large, not UTF-8, not YAML/JSON, are an
    /// archive (which only the upload endpoints take), or the first document is not a mapping
    /// with `root` or `pipelineInfo`.
    pub fn parse(bytes: &[u8]) -> Result<PipelinePackage, Error> {
        if bytes.len() > MAX_PACKAGE_BYTES {
            return Err(invalid(format!(
                "it is {} bytes; the limit is {MAX_PACKAGE_BYTES}",
                bytes.len()
            )));
        }
        match PackageFormat::of(bytes) {
            PackageFormat::Zip | PackageFormat::TarGz => {
                return Err(invalid("it is a zip or tar.gz archive; pass the compiled YAML (archives can only be uploaded)"))
            }
            PackageFormat::Json | PackageFormat::Yaml => {}
        }
        let text = std::str::from_utf8(bytes).map_err(|_| invalid("it is not UTF-8 text"))?;
        let mut documents = yaml_documents(text)?.into_iter();
        let pipeline_spec = documents.next().unwrap_or(Value::Null);
        let Value::Object(spec) = &pipeline_spec else {
            return Err(invalid("its first document is not a mapping (expected a PipelineSpec compiled by the KFP SDK)"));
        };
        if !spec.contains_key("root")
            && !spec.contains_key("pipelineInfo")
            && !spec.contains_key("pipeline_info")
        {
            return Err(invalid("its first document has neither root nor pipelineInfo (expected a PipelineSpec compiled by the KFP SDK)"));
        }
        let mut platform = Map::new();
        for doc in documents {
            merge_platform(&mut platform, doc);
        }
        let platform_spec = (!platform.is_empty()).then_some(Value::Object(platform));
        Ok(PipelinePackage {
            pipeline_spec,
            platform_spec,
        })
    }

    /// `pipelineInfo.name`, the pipeline's name in the package.
    pub fn name(&self) -> Option<&str> {
        self.pipeline_spec
            .get("pipelineInfo")
            .or_else(|| self.pipeline_spec.get("pipeline_info"))?
            .get("name")?
            .as_str()
    }

    /// The value of a run's `pipeline_spec`: the spec alone, or with its platform spec.
    pub fn embedded(&self) -> Value {
        match &self.platform_spec {
            None => self.pipeline_spec.clone(),
            Some(platform) => {
                let mut both = Map::new();
                both.insert("pipeline_spec".into(), self.pipeline_spec.clone());
                both.insert("platform_spec".into(), platform.clone());
                Value::Object(both)
            }
        }
    }

    /// Sets `cachingOptions.enableCache` of every task of the root DAG, as `kfp.Client`'s
    /// `enable_caching` does.
    pub fn set_caching(&mut self, enable: bool) {
        let tasks = self
            .pipeline_spec
            .pointer_mut("/root/dag/tasks")
            .and_then(Value::as_object_mut);
        for task in tasks
            .into_iter()
            .flat_map(|t| t.values_mut())
            .filter_map(Value::as_object_mut)
        {
            let options = task
                .entry("cachingOptions")
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(options) = options {
                options.insert("enableCache".into(), Value::Bool(enable));
            }
        }
    }
}

/// Later documents are merged per platform (`platforms.kubernetes...`), as the SDK's
/// `_merge_platform_specs` does at the top level.
fn merge_platform(into: &mut Map<String, Value>, doc: Value) {
    let Value::Object(doc) = doc else { return };
    for (key, value) in doc {
        match (into.get_mut(&key), value) {
            (Some(Value::Object(existing)), Value::Object(more)) => existing.extend(more),
            (_, value) if !value.is_null() => {
                into.insert(key, value);
            }
            _ => {}
        }
    }
}

/// Every document of a YAML stream (JSON is YAML) as JSON values.
///
/// # Errors
/// [`Error::InvalidPipeline`] for a syntax error (with its line), too deep nesting, too many
/// nodes, or a mapping key that is not a scalar.
pub fn yaml_documents(text: &str) -> Result<Vec<Value>, Error> {
    super::yaml::documents(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const SUM: &str = include_str!("../../../tests/fixtures/sum_numbers_pipeline.yaml");
    const PLATFORM: &str =
        include_str!("../../../tests/fixtures/train_with_platform_spec_pipeline.yaml");

    #[test]
    fn reads_the_sdk_fixtures() {
        let sum = PipelinePackage::parse(SUM.as_bytes()).unwrap();
        assert_eq!(sum.name(), Some("sum-numbers"));
        assert_eq!(sum.platform_spec, None);
        assert_eq!(sum.pipeline_spec["schemaVersion"], json!("2.1.0"));
        assert_eq!(
            sum.pipeline_spec
                .pointer("/root/inputDefinitions/parameters/count/defaultValue"),
            Some(&json!(10.0))
        );
        assert_eq!(sum.embedded(), sum.pipeline_spec);
        let command = sum
            .pipeline_spec
            .pointer("/deploymentSpec/executors/exec-make-numbers/container/command/2")
            .unwrap()
            .as_str()
            .unwrap();
        assert!(
            command.starts_with(
                "\nif ! [ -x \"$(command -v pip)\" ]; then\n    python3 -m ensurepip ||"
            ),
            "{command:?}"
        );

        let train = PipelinePackage::parse(PLATFORM.as_bytes()).unwrap();
        assert_eq!(train.name(), Some("train-with-secret"));
        let platform = train.platform_spec.clone().unwrap();
        assert_eq!(platform.pointer("/platforms/kubernetes/deploymentSpec/executors/exec-train/secretAsEnv/0/secretName"), Some(&json!("s3-credentials")));
        let embedded = train.embedded();
        assert_eq!(embedded["pipeline_spec"], train.pipeline_spec);
        assert_eq!(embedded["platform_spec"], platform);
    }

    #[test]
    fn json_packages_and_caching() {
        let text = r#"{"pipelineInfo": {"name": "p"}, "root": {"dag": {"tasks": {"a": {}, "b": {"cachingOptions": {"enableCache": true}}}}}}"#;
        assert_eq!(PackageFormat::of(text.as_bytes()), PackageFormat::Json);
        let mut p = PipelinePackage::parse(text.as_bytes()).unwrap();
        p.set_caching(false);
        assert_eq!(
            p.pipeline_spec
                .pointer("/root/dag/tasks/a/cachingOptions/enableCache"),
            Some(&json!(false))
        );
        assert_eq!(
            p.pipeline_spec
                .pointer("/root/dag/tasks/b/cachingOptions/enableCache"),
            Some(&json!(false))
        );
    }

    #[test]
    fn scalars() {
        let docs = yaml_documents(
            "a: 1\nb: -2.5\nc: '3'\nd: true\ne: ~\nf: 0x1f\ng: 1e3\nh: .inf\ni: 12:30\nj: \"x\"\n",
        )
        .unwrap();
        assert_eq!(
            docs[0],
            json!({"a": 1, "b": -2.5, "c": "3", "d": true, "e": null, "f": 31, "g": 1000.0, "h": ".inf", "i": "12:30", "j": "x"})
        );
        assert_eq!(
            PackageFormat::of(b"PK\x03\x04rest").filename(),
            "pipeline.zip"
        );
        assert_eq!(
            PackageFormat::of(&[0x1f, 0x8b, 8]).filename(),
            "pipeline.tar.gz"
        );
    }

    #[test]
    fn bad_packages() {
        for bad in [
            "",
            "- 1\n- 2\n",
            "just text",
            "a: [1, 2\n",
            "pipelineInfo: {name: x}\n---\n[1]\n",
            "\u{0}\u{1}",
        ] {
            match PipelinePackage::parse(bad.as_bytes()) {
                Err(Error::InvalidPipeline { .. }) => {}
                Ok(p) if bad.starts_with("pipelineInfo") => assert_eq!(p.platform_spec, None),
                other => panic!("{bad:?}: {other:?}"),
            }
        }
        assert!(matches!(
            PipelinePackage::parse(&[0xff, 0xfe, b'a']),
            Err(Error::InvalidPipeline { .. })
        ));
        assert!(matches!(
            PipelinePackage::parse(b"PK\x03\x04"),
            Err(Error::InvalidPipeline { .. })
        ));
    }

    #[test]
    fn hostile_yaml_is_bounded() {
        let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(matches!(
            yaml_documents(&deep),
            Err(Error::InvalidPipeline { .. })
        ));
        // A billion laughs: each level doubles the previous one.
        let mut laughs = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..30 {
            laughs.push_str(&format!("a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n", p = i - 1));
        }
        let started = std::time::Instant::now();
        assert!(matches!(
            yaml_documents(&laughs),
            Err(Error::InvalidPipeline { .. })
        ));
        assert!(started.elapsed().as_secs() < 10);
        let many_docs = "a: 1\n---\n".repeat(200);
        assert!(matches!(
            yaml_documents(&many_docs),
            Err(Error::InvalidPipeline { .. })
        ));
    }
}
