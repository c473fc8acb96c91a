//! Every request the client can make, checked against the official KFP swagger specs.
//!
//! For each endpoint of [`endpoint::ALL`] and each API version it has a path in, the test builds
//! the requests the binding builds (ids, every list parameter, the bodies of
//! [`kfp_wasm::core::kfp::bodies`], uploads with the query keys of `src/wasm/api.rs`) and checks
//! them against the spec of that version:
//!
//! 1. the path (after the base URL's `/pipeline`) matches a path template of the spec, and that
//!    template declares the request's method;
//! 2. every query parameter sent is declared `in: query` for that operation, with a value of the
//!    declared type and enum (the `filter` value is decoded twice, as the server does, and
//!    validated against the `Filter` schema);
//! 3. a JSON body validates against the operation's body schema, unknown fields being errors
//!    (the server rejects them); an operation without a body parameter gets no body or `{}`;
//! 4. a multipart upload goes to an operation that consumes `multipart/form-data`, in a part
//!    named after its `formData` file parameter (`uploadfile`).
//!
//! Specs (unmodified copies from kubeflow/pipelines; see `fixtures/swagger/SOURCE.md`):
//! - `fixtures/swagger/v2beta1/kfp_api_single_file.swagger.json`: v2beta1 at tag 2.3.0;
//! - `fixtures/swagger/v1beta1/kfp_api_single_file.swagger.json`: v1beta1 at tag 2.3.0, plus
//!   `v1beta1/filter.swagger.json` (the single file lacks `apiFilter`);
//! - `fixtures/swagger/2.17.0/v2beta1/kfp_api_single_file.swagger.json`: only for the query
//!   parameters that exist from KFP 2.14 on ([`NEWER_SERVER_PARAMS`]).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Value};

use kfp_wasm::core::http::{HttpRequest, Method};
use kfp_wasm::core::kfp::bodies::{self, PipelineSource, RunSpec, Schedule};
use kfp_wasm::core::kfp::endpoint::{self, Answer, Body, Endpoint, Resource, ALL};
use kfp_wasm::core::kfp::package::{PackageFormat, PipelinePackage};
use kfp_wasm::core::kfp::{ApiBase, ApiCall, ApiVersion, ListParams, Upload};

const V2BETA1: &str = include_str!("fixtures/swagger/v2beta1/kfp_api_single_file.swagger.json");
const V1BETA1: &str = include_str!("fixtures/swagger/v1beta1/kfp_api_single_file.swagger.json");
const V1BETA1_FILTER: &str = include_str!("fixtures/swagger/v1beta1/filter.swagger.json");
const V2BETA1_2_17: &str =
    include_str!("fixtures/swagger/2.17.0/v2beta1/kfp_api_single_file.swagger.json");

const SUM_NUMBERS: &[u8] = include_bytes!("fixtures/sum_numbers_pipeline.yaml");
const WITH_PLATFORM_SPEC: &[u8] = include_bytes!("fixtures/train_with_platform_spec_pipeline.yaml");

const API_URL: &str = "https://kf.example.com/pipeline";
const BASE_PATH: &str = "/pipeline";

/// The number of endpoints in `ALL` when this test was written. Adding one is fine: the checks
/// below cover it by its `Body`, `Answer` and `Scope` (and fail for a JSON body or upload they do
/// not know how to build); bump this number once the new endpoint's requests pass.
const EXPECTED_ENDPOINTS: usize = 29;

/// Query parameters that the 2.3.0 spec does not declare and that the client sends only when the
/// caller asks for them, for servers from KFP 2.14 on. They are checked against the 2.17.0
/// v2beta1 spec instead (and [`newer_server_params_are_declared_from_2_17_only`] checks that the
/// 2.3.0 spec really lacks them):
/// - `cascade` on DeletePipeline (`deletePipeline(id, {cascade: true})`), KFP 2.14+;
/// - `display_name` on UploadPipeline (`uploadPipeline(p, {displayName})`), KFP 2.14+; a 2.3.0
///   server ignores it (its upload handler reads only `name`, `description`, `namespace`).
///
/// Only for v2beta1: v1beta1 declares neither in any spec (2.3.0 or 2.17.0).
const NEWER_SERVER_PARAMS: &[(&str, &str)] = &[
    ("deletePipeline", "cascade"),
    ("uploadPipeline", "display_name"),
];

// ---------------------------------------------------------------------------------------------
// Specs
// ---------------------------------------------------------------------------------------------

struct Spec {
    version: ApiVersion,
    doc: Value,
    /// The document holding the `Filter` definition, and its name.
    filter_doc: Value,
    filter_definition: &'static str,
}

fn parse(text: &str, what: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{what}: {e}"))
}

fn spec(version: ApiVersion) -> Spec {
    match version {
        ApiVersion::V2beta1 => Spec {
            version,
            doc: parse(V2BETA1, "v2beta1 swagger"),
            filter_doc: parse(V2BETA1, "v2beta1 swagger"),
            filter_definition: "v2beta1Filter",
        },
        ApiVersion::V1beta1 => Spec {
            version,
            doc: parse(V1BETA1, "v1beta1 swagger"),
            filter_doc: parse(V1BETA1_FILTER, "v1beta1 filter swagger"),
            filter_definition: "apiFilter",
        },
    }
}

fn spec_2_17() -> Value {
    parse(V2BETA1_2_17, "2.17.0 v2beta1 swagger")
}

/// One piece of a path-template segment: `{run_id}:terminate` is `[Param("run_id"), Literal(":terminate")]`.
#[derive(Debug, PartialEq)]
enum Piece<'a> {
    Literal(&'a str),
    Param(&'a str),
}

fn pieces(segment: &str) -> Vec<Piece<'_>> {
    let mut out = Vec::new();
    let mut rest = segment;
    while !rest.is_empty() {
        match rest.find('{') {
            Some(0) => {
                let close = rest
                    .find('}')
                    .unwrap_or_else(|| panic!("unclosed {{ in template segment {segment:?}"));
                out.push(Piece::Param(&rest[1..close]));
                rest = &rest[close + 1..];
            }
            Some(open) => {
                out.push(Piece::Literal(&rest[..open]));
                rest = &rest[open..];
            }
            None => {
                out.push(Piece::Literal(rest));
                rest = "";
            }
        }
    }
    out
}

