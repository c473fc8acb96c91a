//! A wrapper for values that must never be printed: passwords, tokens, cookie values.

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

/// Removes every occurrence of the given secrets from `text`, in the forms a server may echo
/// them back: as given, percent-encoded (`%40`), and form-encoded (`+` for space). Secrets
/// shorter than 4 characters are left alone, since replacing them would mangle ordinary text.
pub fn scrub(text: &str, secrets: &[&str]) -> String {
    scrub_keeping(text, secrets, &[])
}

/// [`scrub`], leaving `keep` (e.g. the username, when the password is part of it, as in
/// `user1@example.com` / `user1`) readable where it occurs whole.
pub fn scrub_keeping(text: &str, secrets: &[&str], keep: &[&str]) -> String {
    // Park each kept word behind a marker no secret can match, scrub, then put it back.
    let keep: Vec<&str> = keep.iter().copied().filter(|k| !k.is_empty() && !secrets.contains(k)).collect();
    let mut out = text.to_owned();
    for (i, word) in keep.iter().enumerate() {
        out = out.replace(word, &format!("\u{1}{i}\u{1}"));
    }
    for secret in secrets.iter().filter(|s| s.len() >= 4) {
        let encoded: String = url::form_urlencoded::byte_serialize(secret.as_bytes()).collect();
        let percent = encoded.replace('+', "%20");
        for form in [secret.to_string(), encoded, percent] {
            if out.contains(&form) {
                out = out.replace(&form, "[redacted]");
            }
        }
    }
    for (i, word) in keep.iter().enumerate() {
        out = out.replace(&format!("\u{1}{i}\u{1}"), word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrub_removes_every_encoding() {
        let text = "login=u%40x&password=p%C3%A4ss+w%2Frd then p\u{e4}ss w/rd and p%C3%A4ss%20w%2Frd; tok";
        let out = scrub(text, &["p\u{e4}ss w/rd", "tok"]);
        assert_eq!(out, "login=u%40x&password=[redacted] then [redacted] and [redacted]; tok");
    }

    #[test]
    fn scrub_keeps_a_username_that_contains_the_password() {
        let text = "User 'user1@example.com' is not authorized; password user1 echoed";
        assert_eq!(
            scrub_keeping(text, &["user1"], &["user1@example.com"]),
            "User 'user1@example.com' is not authorized; password [redacted] echoed"
        );
        // a username equal to the password is not kept
        assert_eq!(scrub_keeping("x secret1 y", &["secret1"], &["secret1"]), "x [redacted] y");
    }

    #[test]
    fn never_prints_the_value() {
        let s = Secret::new("hunter2");
        assert_eq!(format!("{s:?} {s}"), "[redacted] [redacted]");
        assert_eq!(s.expose(), "hunter2");
    }
}
