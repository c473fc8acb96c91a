//! Values that must never be printed (passwords, tokens, cookie values), and the scrubbing that
//! removes them from the text servers send back.
//!
//! A client keeps one [`SecretSet`] (its password, token, cookie values, user-supplied header
//! values) and applies it where an error leaves the library. The set knows the forms in which
//! a server may echo a secret: as given; percent- and form-encoded (RFC 3986 §2.1, the WHATWG
//! `application/x-www-form-urlencoded` serializer, JavaScript's `encodeURIComponent`);
//! base64 and base64url, padded or not (RFC 4648 §4, §5), whole or inside a longer encoded
//! text such as `Authorization: Basic base64(user:password)` (RFC 7617 §2) or a JWT; JSON
//! string escapes (RFC 8259 §7, as Go, Python and JavaScript write them); and HTML character
//! references (as Go's `html/template` and Python's `html.escape` write them).

use std::fmt;

/// A string that prints as `[redacted]` in `Debug` and `Display`.
///
/// Read the value with [`Secret::expose`], only where it goes on the wire.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// What a scrubbed secret becomes.
pub const REDACTED: &str = "[redacted]";

/// Secrets shorter than this many bytes are left alone: replacing them would mangle ordinary
/// text.
pub const MIN_SECRET_BYTES: usize = 4;

/// A base64 run that stands for part of a secret is scrubbed only from this many characters
/// on (36 bits): shorter ones occur by chance in other encoded text.
const MIN_BASE64_RUN: usize = 6;

/// A set of secrets to remove from text, each with the encoded forms a server may echo it in
/// (see the module docs), computed once when it is added.
///
/// Scrubbing finds every occurrence of every form in one pass over the text (see
/// [`Patterns`]) and replaces each stretch of text covered by occurrences, overlapping or
/// adjacent ones merged, with one [`REDACTED`]: so a secret that is a prefix of another, two
/// secrets that overlap, or a secret inside another's encoding leave nothing readable behind.
///
/// `Debug` prints the number of secrets only.
#[derive(Clone, Default)]
pub struct SecretSet {
    /// Sorted, each once.
    secrets: Vec<String>,
    /// Every form of every secret.
    patterns: Patterns,
    /// Words left readable (see [`SecretSet::keep`]), and their forms.
    kept: Vec<String>,
    kept_patterns: Patterns,
}

impl SecretSet {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a secret. One shorter than [`MIN_SECRET_BYTES`], or already in the set, changes
    /// nothing.
    pub fn add(&mut self, secret: &str) {
        if secret.len() < MIN_SECRET_BYTES {
            return;
        }
        let Err(at) = self.secrets.binary_search_by(|s| s.as_str().cmp(secret)) else {
            return;
        };
        for form in forms_of(secret) {
            self.patterns.insert(form);
        }
        self.secrets.insert(at, secret.to_owned());
        if self.kept.iter().any(|w| w == secret) {
            self.index_kept();
        }
    }

    /// Leaves `word` (e.g. the username, when the password is part of it, as in
    /// `user1@example.com` / `user1`) readable where it occurs whole, as given or URL-, JSON- or
    /// HTML-escaped: a secret's occurrence that lies entirely inside it is not scrubbed. A word
    /// that is itself a secret of the set is not kept.
    pub fn keep(&mut self, word: &str) {
        if word.is_empty() || self.kept.iter().any(|w| w == word) {
            return;
        }
        self.kept.push(word.to_owned());
        self.index_kept();
    }

    fn index_kept(&mut self) {
        self.kept_patterns = Patterns::default();
        for word in self
            .kept
            .iter()
            .filter(|w| self.secrets.binary_search(w).is_err())
        {
            for form in text_forms(word) {
                self.kept_patterns.insert(form);
            }
        }
    }

    /// The number of secrets (not forms) in the set.
    pub fn len(&self) -> usize {
        self.secrets.len()
    }

