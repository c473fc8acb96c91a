//! The `filter` query parameter of the list endpoints.
//!
//! A filter is a JSON-serialized `Filter` proto, `{"predicates": [{"key", "operation", "string_value", ...}]}`
//! (`shared/kfp-api/REPORT.md` §4). Two quirks are handled here:
//!
//! - The operator field is `operation` in v2beta1 and `op` in v1beta1, and each version rejects the
//!   other's name as an unknown field (HTTP 400). [`normalize`] renames it for the target version.
//! - The server URL-decodes the query string and then runs `url.QueryUnescape` on the value again
//!   (REPORT §4 "Encoding"). Like the KFP UI, [`query_value`]
//!   returns `encodeURIComponent(JSON)`, which the query builder encodes a second time, so a `+`
//!   or `%` in a filter value survives.

use serde_json::{Map, Value};

use super::request::encode_uri_component;
use super::ApiVersion;
use crate::core::error::Error;
use crate::core::http::json_text;

const ARG: &str = "filter";

fn invalid(reason: impl Into<String>) -> Error {
    Error::InvalidArgValue {
        name: ARG.into(),
        reason: reason.into(),
    }
}

/// A short name of a JSON value's type for `ERR_INVALID_ARG_TYPE` messages.
fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "type boolean",
        Value::Number(_) => "type number",
        Value::String(_) => "type string",
        Value::Array(_) => "an instance of Array",
        Value::Object(_) => "type object",
    }
}

/// The filter as an object ready for `version`: a JSON string is parsed, the operator field is
/// renamed (`op` ⇄ `operation`). `null` and `""` mean "no filter" (`Ok(None)`).
///
/// # Errors
/// - [`Error::InvalidArgType`] (`filter`) for numbers, booleans and arrays.
/// - [`Error::InvalidArgValue`] (`filter`) for a string that is not a JSON object, or a predicate
///   that sets both `op` and `operation` to different values.
pub fn normalize(filter: &Value, version: ApiVersion) -> Result<Option<Value>, Error> {
    let mut object = match filter {
        Value::Null => return Ok(None),
        Value::String(text) if text.trim().is_empty() => return Ok(None),
        Value::String(text) => match serde_json::from_slice::<Value>(text.as_bytes()) {
            Ok(Value::Object(map)) => map,
            Ok(other) => {
                return Err(invalid(format!(
                    "the JSON string must hold a Filter object ({{\"predicates\": [...]}}), not {}",
                    type_name(&other)
                )))
            }
            Err(e) => return Err(invalid(format!("it is not valid JSON ({e})"))),
        },
        Value::Object(map) => map.clone(),
        other => {
            return Err(Error::InvalidArgType {
                name: ARG.into(),
                expected: "a Filter object ({ predicates: [...] }) or its JSON string".into(),
                actual: type_name(other).into(),
            })
        }
    };
    if let Some(Value::Array(predicates)) = object.get_mut("predicates") {
        for (index, predicate) in predicates.iter_mut().enumerate() {
            if let Value::Object(predicate) = predicate {
                rename_operator(predicate, version, index)?;
            }
        }
    }
    Ok(Some(Value::Object(object)))
}

/// v2beta1 calls the operator `operation`, v1beta1 `op` (REPORT §4).
fn rename_operator(
    predicate: &mut Map<String, Value>,
    version: ApiVersion,
    index: usize,
) -> Result<(), Error> {
    let (wrong, right) = match version {
        ApiVersion::V2beta1 => ("op", "operation"),
        ApiVersion::V1beta1 => ("operation", "op"),
    };
    let Some(value) = predicate.remove(wrong) else {
        return Ok(());
    };
    match predicate.get(right) {
        None => {
            predicate.insert(right.to_owned(), value);
            Ok(())
        }
        Some(existing) if *existing == value => Ok(()),
        Some(_) => Err(invalid(format!(
            "predicates[{index}] sets both \"op\" and \"operation\" to different values; {} uses \"{right}\"",
            version.as_str()
        ))),
    }
}