/// Matches one path segment; a parameter takes a non-empty part of the segment, so
/// `{run_id}:terminate` matches `r1:terminate` with `run_id = r1`.
fn match_segment(pieces: &[Piece<'_>], segment: &str) -> Option<Vec<(String, String)>> {
    match pieces.split_first() {
        None => segment.is_empty().then(Vec::new),
        Some((Piece::Literal(literal), rest)) => {
            match_segment(rest, segment.strip_prefix(literal)?)
        }
        Some((Piece::Param(name), rest)) => {
            // Longest first, never empty; the segment is ASCII (percent-encoded), but stay on
            // char boundaries.
            let ends: Vec<usize> = segment
                .char_indices()
                .map(|(i, _)| i)
                .skip(1)
                .chain([segment.len()])
                .filter(|&end| end > 0)
                .collect();
            for end in ends.into_iter().rev() {
                if let Some(mut params) = match_segment(rest, &segment[end..]) {
                    params.insert(0, ((*name).to_owned(), segment[..end].to_owned()));
                    return Some(params);
                }
            }
            None
        }
    }
}

/// The path parameters when `path` matches `template`, with the number of literal characters of
/// the template (the more, the more specific).
fn match_template(template: &str, path: &str) -> Option<(usize, Vec<(String, String)>)> {
    let template_segments: Vec<&str> = template.split('/').collect();
    let path_segments: Vec<&str> = path.split('/').collect();
    if template_segments.len() != path_segments.len() {
        return None;
    }
    let mut literal_chars = 0;
    let mut params = Vec::new();
    for (t, p) in template_segments.iter().zip(&path_segments) {
        let t = pieces(t);
        literal_chars += t
            .iter()
            .map(|piece| {
                if let Piece::Literal(l) = piece {
                    l.len()
                } else {
                    0
                }
            })
            .sum::<usize>();
        params.extend(match_segment(&t, p)?);
    }
    Some((literal_chars, params))
}

struct Operation<'a> {
    template: &'a str,
    op: &'a Value,
    path_params: Vec<(String, String)>,
}

impl Operation<'_> {
    fn id(&self) -> &str {
        self.op["operationId"]
            .as_str()
            .unwrap_or("(no operationId)")
    }

    fn parameters(&self, location: &str) -> Vec<&Value> {
        self.op["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|p| p["in"] == location)
            .collect()
    }

    fn query_param(&self, name: &str) -> Option<&Value> {
        self.parameters("query")
            .into_iter()
            .find(|p| p["name"] == name)
    }

    fn names(&self, location: &str) -> String {
        let names: Vec<&str> = self
            .parameters(location)
            .iter()
            .filter_map(|p| p["name"].as_str())
            .collect();
        if names.is_empty() {
            "none".into()
        } else {
            names.join(", ")
        }
    }
}

fn method_key(method: Method) -> String {
    method.as_str().to_ascii_lowercase()
}

/// A path template that matches: its specificity, the template, and the path parameters.
type TemplateMatch<'a> = (usize, &'a String, Vec<(String, String)>);

/// The operation of the most specific path template matching `path` that declares `method`.
fn find_operation<'a>(doc: &'a Value, path: &str, method: Method) -> Result<Operation<'a>, String> {
    let paths = doc["paths"].as_object().expect("swagger without paths");
    let matches: Vec<TemplateMatch> = paths
        .keys()
        .filter_map(|template| {
            match_template(template, path).map(|(score, params)| (score, template, params))
        })
        .collect();
    let Some(best) = matches.iter().map(|(score, ..)| *score).max() else {
        return Err(format!("no swagger path template matches the path {path}"));
    };
    let candidates: Vec<&TemplateMatch> = matches
        .iter()
        .filter(|(score, ..)| *score == best)
        .collect();
    for &&(_, template, ref params) in &candidates {
        if let Some(op) = paths[template.as_str()].get(method_key(method)) {
            return Ok(Operation {
                template: template.as_str(),
                op,
                path_params: params.clone(),
            });
        }
    }
    let declared: Vec<String> = candidates
        .iter()
        .map(|(_, template, _)| {
            let methods: Vec<String> = paths[template.as_str()]
                .as_object()
                .map(|m| m.keys().map(|k| k.to_ascii_uppercase()).collect())
                .unwrap_or_default();
            format!("{template} ({})", methods.join(", "))
        })
        .collect();
    Err(format!(
        "the path {path} matches {} but {} is not declared there",
        declared.join(" and "),
        method.as_str()
    ))
}

// ---------------------------------------------------------------------------------------------
// Schema validation (swagger 2.0, as protoc-gen-openapiv2 writes it)
// ---------------------------------------------------------------------------------------------