    pub fn is_empty(&self) -> bool {
        self.secrets.is_empty()
    }

    /// `text` with every form of every secret replaced by [`REDACTED`].
    pub fn scrub(&self, text: &str) -> String {
        let kept = Cover::new(self.kept_patterns.spans(text, false, |_| true));
        let spans = self.patterns.spans(text, true, |span| !kept.covers(span));
        if spans.is_empty() {
            return text.to_owned();
        }
        // Occurrences of a form (valid UTF-8) in valid UTF-8 start and end at character
        // boundaries.
        let mut out = String::with_capacity(text.len());
        let mut copied = 0;
        for (start, end) in spans {
            out.push_str(&text[copied..start]);
            out.push_str(REDACTED);
            copied = end;
        }
        out.push_str(&text[copied..]);
        out
    }
}

impl<S: AsRef<str>> Extend<S> for SecretSet {
    fn extend<I: IntoIterator<Item = S>>(&mut self, secrets: I) {
        for secret in secrets {
            self.add(secret.as_ref());
        }
    }
}

impl<S: AsRef<str>> FromIterator<S> for SecretSet {
    fn from_iter<I: IntoIterator<Item = S>>(secrets: I) -> Self {
        let mut set = SecretSet::new();
        set.extend(secrets);
        set
    }
}

impl fmt::Debug for SecretSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SecretSet")
            .field("secrets", &self.secrets.len())
            .field("kept", &self.kept.len())
            .finish()
    }
}

/// Patterns are found by their first this many bytes; shorter ones are not kept.
const WINDOW: usize = 4;
/// The slot table has 2^13 entries.
const SLOT_BITS: u32 = 13;
const NO_GROUP: u32 = u32::MAX;

/// Many strings, found together in one pass over a text.
///
/// The pass slides a 4-byte window over the text. A table of 2^13 slots, hashed from the
/// patterns' first 4 bytes, rules out almost every position with a shift, a multiply and a
/// lookup. At the few positions left, the patterns that begin with those 4 bytes (kept sorted)
/// are binary-searched for the longest one the text continues with, so secrets sharing a long
/// prefix (JWTs all begin `eyJhbGciOi`) cost a few comparisons, not one each. Only the longest
/// occurrence at a position is reported (it covers the shorter ones), and a position is skipped
/// when no pattern starting there could reach past what is already covered.
///
/// The work at those positions is counted: a text built to match or nearly match a pattern at
/// every position (a secret of repeated characters inside a run of them) would make it cost
/// text × pattern length, so past 16 bytes compared per byte of text the pass gives way to one
/// `str::match_indices` (linear, Two-Way) per pattern.
#[derive(Clone, Default)]
struct Patterns {
    patterns: Vec<String>,
    /// For each slot, the first group hashed to it (`NO_GROUP` for none); empty until the
    /// first pattern.
    slots: Vec<u32>,
    groups: Vec<Group>,
}

/// The patterns that begin with the same 4 bytes.
#[derive(Clone)]
struct Group {
    /// The 4 bytes, little-endian.
    key: u32,
    /// The next group in the same slot.
    next: u32,
    /// Indices into `Patterns::patterns`, in byte order of the patterns.
    sorted: Vec<usize>,
    longest: usize,
}

fn slot_of(key: u32) -> usize {
    (key.wrapping_mul(0x9E37_79B1) >> (32 - SLOT_BITS)) as usize
}

