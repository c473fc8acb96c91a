//! JSON answers as JS values: one `JSON.parse` of the body bytes (as `res.json()` does), with
//! the v1beta1 normaliser of the core applied to the JS objects in place, so no answer is parsed
//! twice or copied into wasm memory.

use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::core::kfp::v1::JsonNode;

#[wasm_bindgen(inline_js = r#"
const decoder = new TextDecoder();
// An empty (or all-whitespace) body is {}, as KFP's empty answers mean.
export function parseJsonBytes(bytes) {
  const text = decoder.decode(bytes);
  return text.trim() === "" ? {} : JSON.parse(text);
}
// Plain data only: a function, symbol, bigint, non-finite number, or an object that is not a
// plain object or array (Map, Set, class instances; a Date is its toJSON() text by then) is
// refused rather than dropped or changed; so are cycles, and a getter or Proxy that throws.
function plain(key, x) {
  const t = typeof x;
  if (t === "function" || t === "symbol" || t === "bigint" || (t === "number" && !Number.isFinite(x))) throw 0;
  if (t === "object" && x !== null && !Array.isArray(x)) {
    const proto = Object.getPrototypeOf(x);
    if (proto !== Object.prototype && proto !== null) throw 0;
  }
  return x;
}
export function jsonText(v) {
  try {
    const text = JSON.stringify(v, plain);
    return typeof text === "string" ? text : null;
  } catch {
    return null;
  }
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = parseJsonBytes, catch)]
    fn parse_json_bytes(bytes: &Uint8Array) -> Result<JsValue, JsValue>;
    /// A JS value's JSON text when it is plain data (objects, arrays, strings, finite numbers,
    /// booleans, null; a `Date` as its ISO text), else `None`.
    #[wasm_bindgen(js_name = jsonText)]
    pub fn json_text(v: &JsValue) -> Option<String>;
}

/// The body as JSON: `{}` for an empty body, `Err` for invalid JSON.
pub fn parse(bytes: &Uint8Array) -> Result<JsValue, JsValue> {
    parse_json_bytes(bytes)
}

/// A plain JSON object (not an array, not null).
pub fn is_plain_object(v: &JsValue) -> bool {
    v.is_object() && !Array::is_array(v)
}

/// A JS value viewed as a [`JsonNode`].
#[derive(Clone)]
pub struct Js(pub JsValue);

impl JsonNode for Js {
    fn new_object() -> Self {
        Js(Object::new().into())
    }
    fn from_str(s: &str) -> Self {
        Js(JsValue::from_str(s))
    }
    fn is_object(&self) -> bool {
        is_plain_object(&self.0)
    }
    fn as_string(&self) -> Option<String> {
        self.0.as_string()
    }
    fn as_bool(&self) -> Option<bool> {
        self.0.as_bool()
    }
    fn get(&self, key: &str) -> Option<Self> {
        if !self.0.is_object() {
            return None;
        }
        let v = Reflect::get(&self.0, &key.into()).ok()?;
        (!v.is_undefined() && !v.is_null()).then_some(Js(v))
    }
    fn set(&mut self, key: &str, value: Self) {
        if self.0.is_object() {
            let _ = Reflect::set(&self.0, &key.into(), &value.0);
        }
    }
    fn remove(&mut self, key: &str) -> Option<Self> {
        let found = self.get(key);
        if found.is_some() {
            if let Some(obj) = self.0.dyn_ref::<Object>() {
                let _ = Reflect::delete_property(obj, &key.into());
            }
        }
        found
    }
    fn elements(&self, limit: usize) -> Vec<Self> {
        if !Array::is_array(&self.0) {
            return Vec::new();
        }
        let array: &Array = self.0.unchecked_ref();
        let n = (array.length() as usize).min(limit);
        (0..n).map(|i| Js(array.get(i as u32))).collect()
    }
    fn array(items: Vec<Self>) -> Self {
        Js(items.into_iter().map(|j| j.0).collect::<Array>().into())
    }
}