/// Where a schema is used: protoc-gen-openapiv2 writes both `google.protobuf.Struct` and
/// `google.protobuf.Value` as a bare `{"type": "object"}`. In the KFP request schemas a bare
/// object as a field is a Struct (`pipeline_spec`: any JSON object) and as the value schema of
/// `additionalProperties` a Value (`runtime_config.parameters`, a `map<string, Value>`: any JSON).
#[derive(Clone, Copy, PartialEq)]
enum Position {
    Field,
    MapValue,
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`, as protojson parses a Timestamp.
fn is_rfc3339(text: &str) -> bool {
    let b = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| {
        range
            .clone()
            .all(|i| b.get(i).is_some_and(u8::is_ascii_digit))
    };
    if !(b.len() >= 20
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10))
    {
        return false;
    }
    if !(b[10] == b'T'
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19))
    {
        return false;
    }
    let mut i = 19;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start {
            return false;
        }
    }
    match b.get(i) {
        Some(b'Z') => i + 1 == b.len(),
        Some(b'+' | b'-') => {
            i + 6 == b.len() && digits(i + 1..i + 3) && b[i + 3] == b':' && digits(i + 4..i + 6)
        }
        _ => false,
    }
}

fn validate(
    doc: &Value,
    schema: &Value,
    value: &Value,
    at: &str,
    position: Position,
    errors: &mut Vec<String>,
) {
    let mut error = |message: String| errors.push(format!("`{at}`: {message}"));
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let Some(name) = reference.strip_prefix("#/definitions/") else {
            return error(format!("unsupported $ref {reference}"));
        };
        // Well-known types: Any and Value hold any JSON, Struct any object, ListValue any array.
        match name {
            "protobufAny" | "protobufValue" => return,
            "protobufStruct" => {
                if !value.is_object() {
                    error(format!(
                        "expected an object (google.protobuf.Struct), got {}",
                        json_type(value)
                    ));
                }
                return;
            }
            "protobufListValue" => {
                if !value.is_array() {
                    error(format!(
                        "expected an array (google.protobuf.ListValue), got {}",
                        json_type(value)
                    ));
                }
                return;
            }
            _ => {}
        }
        let Some(definition) = doc["definitions"].get(name) else {
            return error(format!("$ref {reference} is not in the definitions"));
        };
        return validate(doc, definition, value, at, Position::Field, errors);
    }
    let kind = schema.get("type").and_then(Value::as_str);
    let kind = match kind {
        Some(kind) => kind,
        None if schema.get("properties").is_some() => "object",
        // `{}`: anything.
        None => return,
    };
    let bare_object = kind == "object"
        && schema.get("properties").is_none()
        && schema.get("additionalProperties").is_none();
    // A bare object in a map is a google.protobuf.Value, which may be null.
    if value.is_null() && !(bare_object && position == Position::MapValue) {
        return error(format!("null where the schema wants {kind}"));
    }
    match kind {
        "object" => {
            let properties = schema.get("properties").and_then(Value::as_object);
            let additional = schema.get("additionalProperties");
            if properties.is_none() && additional.is_none() {
                if position == Position::Field && !value.is_object() {
                    error(format!(
                        "expected an object (google.protobuf.Struct), got {}",
                        json_type(value)
                    ));
                }
                return;
            }
            let Value::Object(object) = value else {
                return error(format!("expected an object, got {}", json_type(value)));
            };
            for (key, field) in object {
                let inner = format!("{at}.{key}");
                if let Some(field_schema) = properties.and_then(|p| p.get(key)) {
                    validate(doc, field_schema, field, &inner, Position::Field, errors);
                } else if let Some(additional) = additional.filter(|a| a.is_object()) {
                    validate(doc, additional, field, &inner, Position::MapValue, errors);
                } else {
                    let known: Vec<&str> = properties
                        .into_iter()
                        .flat_map(|p| p.keys().map(String::as_str))
                        .collect();
                    errors.push(format!(
                        "`{inner}`: unknown field (the schema declares: {})",
                        known.join(", ")
                    ));
                }
            }
        }
        "array" => {
            let Value::Array(items) = value else {
                return error(format!("expected an array, got {}", json_type(value)));
            };
            let item_schema = schema.get("items").cloned().unwrap_or(json!({}));
            for (index, item) in items.iter().enumerate() {
                validate(
                    doc,
                    &item_schema,
                    item,
                    &format!("{at}[{index}]"),
                    Position::Field,
                    errors,
                );
            }
        }
        "string" => {
            let format = schema
                .get("format")
                .and_then(Value::as_str)
                .unwrap_or_default();
            match (format, value) {
                // protojson takes 64-bit integers as strings or numbers.
                ("int64", Value::String(s)) if s.parse::<i64>().is_ok() => {}
                ("uint64", Value::String(s)) if s.parse::<u64>().is_ok() => {}
                ("int64", Value::Number(n)) if n.is_i64() => {}
                ("uint64", Value::Number(n)) if n.is_u64() => {}
                ("int64" | "uint64", other) => error(format!(
                    "expected a {format} (a string or number of digits), got {other}"
                )),
                ("date-time", Value::String(s)) if is_rfc3339(s) => {}
                ("date-time", other) => error(format!(
                    "expected an RFC 3339 date-time string, got {other}"
                )),
                (_, Value::String(s)) => {
                    if let Some(allowed) = schema.get("enum").and_then(Value::as_array) {
                        if !allowed.iter().any(|a| a == s) {
                            error(format!(
                                "{s:?} is not one of the enum values {}",
                                Value::Array(allowed.clone())
                            ));
                        }
                    }
                }
                (_, other) => error(format!("expected a string, got {}", json_type(other))),
            }
        }
        "integer" => match value {
            Value::Number(n) if n.is_i64() || n.is_u64() => {}
            Value::String(s) if s.parse::<i64>().is_ok() => {}
            other => error(format!("expected an integer, got {other}")),
        },
        "number" => match value {
            Value::Number(_) => {}
            Value::String(s) if s.parse::<f64>().is_ok() => {}
            other => error(format!("expected a number, got {other}")),
        },
        "boolean" => {
            if !value.is_boolean() {
                error(format!("expected a boolean, got {}", json_type(value)));
            }
        }
        other => error(format!("unsupported schema type {other:?}")),
    }
}

/// Go's `url.QueryUnescape`, the server's second decoding of `filter`.
fn query_unescape(text: &str) -> Result<String, String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                out.push(hex.ok_or_else(|| format!("bad escape at {i} in {text:?}"))?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|e| e.to_string())
}

/// A value for a (non-body) parameter: its declared type, format and enum.
fn check_parameter_value(param: &Value, value: &str) -> Result<(), String> {
    let kind = param["type"].as_str().unwrap_or("string");
    let format = param["format"].as_str().unwrap_or_default();
    let ok = match (kind, format) {
        ("integer", "int64") | ("string", "int64") => value.parse::<i64>().is_ok(),
        ("integer", "uint64") | ("string", "uint64") => value.parse::<u64>().is_ok(),
        ("integer", "int32") => value.parse::<i32>().is_ok(),
        ("integer", _) => value.parse::<i64>().is_ok(),
        ("number", _) => value.parse::<f64>().is_ok(),
        ("boolean", _) => value == "true" || value == "false",
        ("string", _) => true,
        (other, _) => return Err(format!("unsupported parameter type {other:?}")),
    };
    if !ok {
        return Err(format!(
            "{value:?} is not a {kind}{}",
            if format.is_empty() {
                String::new()
            } else {
                format!(" ({format})")
            }
        ));
    }
    if let Some(allowed) = param["enum"].as_array() {
        if !allowed.iter().any(|a| a == value) {
            return Err(format!(
                "{value:?} is not one of the enum values {}",
                Value::Array(allowed.clone())
            ));
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Checking one request
// ---------------------------------------------------------------------------------------------

struct Checked {
    /// `(endpoint, version)` pairs with at least one checked request.
    covered: BTreeSet<(&'static str, &'static str)>,
    requests: usize,
    /// `(endpoint, query key)` sent and checked against the 2.17.0 spec.
    newer_params_sent: BTreeSet<(&'static str, String)>,
    errors: Vec<String>,
}

fn percent_decode_segment(segment: &str) -> String {
    // Path segments are decoded by the server without the `+` rule.
    query_unescape(&segment.replace('+', "%2B")).unwrap_or_else(|_| segment.to_owned())
}

fn check_request(
    spec: &Spec,
    newer: &Value,
    e: &'static Endpoint,
    label: &str,
    call: &ApiCall,
    out: &mut Checked,
) {
    let version = spec.version.as_str();
    let context = format!("{} ({version}, {label})", e.name);
    let mut errors: Vec<String> = Vec::new();
    let request: HttpRequest = match call.build(&ApiBase::parse(API_URL).unwrap(), spec.version) {
        Ok(request) => request,
        Err(err) => {
            out.errors
                .push(format!("{context}: the request does not build: {err:?}"));
            return;
        }
    };
    out.requests += 1;
    out.covered.insert((e.name, version));

    // 1. Path and method.
    let Some(path) = request.url.path().strip_prefix(BASE_PATH) else {
        out.errors.push(format!(
            "{context}: the path {} is not under the base path {BASE_PATH}",
            request.url.path()
        ));
        return;
    };
    let operation = match find_operation(&spec.doc, path, request.method) {
        Ok(operation) => operation,
        Err(message) => {
            out.errors.push(format!(
                "{context}: {} {}: {message}",
                request.method.as_str(),
                request.url
            ));
            return;
        }
    };
    let declared_path_params: Vec<&str> = operation
        .parameters("path")
        .iter()
        .filter_map(|p| p["name"].as_str())
        .collect();
    let ids: Vec<String> = call.ids.iter().map(|(_, id)| id.clone()).collect();
    let expected_ids = match spec.version {
        ApiVersion::V2beta1 => &ids[..],
        ApiVersion::V1beta1 => endpoint::v1_ids(e, &ids),
    };
    let sent_ids: Vec<String> = operation
        .path_params
        .iter()
        .map(|(_, v)| percent_decode_segment(v))
        .collect();
    if sent_ids != expected_ids {
        errors.push(format!(
            "path parameters of {} are {:?}, expected the ids {:?}",
            operation.template, operation.path_params, expected_ids
        ));
    }
    for (name, value) in &operation.path_params {
        if !declared_path_params.contains(&name.as_str()) {
            errors.push(format!(
                "path parameter `{name}` of {} is not declared `in: path` for {}",
                operation.template,
                operation.id()
            ));
        }
        // An unencoded `:` would be read as the start of a `:verb`.
        if value.contains(':') || value.contains('/') {
            errors.push(format!(
                "path parameter `{name}` = {value:?} is not encoded as one segment"
            ));
        }
    }

    // 2. Query parameters.
    let mut seen = BTreeSet::new();
    for (key, value) in request.url.query_pairs() {
        let key = key.into_owned();
        if !seen.insert(key.clone()) {
            errors.push(format!("query parameter `{key}` is sent twice"));
        }
        let param = match operation.query_param(&key) {
            Some(param) => param,
            None if spec.version == ApiVersion::V2beta1
                && NEWER_SERVER_PARAMS.contains(&(e.name, key.as_str())) =>
            {
                // Declared only from KFP 2.14 on: check against the 2.17.0 spec.
                match find_operation(newer, path, request.method) {
                    Ok(newer_op) => match newer_op.query_param(&key) {
                        Some(param) => {
                            out.newer_params_sent.insert((e.name, key.clone()));
                            if let Err(message) = check_parameter_value(param, &value) {
                                errors.push(format!(
                                    "query parameter `{key}` (2.17.0 spec of {}): {message}",
                                    newer_op.id()
                                ));
                            }
                            continue;
                        }
                        None => {
                            errors.push(format!(
                                "query parameter `{key}` is declared neither for {} in 2.3.0 ({}) nor for {} in 2.17.0 ({})",
                                operation.id(),
                                operation.names("query"),
                                newer_op.id(),
                                newer_op.names("query")
                            ));
                            continue;
                        }
                    },
                    Err(message) => {
                        errors.push(format!("query parameter `{key}`: the 2.17.0 spec has no such operation: {message}"));
                        continue;
                    }
                }
            }
            None => {
                errors.push(format!(
                    "query parameter `{key}` is not declared for {} {} (declared query parameters: {})",
                    operation.id(),
                    operation.template,
                    operation.names("query")
                ));
                continue;
            }
        };
        if let Err(message) = check_parameter_value(param, &value) {
            errors.push(format!("query parameter `{key}`: {message}"));
        }
        if key == "filter" {
            match query_unescape(&value).map_err(|e| e.to_string()).and_then(|text| serde_json::from_str::<Value>(&text).map_err(|e| format!("{e} in {text:?}"))) {
                Ok(filter) => {
                    let schema = json!({ "$ref": format!("#/definitions/{}", spec.filter_definition) });
                    validate(&spec.filter_doc, &schema, &filter, "filter", Position::Field, &mut errors);
                }
                Err(message) => errors.push(format!("query parameter `filter` is not JSON after the server's second decoding: {message}")),
            }
        }
    }

    // 3. and 4. Body.
    let body_params = operation.parameters("body");
    let form_params = operation.parameters("formData");
    let content_type = request
        .headers
        .get("content-type")
        .unwrap_or_default()
        .to_owned();
    match &request.body {
        None => {
            for p in body_params.iter().chain(&form_params) {
                if p["required"] == true {
                    errors.push(format!(
                        "no body, but {} requires the {} parameter `{}`",
                        operation.id(),
                        p["in"].as_str().unwrap_or_default(),
                        p["name"].as_str().unwrap_or_default()
                    ));
                }
            }
        }
        Some(bytes) if content_type == "application/json" => {
            if request.method == Method::Get {
                errors.push("a GET request with a body".into());
            }
            if !form_params.is_empty() {
                errors.push(format!(
                    "a JSON body, but {} takes multipart/form-data ({})",
                    operation.id(),
                    operation.names("formData")
                ));
            }
            match serde_json::from_slice::<Value>(bytes) {
                Err(err) => errors.push(format!("the body is not JSON: {err}")),
                Ok(body) => match body_params.first() {
                    Some(param) => validate(
                        &spec.doc,
                        &param["schema"],
                        &body,
                        "body",
                        Position::Field,
                        &mut errors,
                    ),
                    None if body == json!({}) => {}
                    None => errors.push(format!(
                        "{} declares no body parameter, but the request sends {body}",
                        operation.id()
                    )),
                },
            }
        }
        Some(bytes) if content_type.starts_with("multipart/form-data") => {
            let consumes = operation
                .op
                .get("consumes")
                .or_else(|| spec.doc.get("consumes"));
            if !consumes
                .and_then(Value::as_array)
                .is_some_and(|c| c.iter().any(|t| t == "multipart/form-data"))
            {
                errors.push(format!(
                    "{} does not consume multipart/form-data (consumes: {})",
                    operation.id(),
                    consumes.cloned().unwrap_or(Value::Null)
                ));
            }
            match multipart_parts(&content_type, bytes) {
                Err(message) => errors.push(message),
                Ok(parts) => {
                    for part in &parts {
                        match form_params.iter().find(|p| p["name"] == part.name.as_str()) {
                            None => errors.push(format!(
                                "form part `{}` is not a formData parameter of {} ({})",
                                part.name,
                                operation.id(),
                                operation.names("formData")
                            )),
                            Some(p) if p["type"] == "file" && part.filename.is_none() => errors
                                .push(format!(
                                    "form part `{}` is a file parameter but has no filename",
                                    part.name
                                )),
                            Some(_) => {}
                        }
                    }
                    for p in &form_params {
                        if p["required"] == true
                            && !parts.iter().any(|part| p["name"] == part.name.as_str())
                        {
                            errors.push(format!(
                                "the required formData parameter `{}` of {} is missing",
                                p["name"].as_str().unwrap_or_default(),
                                operation.id()
                            ));
                        }
                    }
                }
            }
        }
        Some(_) => errors.push(format!(
            "a body with the unexpected content-type {content_type:?}"
        )),
    }

    for message in errors {
        out.errors.push(format!(
            "{context}: {} {}: {message}",
            request.method.as_str(),
            request.url
        ));
    }
}

struct Part {
    name: String,
    filename: Option<String>,
}

/// The parts of a `multipart/form-data` body: their `Content-Disposition` names and filenames.
fn multipart_parts(content_type: &str, body: &[u8]) -> Result<Vec<Part>, String> {
    let boundary = content_type
        .split(';')
        .find_map(|p| p.trim().strip_prefix("boundary="))
        .map(|b| b.trim_matches('"').to_owned())
        .ok_or_else(|| format!("no boundary in content-type {content_type:?}"))?;
    let text = String::from_utf8_lossy(body);
    let delimiter = format!("--{boundary}");
    let mut sections = text.split(delimiter.as_str());
    if sections.next() != Some("") {
        return Err("the multipart body does not start with its boundary".into());
    }
    let mut parts = Vec::new();
    let mut closed = false;
    for section in sections {
        if section.starts_with("--") {
            closed = true;
            break;
        }
        let section = section
            .strip_prefix("\r\n")
            .ok_or("a multipart boundary is not followed by CRLF")?;
        let (headers, _content) = section
            .split_once("\r\n\r\n")
            .ok_or("a multipart part has no blank line after its headers")?;
        let disposition = headers
            .split("\r\n")
            .find_map(|h| {
                h.split_once(':')
                    .filter(|(name, _)| name.eq_ignore_ascii_case("content-disposition"))
                    .map(|(_, v)| v.trim().to_owned())
            })
            .ok_or("a multipart part has no Content-Disposition")?;
        let field = |key: &str| {
            disposition.split(';').find_map(|p| {
                p.trim()
                    .strip_prefix(&format!("{key}="))
                    .map(|v| v.trim_matches('"').to_owned())
            })
        };
        if !disposition.starts_with("form-data") {
            return Err(format!("a multipart part is not form-data: {disposition}"));
        }
        parts.push(Part {
            name: field("name").ok_or("a multipart part has no name")?,
            filename: field("filename"),
        });
    }
    if !closed {
        return Err("the multipart body has no closing boundary".into());
    }
    Ok(parts)
}

// ---------------------------------------------------------------------------------------------
// The requests the client makes
// ---------------------------------------------------------------------------------------------

const EXPERIMENT_ID: &str = "0b9c4a3e-6f1d-4c2a-9e57-3a8d2f1b6c40";
const PIPELINE_ID: &str = "5d2f7e10-8a3b-4c9d-b1e2-7f6a5c4d3e21";
const VERSION_ID: &str = "9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b";
const RUN_ID: &str = "3c1e5a7b-9d2f-4b6e-8a1c-5e7d9b2f4a6c";
const RECURRING_RUN_ID: &str = "7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d";

fn ids(e: &Endpoint) -> Vec<(&'static str, &'static str)> {
    let one = |id| vec![("id", id)];
    match (e.resource, e.arity()) {
        (_, 0) => vec![],
        (Resource::PipelineVersion, 1) => vec![("pipelineId", PIPELINE_ID)],
        (Resource::PipelineVersion, 2) => {
            vec![("pipelineId", PIPELINE_ID), ("versionId", VERSION_ID)]
        }
        (Resource::Experiment, 1) => one(EXPERIMENT_ID),
        (Resource::Pipeline, 1) => one(PIPELINE_ID),
        (Resource::Run, 1) => one(RUN_ID),
        (Resource::RecurringRun, 1) => one(RECURRING_RUN_ID),
        (resource, n) => panic!(
            "{}: {n} ids for {resource:?}; teach tests/swagger.rs `ids` about it",
            e.name
        ),
    }
}

/// A filter for the resource, with keys the v1 conversion renames (`display_name`, the id,
/// `state`), as a user writes it with `op` (renamed to `operation` for v2beta1).
fn filter_for(resource: Resource) -> Value {
    let mut predicates = vec![
        json!({"key": "display_name", "op": "IS_SUBSTRING", "string_value": "nightly + 100%"}),
        json!({"key": "created_at", "op": "GREATER_THAN", "timestamp_value": "2024-01-01T00:00:00Z"}),
        json!({"key": resource.id_field(), "op": "IN", "string_values": {"values": ["a", "b"]}}),
    ];
    if resource == Resource::Run {
        predicates.push(json!({"key": "state", "op": "IN", "string_values": {"values": ["SUCCEEDED", "CANCELED"]}}));
    }
    if matches!(resource, Resource::Experiment | Resource::Run) {
        predicates
            .push(json!({"key": "storage_state", "op": "EQUALS", "string_value": "AVAILABLE"}));
    }
    json!({ "predicates": predicates })
}

fn list_variants(e: &Endpoint) -> Vec<(String, ListParams)> {
    let everything = |namespace: Option<&str>, experiment: Option<&str>| ListParams {
        namespace: namespace.map(Into::into),
        experiment_id: experiment.map(Into::into),
        page_size: Some(50),
        page_token: Some("eyJTb3J0QnlGaWVsZE5hbWUiOiJDcmVhdGVkQXRJblNlYyJ9+/=".into()),
        sort_by: Some("created_at desc".into()),
        filter: Some(filter_for(e.resource)),
    };
    vec![
        ("no list params".into(), ListParams::default()),
        (
            "namespace and every list param".into(),
            everything(Some("kubeflow-user-example-com"), None),
        ),
        // The experiment wins over the namespace where the scope takes one; elsewhere it is dropped.
        (
            "experiment_id, namespace and every list param".into(),
            everything(Some("kubeflow-user-example-com"), Some(EXPERIMENT_ID)),
        ),
        (
            "page_size 0 and a filter as a JSON string with `operation`".into(),
            ListParams {
                page_size: Some(0),
                filter: Some(json!(
                    r#"{"predicates":[{"key":"display_name","operation":"EQUALS","string_value":"my pipeline"}]}"#
                )),
                ..ListParams::default()
            },
        ),
    ]
}

fn package(bytes: &[u8]) -> PipelinePackage {
    PipelinePackage::parse(bytes).expect("fixture pipeline parses")
}

/// The run specs of `runPipeline`, `createRunFromPipelinePackage` and `createRecurringRun`.
fn run_specs() -> Vec<(&'static str, RunSpec)> {
    let parameters = json!({"count": 3, "scale": 0.5, "name": "a b", "flags": [true, false], "nested": {"k": [1, {"x": null}]}, "none": null});
    let full = RunSpec {
        display_name: "sum-numbers 2024-01-01 00-00-00".into(),
        description: Some("nightly".into()),
        experiment_id: Some(EXPERIMENT_ID.into()),
        pipeline: Some(PipelineSource::Version {
            pipeline_id: PIPELINE_ID.into(),
            version_id: Some(VERSION_ID.into()),
        }),
        parameters: parameters.as_object().cloned(),
        pipeline_root: Some("minio://mlpipeline/v2/artifacts".into()),
        service_account: Some("default-editor".into()),
    };
    let latest_version = RunSpec {
        display_name: "latest".into(),
        experiment_id: Some(EXPERIMENT_ID.into()),
        pipeline: Some(PipelineSource::Version {
            pipeline_id: PIPELINE_ID.into(),
            version_id: None,
        }),
        ..RunSpec::default()
    };
    let mut cached = package(SUM_NUMBERS);
    cached.set_caching(false);
    let embedded = RunSpec {
        display_name: "embedded".into(),
        experiment_id: Some(EXPERIMENT_ID.into()),
        pipeline: Some(PipelineSource::Embedded(cached.embedded())),
        parameters: json!({"count": 4, "scale": 2.0}).as_object().cloned(),
        ..RunSpec::default()
    };
    let with_platform = RunSpec {
        display_name: "embedded with platform spec".into(),
        experiment_id: Some(EXPERIMENT_ID.into()),
        pipeline: Some(PipelineSource::Embedded(
            package(WITH_PLATFORM_SPEC).embedded(),
        )),
        service_account: Some("pipeline-runner".into()),
        ..RunSpec::default()
    };
    vec![
        ("by pipeline version, every option", full),
        ("by pipeline id only (latest version)", latest_version),
        ("embedded sum_numbers spec, caching off", embedded),
        ("embedded spec with a platform spec", with_platform),
    ]
}

fn schedules() -> Vec<(&'static str, Schedule)> {
    vec![
        (
            "periodic, start and end, enabled",
            Schedule {
                interval_second: Some(3600.0),
                start_time: Some("2024-01-01T00:00:00Z".into()),
                end_time: Some("2024-12-31T23:59:59.5+02:00".into()),
                max_concurrency: Some(3.0),
                no_catchup: Some(false),
                enabled: true,
                ..Schedule::default()
            },
        ),
        (
            "cron, no catchup, disabled",
            Schedule {
                cron: Some("0 0 * * * *".into()),
                no_catchup: Some(true),
                enabled: false,
                ..Schedule::default()
            },
        ),
        (
            "cron, defaults",
            Schedule {
                cron: Some("0 30 2 * * 1-5".into()),
                enabled: true,
                ..Schedule::default()
            },
        ),
    ]
}

fn upload() -> Upload {
    Upload {
        bytes: SUM_NUMBERS.to_vec(),
        filename: PackageFormat::of(SUM_NUMBERS).filename().into(),
    }
}

/// Every request the binding makes of `e`, labelled.
fn calls(e: &'static Endpoint) -> Vec<(String, ApiCall)> {
    let base = || {
        ids(e)
            .into_iter()
            .fold(ApiCall::new(e), |call, (name, id)| call.id(name, id))
    };
    let mut calls: Vec<(String, ApiCall)> = Vec::new();
    match e.body {
        Body::None | Body::EmptyJson => {
            if e.answer == Answer::List {
                calls.extend(list_variants(e).into_iter().map(|(label, p)| (label, base().list(p))));
            } else {
                calls.push(("ids only".into(), base()));
            }
            if e.name == "deletePipeline" {
                // `deletePipeline(id, {cascade: true})`.
                calls.push(("cascade".into(), base().query("cascade", Some("true"))));
            }
        }
        Body::Json => match e.resource {
            Resource::Experiment => {
                // `createExperiment(name, {description, namespace})`, and `ensure_experiment`'s create.
                for (label, body) in [
                    ("name, description and namespace", bodies::experiment("nightly runs", Some("every night"), Some("kubeflow-user-example-com"))),
                    ("name only", bodies::experiment("Default", None, None)),
                    ("empty namespace", bodies::experiment("Default", Some(""), Some(""))),
                ] {
                    calls.push((label.into(), base().json(body.expect("experiment body"))));
                }
            }
            Resource::Run => {
                for (label, spec) in run_specs() {
                    calls.push((label.into(), base().json(bodies::run(&spec).expect("run body"))));
                }
            }
            Resource::RecurringRun => {
                for (spec_label, spec) in run_specs() {
                    for (schedule_label, schedule) in schedules() {
                        let body = bodies::recurring_run(&spec, &schedule).expect("recurring run body");
                        calls.push((format!("{spec_label}; {schedule_label}"), base().json(body)));
                    }
                }
            }
            resource => panic!("{}: a JSON body for {resource:?} that tests/swagger.rs does not build; add it to `calls`", e.name),
        },
        Body::Upload => match e.name {
            // `uploadPipeline(p, {name, displayName, description, namespace})`.
            "uploadPipeline" => {
                calls.push((
                    "name, display_name, description, namespace".into(),
                    base()
                        .query("name", Some("sum-numbers"))
                        .query("display_name", Some("Sum numbers"))
                        .query("description", Some("Adds numbers up."))
                        .query("namespace", Some("kubeflow-user-example-com"))
                        .upload(upload()),
                ));
                calls.push(("name from the package only".into(), base().query("name", Some("sum-numbers")).upload(upload())));
            }
            // `uploadPipelineVersion(p, {pipelineId, versionName, description})`.
            "uploadPipelineVersion" => {
                calls.push((
                    "name, pipelineid, description".into(),
                    base()
                        .query("name", Some("sum-numbers 2024-01-01 00-00-00"))
                        .query("pipelineid", Some(PIPELINE_ID))
                        .query("description", Some("v2"))
                        .upload(upload()),
                ));
                calls.push(("pipelineid only".into(), base().query("pipelineid", Some(PIPELINE_ID)).upload(upload())));
            }
            name => panic!("{name}: an upload endpoint that tests/swagger.rs does not build; add it to `calls`"),
        },
    }
    calls
}

fn check_version(version: ApiVersion) -> Checked {
    let spec = spec(version);
    let newer = spec_2_17();
    let mut out = Checked {
        covered: BTreeSet::new(),
        requests: 0,
        newer_params_sent: BTreeSet::new(),
        errors: Vec::new(),
    };
    for e in ALL.iter().copied() {
        if e.template(version).is_none() {
            continue;
        }
        for (label, call) in calls(e) {
            check_request(&spec, &newer, e, &label, &call, &mut out);
        }
    }
    out
}

fn assert_conforms(version: ApiVersion) -> Checked {
    let checked = check_version(version);
    assert!(
        checked.errors.is_empty(),
        "{} of {} {} requests do not match the swagger spec:\n  {}",
        checked.errors.len(),
        checked.requests,
        version.as_str(),
        checked.errors.join("\n  ")
    );
    eprintln!(
        "{}: {} requests of {} endpoints match the swagger spec",
        version.as_str(),
        checked.requests,
        checked.covered.len()
    );
    checked
}

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

#[test]
fn v2beta1_requests_match_the_swagger() {
    assert_conforms(ApiVersion::V2beta1);
}

#[test]
fn v1beta1_requests_match_the_swagger() {
    assert_conforms(ApiVersion::V1beta1);
}

#[test]
fn every_endpoint_is_checked() {
    assert_eq!(
        ALL.len(),
        EXPECTED_ENDPOINTS,
        "endpoint::ALL has {} endpoints, tests/swagger.rs was written for {EXPECTED_ENDPOINTS}: make sure `calls` builds the new ones' requests, then update EXPECTED_ENDPOINTS",
        ALL.len()
    );
    let mut expected = BTreeSet::new();
    let mut covered = BTreeSet::new();
    let mut requests = BTreeMap::new();
    for version in [ApiVersion::V2beta1, ApiVersion::V1beta1] {
        for e in ALL {
            if e.template(version).is_some() {
                expected.insert((e.name, version.as_str()));
            }
        }
        // Mismatches are the other tests' business; here only coverage counts.
        let checked = check_version(version);
        covered.extend(checked.covered);
        requests.insert(version.as_str(), checked.requests);
    }
    let missing: Vec<_> = expected.difference(&covered).collect();
    assert!(
        missing.is_empty(),
        "endpoints with no checked request: {missing:?}"
    );
    assert_eq!(covered, expected);
    for e in ALL {
        assert!(
            covered.contains(&(e.name, "v2beta1")),
            "{} has no checked v2beta1 request",
            e.name
        );
    }
    eprintln!(
        "checked {} v2beta1 and {} v1beta1 requests for {} endpoints",
        requests["v2beta1"],
        requests["v1beta1"],
        ALL.len()
    );
}

#[test]
fn newer_server_params_are_declared_from_2_17_only() {
    let old = spec(ApiVersion::V2beta1);
    let newer = spec_2_17();
    let sent = check_version(ApiVersion::V2beta1).newer_params_sent;
    for &(name, key) in NEWER_SERVER_PARAMS {
        let e = endpoint::by_name(name).unwrap_or_else(|| {
            panic!("NEWER_SERVER_PARAMS names {name}, which is not in endpoint::ALL")
        });
        let template = e.v2.replace("{}", "x");
        let path = format!("{}{template}", ApiVersion::V2beta1.path_prefix());
        let old_op = find_operation(&old.doc, &path, e.method).unwrap();
        assert!(
            old_op.query_param(key).is_none(),
            "{name}: the 2.3.0 spec declares `{key}`; remove it from NEWER_SERVER_PARAMS"
        );
        let new_op = find_operation(&newer, &path, e.method).unwrap();
        assert!(
            new_op.query_param(key).is_some(),
            "{name}: the 2.17.0 spec does not declare `{key}` for {}",
            new_op.id()
        );
        assert!(
            sent.contains(&(name, key.to_owned())),
            "{name}: no checked request sends `{key}`; the test no longer builds it"
        );
    }
}

#[test]
fn path_templates_match_single_segments_and_verbs() {
    let doc = spec(ApiVersion::V2beta1).doc;
    let op = find_operation(&doc, "/apis/v2beta1/runs/r%3A1%2Fx:terminate", Method::Post).unwrap();
    assert_eq!(op.template, "/apis/v2beta1/runs/{run_id}:terminate");
    assert_eq!(
        op.path_params,
        vec![("run_id".to_owned(), "r%3A1%2Fx".to_owned())]
    );
    let op = find_operation(&doc, "/apis/v2beta1/runs/r1", Method::Delete).unwrap();
    assert_eq!(op.template, "/apis/v2beta1/runs/{run_id}");
    let op = find_operation(&doc, "/apis/v2beta1/pipelines/p/versions/v", Method::Get).unwrap();
    assert_eq!(
        op.path_params,
        vec![
            ("pipeline_id".to_owned(), "p".to_owned()),
            ("pipeline_version_id".to_owned(), "v".to_owned())
        ]
    );
    // `/pipelines/upload` is a literal, more specific than `/pipelines/{pipeline_id}`.
    assert_eq!(
        find_operation(&doc, "/apis/v2beta1/pipelines/upload", Method::Post)
            .unwrap()
            .id(),
        "UploadPipeline"
    );
    let err = |path: &str, method: Method| match find_operation(&doc, path, method) {
        Ok(op) => panic!(
            "{} {path} matched {} ({})",
            method.as_str(),
            op.template,
            op.id()
        ),
        Err(message) => message,
    };
    assert!(err("/apis/v2beta1/runs/r1:terminate", Method::Get).contains("GET is not declared"));
    assert!(err("/apis/v2beta1/runs/r1/terminate", Method::Post).contains("no swagger path"));
    assert!(err("/apis/v2beta1/runs/r1:cancel", Method::Post).contains("POST is not declared"));
    assert!(err("/apis/v2beta1/runs/", Method::Get).contains("no swagger path"));
    let v1 = spec(ApiVersion::V1beta1).doc;
    assert_eq!(
        find_operation(&v1, "/apis/v1beta1/runs/r1/terminate", Method::Post)
            .unwrap()
            .id(),
        "RunService_TerminateRunV1"
    );
    assert_eq!(
        find_operation(&v1, "/apis/v1beta1/runs/r1", Method::Delete)
            .unwrap()
            .id(),
        "RunService_DeleteRunV1"
    );
    assert_eq!(
        find_operation(&v1, "/apis/v1beta1/runs/r1", Method::Get)
            .unwrap()
            .id(),
        "RunService_GetRunV1"
    );
}

#[test]
fn the_validator_rejects_what_the_server_rejects() {
    let doc = spec(ApiVersion::V2beta1).doc;
    let run = json!({"$ref": "#/definitions/v2beta1Run"});
    let errors_of = |schema: &Value, value: Value| {
        let mut errors = Vec::new();
        validate(&doc, schema, &value, "body", Position::Field, &mut errors);
        errors
    };
    // What the client sends.
    assert_eq!(
        errors_of(
            &run,
            json!({"display_name": "r", "pipeline_spec": {"root": {}}, "runtime_config": {"parameters": {"a": 1, "b": [1], "c": null}}})
        ),
        Vec::<String>::new()
    );
    // Unknown fields, wrong types, bad enums and int64s, nested.
    let errors = errors_of(
        &run,
        json!({"display_name": 1, "name": "v1 style", "pipeline_version_reference": {"pipeline_id": "p", "version": "v"}}),
    );
    assert_eq!(errors.len(), 3, "{errors:?}");
    assert!(
        errors[0].contains("`body.display_name`: expected a string"),
        "{errors:?}"
    );
    assert!(
        errors[1].contains("`body.name`: unknown field"),
        "{errors:?}"
    );
    assert!(
        errors[2].contains("`body.pipeline_version_reference.version`: unknown field"),
        "{errors:?}"
    );
    assert_eq!(
        errors_of(&run, json!({"pipeline_spec": "yaml text"})).len(),
        1
    );
    assert_eq!(errors_of(&run, json!({"created_at": "yesterday"})).len(), 1);
    let recurring = json!({"$ref": "#/definitions/v2beta1RecurringRun"});
    assert!(errors_of(&recurring, json!({"max_concurrency": "1", "mode": "ENABLE", "trigger": {"periodic_schedule": {"interval_second": 60}}})).is_empty());
    assert!(errors_of(&recurring, json!({"mode": "ENABLED"}))[0].contains("enum"));
    assert!(errors_of(&recurring, json!({"max_concurrency": "one"}))[0].contains("int64"));
    assert!(errors_of(
        &recurring,
        json!({"trigger": {"cron_schedule": {"cron": "* * * * * *", "interval_second": "1"}}})
    )[0]
    .contains("unknown field"));
    assert!(errors_of(&recurring, json!({"no_catchup": "true"}))[0].contains("boolean"));
    // v1beta1 shapes do not pass as v2beta1 and back.
    let v1 = spec(ApiVersion::V1beta1).doc;
    let mut errors = Vec::new();
    validate(
        &v1,
        &json!({"$ref": "#/definitions/apiExperiment"}),
        &json!({"display_name": "e", "namespace": "ns"}),
        "body",
        Position::Field,
        &mut errors,
    );
    assert_eq!(errors.len(), 2, "{errors:?}");
    let mut errors = Vec::new();
    validate(
        &v1,
        &json!({"$ref": "#/definitions/apiExperiment"}),
        &json!({"resource_references": [{"key": {"type": "NAMESPACES", "id": "ns"}, "relationship": "OWNER"}]}),
        "body",
        Position::Field,
        &mut errors,
    );
    assert_eq!(errors.len(), 1, "{errors:?}");
    // Filters: v2beta1 takes `operation`, v1beta1 `op`.
    let mut errors = Vec::new();
    validate(
        &doc,
        &json!({"$ref": "#/definitions/v2beta1Filter"}),
        &json!({"predicates": [{"key": "k", "op": "EQUALS"}]}),
        "filter",
        Position::Field,
        &mut errors,
    );
    assert_eq!(errors.len(), 1, "{errors:?}");
    let filter_v1 = spec(ApiVersion::V1beta1).filter_doc;
    let mut errors = Vec::new();
    validate(
        &filter_v1,
        &json!({"$ref": "#/definitions/apiFilter"}),
        &json!({"predicates": [{"key": "k", "operation": "EQUALS"}]}),
        "filter",
        Position::Field,
        &mut errors,
    );
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(is_rfc3339("2024-01-01T00:00:00Z") && is_rfc3339("2024-01-01T00:00:00.123-05:30"));
    assert!(!is_rfc3339("2024-01-01 00:00:00Z") && !is_rfc3339("2024-01-01T00:00:00"));
}

#[test]
fn the_request_checks_catch_undeclared_params_and_bodies() {
    // Hand-made requests through the same checks: an undeclared query parameter, a body on an
    // operation without one, a JSON body where multipart is expected.
    let spec = spec(ApiVersion::V2beta1);
    let newer = spec_2_17();
    let mut out = Checked {
        covered: BTreeSet::new(),
        requests: 0,
        newer_params_sent: BTreeSet::new(),
        errors: Vec::new(),
    };
    let e = &endpoint::GET_RUN;
    check_request(
        &spec,
        &newer,
        e,
        "bad query",
        &ApiCall::new(e).id("id", RUN_ID).query("view", Some("FULL")),
        &mut out,
    );
    let e = &endpoint::LIST_PIPELINES;
    check_request(
        &spec,
        &newer,
        e,
        "newer param on the wrong endpoint",
        &ApiCall::new(e).query("cascade", Some("true")),
        &mut out,
    );
    let e = &endpoint::TERMINATE_RUN;
    check_request(
        &spec,
        &newer,
        e,
        "body",
        &ApiCall::new(e)
            .id("id", RUN_ID)
            .json(json!({"reason": "x"})),
        &mut out,
    );
    let e = &endpoint::UPLOAD_PIPELINE;
    check_request(
        &spec,
        &newer,
        e,
        "json upload",
        &ApiCall::new(e).json(json!({"name": "p"})),
        &mut out,
    );
    let e = &endpoint::CREATE_RUN;
    check_request(&spec, &newer, e, "no body", &ApiCall::new(e), &mut out);
    let e = &endpoint::LIST_RUNS;
    let bad_filter = ListParams {
        filter: Some(json!({"predicates": [{"key": "k", "operation": "EQUALS", "value": "x"}]})),
        ..ListParams::default()
    };
    check_request(
        &spec,
        &newer,
        e,
        "bad filter",
        &ApiCall::new(e).list(bad_filter),
        &mut out,
    );
    let errors = out.errors;
    let expect = [
        "getRun (v2beta1, bad query): GET https://kf.example.com/pipeline/apis/v2beta1/runs/3c1e5a7b-9d2f-4b6e-8a1c-5e7d9b2f4a6c?view=FULL: query parameter `view` is not declared for RunService_GetRun",
        "listPipelines (v2beta1, newer param on the wrong endpoint)",
        "terminateRun (v2beta1, body)",
        "uploadPipeline (v2beta1, json upload)",
        "runPipeline (v2beta1, no body)",
        "listRuns (v2beta1, bad filter)",
    ];
    assert_eq!(errors.len(), expect.len() + 1, "{errors:#?}");
    for prefix in expect {
        assert!(
            errors.iter().any(|e| e.starts_with(prefix)),
            "no error starting with {prefix:?} in {errors:#?}"
        );
    }
    assert!(
        errors
            .iter()
            .any(|e| e.contains("UploadPipeline declares no body parameter")),
        "{errors:#?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.contains("takes multipart/form-data (uploadfile)")),
        "{errors:#?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.contains("`filter.predicates[0].value`: unknown field")),
        "{errors:#?}"
    );
}