impl Patterns {
    fn insert(&mut self, pattern: String) {
        let Some(&[b0, b1, b2, b3]) = pattern.as_bytes().get(..WINDOW) else {
            return;
        };
        let key = u32::from_le_bytes([b0, b1, b2, b3]);
        if self.slots.is_empty() {
            self.slots = vec![NO_GROUP; 1 << SLOT_BITS];
        }
        let slot = slot_of(key);
        let index = match self.group_index(key) {
            Some(index) => index,
            None => {
                let Ok(index) = u32::try_from(self.groups.len()) else {
                    return;
                };
                self.groups.push(Group {
                    key,
                    next: self.slots[slot],
                    sorted: Vec::new(),
                    longest: 0,
                });
                self.slots[slot] = index;
                index
            }
        };
        let patterns = &self.patterns;
        let Some(group) = self.groups.get_mut(index as usize) else {
            return;
        };
        let Err(at) = group
            .sorted
            .binary_search_by(|&i| patterns[i].as_bytes().cmp(pattern.as_bytes()))
        else {
            return;
        };
        group.sorted.insert(at, patterns.len());
        group.longest = group.longest.max(pattern.len());
        self.patterns.push(pattern);
    }

    fn group_index(&self, key: u32) -> Option<u32> {
        let mut index = *self.slots.get(slot_of(key))?;
        while index != NO_GROUP {
            let group = self.groups.get(index as usize)?;
            if group.key == key {
                return Some(index);
            }
            index = group.next;
        }
        None
    }

    /// Where the patterns occur in `text`, by start: the occurrences `accept` takes, merged
    /// where they overlap or touch when `merge`.
    fn spans(
        &self,
        text: &str,
        merge: bool,
        accept: impl Fn((usize, usize)) -> bool,
    ) -> Vec<(usize, usize)> {
        let bytes = text.as_bytes();
        let mut spans = Vec::new();
        if self.patterns.is_empty() || bytes.len() < WINDOW {
            return spans;
        }
        let mut budget = bytes.len().saturating_mul(16).saturating_add(1 << 16);
        let mut covered = 0;
        let mut window = 0u32;
        let mut last: Option<(u32, &Group)> = None;
        for (at, &byte) in bytes.iter().enumerate() {
            window = (window >> 8) | (u32::from(byte) << 24);
            if at + 1 < WINDOW || self.slots[slot_of(window)] == NO_GROUP {
                continue;
            }
            let group = match last {
                Some((key, group)) if key == window => group,
                _ => {
                    let Some(group) = self
                        .group_index(window)
                        .and_then(|i| self.groups.get(i as usize))
                    else {
                        continue;
                    };
                    last = Some((window, group));
                    group
                }
            };
            let start = at + 1 - WINDOW;
            let reach = bytes.len().min(start + group.longest);
            if reach <= covered {
                continue;
            }
            budget = budget.saturating_sub(WINDOW);
            if let Some(len) = self.longest_at(group, &bytes[start..reach], &mut budget) {
                let span = (start, start + len);
                if accept(span) {
                    covered = covered.max(span.1);
                    push_span(&mut spans, span, merge);
                }
            }
            if budget == 0 {
                return self.spans_by_pattern(text, merge, accept);
            }
        }
        spans
    }

    /// The length of the longest pattern of `group` that `text` begins with.
    ///
    /// If a pattern P is a prefix of `text` and sorts before Q, the last pattern not after
    /// `text`, then P is a prefix of Q too (whatever sorts between P and `text` begins with P).
    /// So either Q is a prefix of `text`, and the longest, or the search goes on among the
    /// patterns not after the common prefix of Q and `text`.
    fn longest_at(&self, group: &Group, text: &[u8], budget: &mut usize) -> Option<usize> {
        if let [only] = group.sorted[..] {
            let pattern = self.patterns[only].as_bytes();
            *budget = budget.saturating_sub(pattern.len());
            return text.starts_with(pattern).then_some(pattern.len());
        }
        let mut probe = text;
        let mut end = group.sorted.len();
        loop {
            end = group.sorted[..end].partition_point(|&i| {
                *budget = budget.saturating_sub(self.patterns[i].len());
                self.patterns[i].as_bytes() <= probe
            });
            let last = self.patterns[*group.sorted[..end].last()?].as_bytes();
            if text.starts_with(last) {
                return Some(last.len());
            }
            let common = last.iter().zip(text).take_while(|(a, b)| a == b).count();
            *budget = budget.saturating_sub(common);
            if common < WINDOW || *budget == 0 {
                return None;
            }
            probe = &text[..common];
            end -= 1;
        }
    }

