//! Pipeline packages: the YAML (or JSON) the KFP SDK compiles, read the way `kfp.Client` reads
//! them (`sdk/python/kfp/client/client.py`, REPORT §3.4).
//!
//! The first YAML document is the `PipelineSpec`; later documents are platform specs, merged
//! into one `PlatformSpec`. A run embeds the spec as `pipeline_spec`, or, with a non-empty
//! platform spec, as `{"pipeline_spec": ..., "platform_spec": ...}`. Uploads send the bytes
//! unchanged, under a file name whose extension tells the server how to read them.
//!
//! YAML is read with `yaml-rust2`'s event parser into `serde_json` values, with bounds on depth,
//! size and alias expansion so that a hostile package cannot exhaust memory or the stack.

use serde_json::{Map, Number, Value};
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use crate::core::error::Error;

/// The largest package read (the server's own upload limit is 32 MiB).
pub const MAX_PACKAGE_BYTES: usize = 32 * 1024 * 1024;
/// The deepest nesting accepted.
const MAX_DEPTH: usize = 256;
/// The most YAML nodes built, aliases expanded.
const MAX_NODES: usize = 2_000_000;
/// The most documents read.
const MAX_DOCUMENTS: usize = 64;

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
    let mut builder = Builder::default();
    let mut parser = Parser::new_from_str(text);
    parser
        .load(&mut builder, true)
        .map_err(|e| invalid(format!("it is not valid YAML: {e}")))?;
    match builder.error {
        Some(reason) => Err(invalid(reason)),
        None => Ok(builder.documents),
    }
}

enum Frame {
    Seq(Vec<Value>, usize),
    Map(Map<String, Value>, Option<String>, usize),
}

#[derive(Default)]
struct Builder {
    stack: Vec<Frame>,
    documents: Vec<Value>,
    anchors: Vec<(usize, Value)>,
    nodes: usize,
    error: Option<String>,
}

impl Builder {
    fn fail(&mut self, reason: &str) {
        if self.error.is_none() {
            self.error = Some(reason.to_owned());
        }
        self.stack.clear();
    }

    fn count(&mut self, n: usize) -> bool {
        self.nodes = self.nodes.saturating_add(n);
        if self.nodes > MAX_NODES {
            self.fail("it has too many YAML nodes (aliases expanded)");
            return false;
        }
        true
    }

    fn push_value(&mut self, value: Value, anchor: usize) {
        if anchor > 0 && self.anchors.len() < 10_000 {
            self.anchors.push((anchor, value.clone()));
        }
        match self.stack.last_mut() {
            None => {
                if self.documents.len() < MAX_DOCUMENTS {
                    self.documents.push(value);
                } else {
                    self.fail("it has too many YAML documents");
                }
            }
            Some(Frame::Seq(items, _)) => items.push(value),
            Some(Frame::Map(map, key, _)) => match key.take() {
                Some(k) => {
                    map.insert(k, value);
                }
                None => match value {
                    Value::String(s) => *key = Some(s),
                    Value::Number(n) => *key = Some(n.to_string()),
                    Value::Bool(b) => *key = Some(b.to_string()),
                    Value::Null => *key = Some("null".into()),
                    _ => self.fail("it has a mapping key that is not a scalar"),
                },
            },
        }
    }
}

fn node_count(value: &Value) -> usize {
    // Bounded by MAX_NODES through the builder's own count of what it built.
    let mut stack = vec![value];
    let mut n = 0usize;
    while let Some(v) = stack.pop() {
        n += 1;
        match v {
            Value::Array(a) => stack.extend(a.iter()),
            Value::Object(m) => stack.extend(m.values()),
            _ => {}
        }
        if n > MAX_NODES {
            break;
        }
    }
    n
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, _mark: Marker) {
        if self.error.is_some() {
            return;
        }
        match ev {
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _)
                if self.stack.len() >= MAX_DEPTH =>
            {
                let _ = anchor;
                self.fail("it nests deeper than 256 levels");
            }
            Event::SequenceStart(anchor, _) => {
                if self.count(1) {
                    self.stack.push(Frame::Seq(Vec::new(), anchor));
                }
            }
            Event::MappingStart(anchor, _) => {
                if self.count(1) {
                    self.stack.push(Frame::Map(Map::new(), None, anchor));
                }
            }
            Event::SequenceEnd | Event::MappingEnd => match self.stack.pop() {
                Some(Frame::Seq(items, anchor)) => self.push_value(Value::Array(items), anchor),
                Some(Frame::Map(map, _, anchor)) => self.push_value(Value::Object(map), anchor),
                None => self.fail("it has an unbalanced collection"),
            },
            Event::Scalar(text, style, anchor, tag) => {
                if self.count(1) {
                    let quoted = style != TScalarStyle::Plain
                        || tag.as_ref().is_some_and(|t| t.suffix == "str");
                    let value = if quoted {
                        Value::String(text)
                    } else {
                        plain_scalar(text)
                    };
                    self.push_value(value, anchor);
                }
            }
            Event::Alias(id) => {
                let found = self
                    .anchors
                    .iter()
                    .rev()
                    .find(|(a, _)| *a == id)
                    .map(|(_, v)| v.clone());
                match found {
                    Some(value) => {
                        if self.count(node_count(&value)) {
                            self.push_value(value, 0);
                        }
                    }
                    None => self.fail("it refers to an unknown YAML anchor"),
                }
            }
            Event::Nothing
            | Event::StreamStart
            | Event::StreamEnd
            | Event::DocumentStart
            | Event::DocumentEnd => {}
        }
    }
}

/// A plain scalar by the YAML 1.2 core schema: null, booleans, integers, floats, else a string.
fn plain_scalar(text: String) -> Value {
    match text.as_str() {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    let digits = text.strip_prefix(['-', '+']).unwrap_or(&text);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        if let Ok(n) = text.parse::<i64>() {
            return Value::Number(n.into());
        }
    }
    if let Some(hex) = text.strip_prefix("0x") {
        if let Ok(n) = i64::from_str_radix(hex, 16) {
            return Value::Number(n.into());
        }
    }
    if let Some(oct) = text.strip_prefix("0o") {
        if let Ok(n) = i64::from_str_radix(oct, 8) {
            return Value::Number(n.into());
        }
    }
    let looks_float = digits.bytes().any(|b| b.is_ascii_digit())
        && digits
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+'));
    if looks_float {
        if let Some(n) = text.parse::<f64>().ok().and_then(Number::from_f64) {
            return Value::Number(n);
        }
    }
    // .inf and .nan have no JSON form; kept as text.
    Value::String(text)
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