/// The value to put under `filter=` in the query, encoded once (`encodeURIComponent` of the
/// compact JSON); the query builder encodes it again. `Ok(None)` when there is no filter.
///
/// # Errors
/// As [`normalize`].
pub fn query_value(filter: &Value, version: ApiVersion) -> Result<Option<String>, Error> {
    Ok(normalize(filter, version)?.map(|object| encode_uri_component(&json_text(&object))))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn string_and_object_give_the_same_filter() {
        let object = json!({"predicates": [{"key": "display_name", "operation": "EQUALS", "string_value": "x"}]});
        let from_string =
            normalize(&Value::String(object.to_string()), ApiVersion::V2beta1).unwrap();
        assert_eq!(from_string, Some(object.clone()));
        assert_eq!(
            normalize(&object, ApiVersion::V2beta1).unwrap(),
            Some(object)
        );
    }

    #[test]
    fn renames_op_for_v2_and_operation_for_v1() {
        let v1_style =
            json!({"predicates": [{"key": "name", "op": "IS_SUBSTRING", "string_value": "train"}]});
        assert_eq!(
            normalize(&v1_style, ApiVersion::V2beta1).unwrap(),
            Some(
                json!({"predicates": [{"key": "name", "operation": "IS_SUBSTRING", "string_value": "train"}]})
            )
        );
        assert_eq!(
            normalize(&v1_style, ApiVersion::V1beta1).unwrap(),
            Some(v1_style.clone())
        );

        let v2_style = json!({"predicates": [{"key": "name", "operation": 9, "string_value": "t"}, "odd", {"key": "x"}]});
        assert_eq!(
            normalize(&v2_style, ApiVersion::V1beta1).unwrap(),
            Some(
                json!({"predicates": [{"key": "name", "op": 9, "string_value": "t"}, "odd", {"key": "x"}]})
            )
        );
    }

    #[test]
    fn both_operator_names() {
        let same = json!({"predicates": [{"key": "k", "op": "EQUALS", "operation": "EQUALS"}]});
        assert_eq!(
            normalize(&same, ApiVersion::V1beta1).unwrap(),
            Some(json!({"predicates": [{"key": "k", "op": "EQUALS"}]}))
        );
        let conflicting = json!({"predicates": [{"key": "k", "op": "EQUALS", "operation": "IN"}]});
        let err = normalize(&conflicting, ApiVersion::V2beta1).unwrap_err();
        assert!(
            matches!(err, Error::InvalidArgValue { ref name, ref reason } if name == "filter" && reason.contains("predicates[0]"))
        );
    }

    #[test]
    fn empty_means_none() {
        assert_eq!(normalize(&Value::Null, ApiVersion::V2beta1).unwrap(), None);
        assert_eq!(normalize(&json!(" "), ApiVersion::V2beta1).unwrap(), None);
        assert_eq!(
            query_value(&Value::Null, ApiVersion::V2beta1).unwrap(),
            None
        );
    }

    #[test]
    fn bad_filters() {
        for bad in [json!("{not json"), json!("[1,2]"), json!("\"str\"")] {
            let err = normalize(&bad, ApiVersion::V2beta1).unwrap_err();
            assert!(
                matches!(err, Error::InvalidArgValue { ref name, .. } if name == "filter"),
                "{bad}: {err:?}"
            );
        }
        for bad in [json!(5), json!(true), json!([{"key": "x"}])] {
            let err = normalize(&bad, ApiVersion::V2beta1).unwrap_err();
            assert!(
                matches!(err, Error::InvalidArgType { ref name, .. } if name == "filter"),
                "{bad}: {err:?}"
            );
        }
    }

    #[test]
    fn encoded_once_matches_report_example() {
        // REPORT §4, "once:" line.
        let filter = json!({"predicates": [{"key": "display_name", "operation": "EQUALS", "string_value": "my pipeline"}]});
        assert_eq!(
            query_value(&filter, ApiVersion::V2beta1).unwrap().unwrap(),
            "%7B%22predicates%22%3A%5B%7B%22key%22%3A%22display_name%22%2C%22operation%22%3A%22EQUALS%22%2C%22string_value%22%3A%22my%20pipeline%22%7D%5D%7D"
        );
    }
}