    /// [`Patterns::spans`] by one linear search per pattern.
    fn spans_by_pattern(
        &self,
        text: &str,
        merge: bool,
        accept: impl Fn((usize, usize)) -> bool,
    ) -> Vec<(usize, usize)> {
        let mut found: Vec<(usize, usize)> = Vec::new();
        for pattern in &self.patterns {
            found.extend(
                text.match_indices(pattern.as_str())
                    .map(|(at, m)| (at, at + m.len()))
                    .filter(|&s| accept(s)),
            );
        }
        found.sort_unstable();
        let mut spans = Vec::new();
        for span in found {
            push_span(&mut spans, span, merge);
        }
        spans
    }
}

/// Appends `span` (which starts at or after the last one), merged into the last one when
/// `merge` and they overlap or touch.
fn push_span(spans: &mut Vec<(usize, usize)>, span: (usize, usize), merge: bool) {
    match spans.last_mut() {
        Some(last) if merge && span.0 <= last.1 => last.1 = last.1.max(span.1),
        _ => spans.push(span),
    }
}

/// Spans of text, asked whether one of them covers a given span.
struct Cover {
    /// Sorted by start.
    starts: Vec<usize>,
    /// `max_end[i]`: the largest end among the first `i + 1` spans.
    max_end: Vec<usize>,
}

impl Cover {
    fn new(mut spans: Vec<(usize, usize)>) -> Self {
        spans.sort_unstable();
        let starts = spans.iter().map(|s| s.0).collect();
        let max_end = spans
            .iter()
            .scan(0, |max, s| {
                *max = s.1.max(*max);
                Some(*max)
            })
            .collect();
        Cover { starts, max_end }
    }

    /// Some span starts at or before `start` and ends at or after `end`.
    fn covers(&self, (start, end): (usize, usize)) -> bool {
        let before = self.starts.partition_point(|&s| s <= start);
        before > 0 && self.max_end.get(before - 1).is_some_and(|&e| e >= end)
    }
}

/// Every form of `secret`: [`text_forms`] and the base64 ones (some may repeat; the
/// patterns keep each once).
fn forms_of(secret: &str) -> Vec<String> {
    let mut forms = text_forms(secret);
    let bytes = secret.as_bytes();
    for alphabet in [B64_STANDARD, B64_URL_SAFE] {
        for pad in [true, false] {
            forms.push(base64(bytes, alphabet, pad));
        }
        forms.extend(base64_inner_runs(bytes, alphabet));
    }
    forms
}

/// The forms of `text` as given, URL-encoded, JSON-escaped and HTML-escaped.
fn text_forms(text: &str) -> Vec<String> {
    let mut forms = vec![text.to_owned()];
    for unreserved in [FORM_UNRESERVED, COMPONENT_UNRESERVED, RFC3986_UNRESERVED] {
        for space_plus in [true, false] {
            for upper in [true, false] {
                forms.push(percent_encode(text, unreserved, space_plus, upper));
            }
        }
    }
    for style in JSON_STYLES {
        forms.push(json_escape(text, style));
    }
    for style in HTML_STYLES {
        forms.push(html_escape(text, style));
    }
    forms
}

/// RFC 4648 §4 base64 and §5 base64url (the `base64` crate's engines, which the tests compare
/// with; 15 lines here instead of its 3 kB of generic code).
const B64_STANDARD: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B64_URL_SAFE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// `bytes` in base64 with `alphabet`, `=`-padded to a multiple of 4 when `pad`.
fn base64(bytes: &[u8], alphabet: &[u8; 64], pad: bool) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = |i: usize| u32::from(chunk.get(i).copied().unwrap_or(0));
        let n = (b(0) << 16) | (b(1) << 8) | b(2);
        // 3 bytes give 4 characters, 2 give 3, 1 gives 2.
        for k in 0..=chunk.len() {
            out.push(char::from(alphabet[((n >> (18 - 6 * k)) & 63) as usize]));
        }
        if pad {
            for _ in chunk.len()..3 {
                out.push('=');
            }
        }
    }
    out
}

/// The base64 characters that stand for `secret` wherever it sits in a longer encoded text.
///
/// Base64 turns each 3 bytes into 4 characters, so the characters for a part of the text
/// depend on where that part starts modulo 3. For each of the 3 offsets, the secret is encoded
/// behind that many filler bytes; the characters that also carry bits of the filler (or of
/// the unknown bytes before and after it) are cut off, and the stable run between is what any
/// encoding of `…secret…` at that offset contains. Runs shorter than [`MIN_BASE64_RUN`] are
/// left out.
fn base64_inner_runs(secret: &[u8], alphabet: &[u8; 64]) -> Vec<String> {
    (0..3usize)
        .filter_map(|offset| {
            let mut bytes = vec![0u8; offset];
            bytes.extend_from_slice(secret);
            let encoded = base64(&bytes, alphabet, false);
            // Character i holds bits 6i..6i+6: stable when they all belong to the secret.
            let first = (8 * offset).div_ceil(6);
            let end = 8 * (offset + secret.len()) / 6;
            let run = encoded.get(first..end)?;
            (run.len() >= MIN_BASE64_RUN).then(|| run.to_owned())
        })
        .collect()
}

/// Bytes left as they are by the WHATWG form serializer (`url::form_urlencoded`).
const FORM_UNRESERVED: &[u8] = b"*-._";
/// By JavaScript's `encodeURIComponent`.
const COMPONENT_UNRESERVED: &[u8] = b"-_.!~*'()";
/// By RFC 3986 §2.3 (Go's `url.QueryEscape`, Python's `quote`).
const RFC3986_UNRESERVED: &[u8] = b"-._~";

/// Percent-encodes every byte but ASCII letters, digits and `unreserved`; a space becomes `+`
/// when `space_plus`, else `%20`.
fn percent_encode(text: &str, unreserved: &[u8], space_plus: bool, upper: bool) -> String {
    let hex: &[u8; 16] = if upper {
        b"0123456789ABCDEF"
    } else {
        b"0123456789abcdef"
    };
    let mut out = String::with_capacity(text.len());
    for &b in text.as_bytes() {
        if b.is_ascii_alphanumeric() || unreserved.contains(&b) {
            out.push(char::from(b));
        } else if b == b' ' && space_plus {
            out.push('+');
        } else {
            out.push('%');
            out.push(char::from(hex[usize::from(b >> 4)]));
            out.push(char::from(hex[usize::from(b & 15)]));
        }
    }
    out
}

/// How a JSON encoder escapes a string (RFC 8259 §7 leaves the choice).
#[derive(Clone, Copy)]
struct JsonStyle {
    /// `<`, `>`, `&`, U+2028 and U+2029 as `\u…` (Go's `encoding/json`).
    html_safe: bool,
    /// Every non-ASCII character as `\u…`, astral ones as surrogate pairs (Python's default).
    ascii_only: bool,
    /// `/` as `\/` (PHP, some Java encoders).
    slash: bool,
}

const JSON_STYLES: [JsonStyle; 4] = [
    JsonStyle {
        html_safe: false,
        ascii_only: false,
        slash: false,
    },
    JsonStyle {
        html_safe: true,
        ascii_only: false,
        slash: false,
    },
    JsonStyle {
        html_safe: false,
        ascii_only: true,
        slash: false,
    },
    JsonStyle {
        html_safe: false,
        ascii_only: false,
        slash: true,
    },
];

/// The inside of a JSON string holding `text` (without the quotes).
fn json_escape(text: &str, style: JsonStyle) -> String {
    let mut out = String::with_capacity(text.len());
    let mut units = [0u16; 2];
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '/' if style.slash => out.push_str("\\/"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' if style.html_safe => {
                push_unicode_escape(&mut out, u32::from(c))
            }
            c if c < ' ' => push_unicode_escape(&mut out, u32::from(c)),
            c if !c.is_ascii() && style.ascii_only => {
                for &unit in c.encode_utf16(&mut units).iter() {
                    push_unicode_escape(&mut out, u32::from(unit));
                }
            }
            c => out.push(c),
        }
    }
    out
}

fn push_unicode_escape(out: &mut String, unit: u32) {
    out.push_str(&format!("\\u{unit:04x}"));
}

/// How an HTML encoder writes `"`, `'` and `+` (`&`, `<`, `>` are always `&amp;`, `&lt;`,
/// `&gt;`).
#[derive(Clone, Copy)]
struct HtmlStyle {
    quote: &'static str,
    apostrophe: &'static str,
    /// `+` as `&#43;` (Go's `html/template`).
    plus: bool,
}

const HTML_STYLES: [HtmlStyle; 4] = [
    // Python's html.escape
    HtmlStyle {
        quote: "&quot;",
        apostrophe: "&#x27;",
        plus: false,
    },
    HtmlStyle {
        quote: "&quot;",
        apostrophe: "&#39;",
        plus: false,
    },
    // Go's html.EscapeString, and html/template
    HtmlStyle {
        quote: "&#34;",
        apostrophe: "&#39;",
        plus: false,
    },
    HtmlStyle {
        quote: "&#34;",
        apostrophe: "&#39;",
        plus: true,
    },
];

fn html_escape(text: &str, style: HtmlStyle) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str(style.quote),
            '\'' => out.push_str(style.apostrophe),
            '+' if style.plus => out.push_str("&#43;"),
            c => out.push(c),
        }
    }
    out
}

/// Removes every occurrence of the given secrets from `text`, in every form [`SecretSet`]
/// knows. Secrets shorter than [`MIN_SECRET_BYTES`] are left alone, since replacing them would
/// mangle ordinary text. A client that scrubs often should keep one [`SecretSet`] instead.
pub fn scrub(text: &str, secrets: &[&str]) -> String {
    scrub_keeping(text, secrets, &[])
}

/// [`scrub`], leaving `keep` (e.g. the username, when the password is part of it, as in
/// `user1@example.com` / `user1`) readable where it occurs whole (see [`SecretSet::keep`]).
pub fn scrub_keeping(text: &str, secrets: &[&str], keep: &[&str]) -> String {
    let mut set: SecretSet = secrets.iter().collect();
    for word in keep {
        set.keep(word);
    }
    set.scrub(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_is_the_crates() {
        let engines = [
            (B64_STANDARD, true, &STANDARD),
            (B64_STANDARD, false, &STANDARD_NO_PAD),
            (B64_URL_SAFE, true, &URL_SAFE),
            (B64_URL_SAFE, false, &URL_SAFE_NO_PAD),
        ];
        let mut bytes = Vec::new();
        for i in 0..300u32 {
            for (alphabet, pad, engine) in engines {
                assert_eq!(
                    base64(&bytes, alphabet, pad),
                    engine.encode(&bytes),
                    "{bytes:?}"
                );
            }
            bytes.push((i.wrapping_mul(2_654_435_761) >> 24) as u8);
        }
    }

    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
    use base64::Engine;

    fn set(secrets: &[&str]) -> SecretSet {
        secrets.iter().collect()
    }

    #[test]
    fn every_form_is_scrubbed() {
        let pw = "p\u{e4} \"s'<&>+/\\\n\u{1}w\u{1F600}rd";
        let s = set(&[pw]);
        let forms = [
            pw.to_owned(),
            url::form_urlencoded::byte_serialize(pw.as_bytes()).collect::<String>(),
            "p%c3%a4%20%22s%27%3c%26%3e%2b%2f%5c%0a%01w%f0%9f%98%80rd".to_owned(),
            "p%C3%A4%20%22s'%3C%26%3E%2B%2F%5C%0A%01w%F0%9F%98%80rd".to_owned(), // encodeURIComponent
            STANDARD.encode(pw),
            STANDARD_NO_PAD.encode(pw),
            URL_SAFE.encode(pw),
            URL_SAFE_NO_PAD.encode(pw),
            // JSON: serde_json / JavaScript, Go (HTML-safe), Python (ASCII only), with \/
            serde_json::to_string(pw)
                .unwrap()
                .trim_matches('"')
                .to_owned(),
            "p\u{e4} \\\"s'\\u003c\\u0026\\u003e+/\\\\\\n\\u0001w\u{1F600}rd".to_owned(),
            "p\\u00e4 \\\"s'<&>+/\\\\\\n\\u0001w\\ud83d\\ude00rd".to_owned(),
            "p\u{e4} \\\"s'<&>+\\/\\\\\\n\\u0001w\u{1F600}rd".to_owned(),
            // HTML: Python, generic, Go html.EscapeString, Go html/template
            "p\u{e4} &quot;s&#x27;&lt;&amp;&gt;+/\\\n\u{1}w\u{1F600}rd".to_owned(),
            "p\u{e4} &quot;s&#39;&lt;&amp;&gt;+/\\\n\u{1}w\u{1F600}rd".to_owned(),
            "p\u{e4} &#34;s&#39;&lt;&amp;&gt;+/\\\n\u{1}w\u{1F600}rd".to_owned(),
            "p\u{e4} &#34;s&#39;&lt;&amp;&gt;&#43;/\\\n\u{1}w\u{1F600}rd".to_owned(),
        ];
        for form in &forms {
            let text = format!("echo: <{form}> end");
            assert_eq!(s.scrub(&text), "echo: <[redacted]> end", "form {form:?}");
        }
    }

    #[test]
    fn base64_of_any_text_holding_the_secret_is_scrubbed() {
        let pw = "hunter2-is-long";
        let s = set(&[pw]);
        // every alignment: the secret starts 0, 1 or 2 bytes into a 3-byte group
        for user in ["al", "ali", "alic", "alice", "alice1", "alice12"] {
            for (before, after) in [("", ""), ("{\"u\":\"", "\",\"n\":1}")] {
                let plain = format!("{before}{user}:{pw}{after}");
                for engine in [&STANDARD, &STANDARD_NO_PAD, &URL_SAFE, &URL_SAFE_NO_PAD] {
                    let encoded = engine.encode(&plain);
                    let out = s.scrub(&format!("Authorization: Basic {encoded}"));
                    assert!(out.contains(REDACTED), "{plain}: {out}");
                    // what is left is the encoding of the text around the secret and at most
                    // one character at each end that also carries bits of it
                    let left = out.trim_start_matches("Authorization: Basic ");
                    let (head, tail) = left.split_once(REDACTED).unwrap();
                    let at = before.len() + user.len() + 1;
                    assert!(head.len() <= (8 * at).div_ceil(6), "{plain}: {out}");
                    assert!(
                        tail.len() <= encoded.len() - 8 * (at + pw.len()) / 6,
                        "{plain}: {out}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_secret_that_is_a_prefix_of_another_and_overlaps_leave_nothing() {
        let s = set(&[
            "token1234",
            "token1234extra",
            "extra-tail",
            "abcdef12",
            "ef12ghij",
        ]);
        assert_eq!(
            s.scrub("a token1234extra b token1234 c"),
            "a [redacted] b [redacted] c"
        );
        assert_eq!(s.scrub("x abcdef12ghij y"), "x [redacted] y");
        assert_eq!(s.scrub("token1234extra-tail"), "[redacted]");
        // adjacent occurrences become one
        assert_eq!(s.scrub("token1234token1234!"), "[redacted]!");
    }

    #[test]
    fn a_set_deduplicates_ignores_short_secrets_and_prints_a_count() {
        let mut s = SecretSet::new();
        s.add("secret-one");
        s.add("secret-one");
        s.add("abc");
        s.add("");
        s.extend(["secret-two", "secret-one"]);
        s.extend(vec![String::from("secret-three")]);
        assert_eq!(s.len(), 3);
        assert_eq!(s.scrub("abc secret-two"), "abc [redacted]");
        let printed = format!("{s:?}");
        assert_eq!(printed, "SecretSet { secrets: 3, kept: 0 }");
        assert!(SecretSet::new().is_empty());
        assert_eq!(SecretSet::new().scrub("text"), "text");
    }

    #[test]
    fn kept_words_stay_readable_in_their_encodings() {
        let mut s = set(&["user1"]);
        s.keep("user1@example.com");
        assert_eq!(
            s.scrub("login=user1%40example.com&password=user1 user1@example.com"),
            "login=user1%40example.com&password=[redacted] user1@example.com"
        );
        // a secret that runs past the kept word is still scrubbed
        let mut s = set(&["example.com/x"]);
        s.keep("user1@example.com");
        assert_eq!(s.scrub("user1@example.com/x"), "user1@[redacted]");
    }

    #[test]
    fn scrubbing_a_megabyte_with_fifty_secrets_is_fast() {
        let secrets: Vec<String> = (0..50)
            .map(|i| format!("s3cr3t-value-{i:02}-{}", "x".repeat(i % 7)))
            .collect();
        let s: SecretSet = secrets.iter().collect();
        let mut text = String::new();
        let mut i = 0;
        while text.len() < 1_000_000 {
            text.push_str("some ordinary words around an echo of ");
            text.push_str(&secrets[i % 50]);
            text.push_str(&format!(
                " and {} ",
                STANDARD.encode(format!("user:{}", secrets[(i + 7) % 50]))
            ));
            i += 1;
        }
        let started = std::time::Instant::now();
        let out = s.scrub(&text);
        let took = started.elapsed();
        assert!(secrets.iter().all(|secret| !out.contains(secret.as_str())));
        assert!(took < std::time::Duration::from_millis(400), "{took:?}");
        // a text built to nearly match a long secret everywhere costs no more
        let s = set(&[&format!("{}b", "a".repeat(4000))]);
        let started = std::time::Instant::now();
        assert_eq!(s.scrub(&"a".repeat(1_000_000)).len(), 1_000_000);
        assert!(
            started.elapsed() < std::time::Duration::from_millis(400),
            "{:?}",
            started.elapsed()
        );
        // nor one that matches everywhere
        let s = set(&["aaaa"]);
        let started = std::time::Instant::now();
        assert_eq!(s.scrub(&"a".repeat(1_000_000)), REDACTED);
        assert!(started.elapsed() < std::time::Duration::from_millis(400));
    }

    #[test]
    fn scrub_removes_every_encoding() {
        let text =
            "login=u%40x&password=p%C3%A4ss+w%2Frd then p\u{e4}ss w/rd and p%C3%A4ss%20w%2Frd; tok";
        let out = scrub(text, &["p\u{e4}ss w/rd", "tok"]);
        assert_eq!(
            out,
            "login=u%40x&password=[redacted] then [redacted] and [redacted]; tok"
        );
    }

    #[test]
    fn scrub_keeps_a_username_that_contains_the_password() {
        let text = "User 'user1@example.com' is not authorized; password user1 echoed";
        assert_eq!(
            scrub_keeping(text, &["user1"], &["user1@example.com"]),
            "User 'user1@example.com' is not authorized; password [redacted] echoed"
        );
        // a username equal to the password is not kept
        assert_eq!(
            scrub_keeping("x secret1 y", &["secret1"], &["secret1"]),
            "x [redacted] y"
        );
    }

    #[test]
    fn never_prints_the_value() {
        let s = Secret::new("hunter2");
        assert_eq!(format!("{s:?} {s}"), "[redacted] [redacted]");
        assert_eq!(s.expose(), "hunter2");
    }
}
