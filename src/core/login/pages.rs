//! Recognising and reading the HTML pages of the login flow.
//!
//! Dex renders its pages from `web/templates/*.html`; oauth2-proxy renders `sign_in.html` and
//! `error.html`. The parsers look for the few stable markers those templates carry (form fields,
//! ids, link shapes), not for layout, so themed pages still work. See
//! `research/dex-login-flows.md` §1.4 (password form), §1.5 (approval page), §1.2 (connector
//! selection) and §2.1 (oauth2-proxy sign-in page).
//!
//! Every reader runs in linear time over at most [`MAX_PAGE_BYTES`] of the page, whatever the
//! page holds: one tokenizer, shaped like HTML's (WHATWG HTML §13.2.5: tags, quoted attribute
//! values, comments, raw-text elements), walks the page once and never searches ahead from a
//! match for its end; a tag's attributes are read by a pass over that tag alone. No reader
//! uses a regular expression. The tests feed each reader pages built to hit its worst case.

/// Dex's password form (`password.html`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasswordForm {
    /// The `action` attribute, HTML-unescaped; `None` when absent (post to the page's URL).
    pub action: Option<String>,
    /// Field names, as the template renders them (`login` and `password` in every Dex version).
    pub login_field: String,
    pub password_field: String,
    /// `id="login-error"`: Dex re-rendered the form after a failed attempt.
    pub has_error: bool,
}

/// Dex's "Grant Access" page (`approval.html`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApprovalForm {
    pub req: String,
    pub action: Option<String>,
}

/// oauth2-proxy's sign-in page: a GET form to `/oauth2/start` with a hidden `rd`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignInForm {
    pub action: String,
    pub rd: Option<String>,
}

/// A connector link on Dex's selection page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectorLink {
    pub id: String,
    pub href: String,
}

/// Login pages are a few KiB; only this much of a page is read, so a hostile multi-megabyte
/// answer costs no more than a normal one.
pub const MAX_PAGE_BYTES: usize = 256 * 1024;

/// The first [`MAX_PAGE_BYTES`] of a page, cut at a character boundary.
fn head(html: &str) -> &str {
    if html.len() <= MAX_PAGE_BYTES {
        return html;
    }
    let mut end = MAX_PAGE_BYTES;
    while !html.is_char_boundary(end) {
        end -= 1;
    }
    &html[..end]
}

/// HTML's white space (WHATWG HTML §13.2.5: tab, LF, FF, CR, space).
fn is_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0C | b'\r' | b' ')
}

/// The first occurrence of `byte` at or after `from`.
fn find_byte(bytes: &[u8], from: usize, byte: u8) -> Option<usize> {
    bytes
        .get(from..)?
        .iter()
        .position(|&b| b == byte)
        .map(|i| from + i)
}

/// The first occurrence of `needle` at or after `from`. `needle` is a short constant, so this
/// costs at most `needle.len()` comparisons per byte of the page.
fn find_bytes(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let first = *needle.first()?;
    let mut at = from;
    while let Some(i) = find_byte(bytes, at, first) {
        if bytes[i..].starts_with(needle) {
            return Some(i);
        }
        at = i + 1;
    }
    None
}

/// Elements whose content is text up to their own end tag (WHATWG HTML §13.2.5.2–§13.2.5.4:
/// RAWTEXT, script data, RCDATA). `true` when the content is readable text (RCDATA).
const RAW_TEXT_ELEMENTS: [(&str, bool); 8] = [
    ("script", false),
    ("style", false),
    ("xmp", false),
    ("iframe", false),
    ("noembed", false),
    ("noframes", false),
    ("title", true),
    ("textarea", true),
];

/// A start tag (`<name …>`) or an end tag (`</name …>`).
#[derive(Debug, Clone, Copy)]
struct Tag<'a> {
    name: &'a str,
    closing: bool,
    /// What stands between the name and the `>`: the attributes, read by [`Tag::raw_attr`].
    attrs: &'a str,
    /// Byte offsets in the page of the `<` and of the byte after the `>`.
    start: usize,
    end: usize,
}

impl<'a> Tag<'a> {
    fn opens(&self, name: &str) -> bool {
        !self.closing && self.name.eq_ignore_ascii_case(name)
    }

    fn closes(&self, name: &str) -> bool {
        self.closing && self.name.eq_ignore_ascii_case(name)
    }

    /// The value of the first attribute named `name` (ASCII case-insensitive) as written; one
    /// pass over this tag.
    fn raw_attr(&self, name: &str) -> Option<&'a str> {
        Attrs::new(self.attrs)
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value)
    }

    /// The value of attribute `name`, HTML-unescaped.
    fn attr(&self, name: &str) -> Option<String> {
        self.raw_attr(name).map(unescape)
    }

    /// `name="…"` equals `value` once unescaped.
    fn attr_is(&self, name: &str, value: &str) -> bool {
        self.raw_attr(name).is_some_and(|v| {
            if v.contains('&') {
                unescape(v) == value
            } else {
                v == value
            }
        })
    }
}

/// The attributes of a tag, read from just after the tag name, with the states of WHATWG HTML
/// §13.2.5.32–§13.2.5.39: names end at white space, `/`, `>` or `=`; values are double-quoted,
/// single-quoted (a `>` inside does not end the tag) or unquoted. Stops at the `>` that ends the
/// tag, which [`Attrs::gt`] then gives. Every step moves forward: one pass over the tag.
struct Attrs<'a> {
    src: &'a str,
    pos: usize,
    gt: Option<usize>,
    done: bool,
}

impl<'a> Attrs<'a> {
    fn new(src: &'a str) -> Self {
        Attrs {
            src,
            pos: 0,
            gt: None,
            done: false,
        }
    }

    fn skip_space(&self, mut at: usize) -> usize {
        let bytes = self.src.as_bytes();
        while at < bytes.len() && is_space(bytes[at]) {
            at += 1;
        }
        at
    }

    fn stop(&mut self, gt: Option<usize>) -> Option<(&'a str, &'a str)> {
        self.gt = gt;
        self.done = true;
        None
    }
}

impl<'a> Iterator for Attrs<'a> {
    type Item = (&'a str, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        let src = self.src;
        let bytes = src.as_bytes();
        if self.done {
            return None;
        }
        while self.pos < bytes.len() && (is_space(bytes[self.pos]) || bytes[self.pos] == b'/') {
            self.pos += 1;
        }
        match bytes.get(self.pos) {
            None => return self.stop(None),
            Some(b'>') => return self.stop(Some(self.pos)),
            Some(_) => {}
        }
        // The first character always belongs to the name, even a `=` (§13.2.5.32).
        let name_start = self.pos;
        self.pos += 1;
        while self.pos < bytes.len()
            && !is_space(bytes[self.pos])
            && !matches!(bytes[self.pos], b'/' | b'>' | b'=')
        {
            self.pos += 1;
        }
        // Every stop is at an ASCII byte or at the end: a character boundary.
        let name = &src[name_start..self.pos];
        let mut at = self.skip_space(self.pos);
        if bytes.get(at) != Some(&b'=') {
            return Some((name, ""));
        }
        at = self.skip_space(at + 1);
        match bytes.get(at) {
            None => self.stop(None),
            Some(&quote @ (b'"' | b'\'')) => match find_byte(bytes, at + 1, quote) {
                Some(close) => {
                    self.pos = close + 1;
                    Some((name, &src[at + 1..close]))
                }
                // An unclosed quote runs to the end of the page: the tag never ends.
                None => self.stop(None),
            },
            Some(b'>') => {
                self.pos = at;
                Some((name, ""))
            }
            Some(_) => {
                let value_start = at;
                while at < bytes.len() && !is_space(bytes[at]) && bytes[at] != b'>' {
                    at += 1;
                }
                self.pos = at;
                Some((name, &src[value_start..at]))
            }
        }
    }
}

/// A piece of the page.
#[derive(Debug, Clone, Copy)]
enum Token<'a> {
    /// Text between tags, entities not yet decoded (also the content of `<title>`).
    Text(&'a str),
    /// The content of `<script>`, `<style>` and the like: not text a reader sees.
    Raw,
    Tag(Tag<'a>),
}

/// A one-pass tokenizer shaped like HTML's (WHATWG HTML §13.2.5), reduced to what the readers
/// need: tags with their attributes, text, comments and doctypes (skipped), and the raw-text
/// elements whose content is not markup. A tag, comment or quoted value left open runs to the
/// end of the page, as in a browser, and ends the tokens. Each step moves forward, so a page
/// costs time in proportion to its length, whatever it holds.
struct Tokenizer<'a> {
    html: &'a str,
    pos: usize,
    /// Inside a raw-text element: its name, and whether its content is text.
    raw: Option<(&'static str, bool)>,
}

impl<'a> Tokenizer<'a> {
    /// Reads the first [`MAX_PAGE_BYTES`] of `html`.
    fn new(html: &'a str) -> Self {
        Tokenizer {
            html: head(html),
            pos: 0,
            raw: None,
        }
    }

    /// Where the next `<` that starts markup is: a tag, an end tag, a comment, a doctype or a
    /// processing instruction. Any other `<` is text.
    fn next_markup(&self) -> Option<usize> {
        let bytes = self.html.as_bytes();
        let mut at = self.pos;
        while let Some(lt) = find_byte(bytes, at, b'<') {
            if bytes
                .get(lt + 1)
                .is_some_and(|&c| c.is_ascii_alphabetic() || matches!(c, b'/' | b'!' | b'?'))
            {
                return Some(lt);
            }
            at = lt + 1;
        }
        None
    }

    /// The end tag of raw-text element `name` at or after `from`: `</name` followed by white
    /// space, `/` or `>` (§13.2.5.11, "appropriate end tag"), any case.
    fn raw_end(&self, from: usize, name: &str) -> Option<usize> {
        let bytes = self.html.as_bytes();
        let mut at = from;
        while let Some(lt) = find_bytes(bytes, at, b"</") {
            let after = lt + 2 + name.len();
            let named = bytes
                .get(lt + 2..after)
                .is_some_and(|n| n.eq_ignore_ascii_case(name.as_bytes()));
            if named
                && bytes
                    .get(after)
                    .is_some_and(|&c| is_space(c) || matches!(c, b'/' | b'>'))
            {
                return Some(lt);
            }
            at = lt + 2;
        }
        None
    }

    /// Reads the tag whose name starts at `name_start` (just after `<` or `</`).
    fn tag(&mut self, start: usize, name_start: usize, closing: bool) -> Option<Tag<'a>> {
        let html = self.html;
        let bytes = html.as_bytes();
        let mut name_end = name_start;
        while name_end < bytes.len()
            && !is_space(bytes[name_end])
            && !matches!(bytes[name_end], b'/' | b'>')
        {
            name_end += 1;
        }
        let rest = &html[name_end..];
        let mut attrs = Attrs::new(rest);
        attrs.by_ref().for_each(drop);
        let Some(gt) = attrs.gt else {
            // The tag never ends: a browser drops it, and there is nothing after it.
            self.pos = bytes.len();
            return None;
        };
        self.pos = name_end + gt + 1;
        Some(Tag {
            name: &html[name_start..name_end],
            closing,
            attrs: &rest[..gt],
            start,
            end: self.pos,
        })
    }

    /// Skips to just after the `>` at or after `from` (a bogus comment or a doctype).
    fn skip_past_gt(&mut self, from: usize) {
        self.pos = find_byte(self.html.as_bytes(), from, b'>').map_or(self.html.len(), |gt| gt + 1);
    }
}

impl<'a> Iterator for Tokenizer<'a> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        let html = self.html;
        let bytes = html.as_bytes();
        if let Some((name, readable)) = self.raw.take() {
            let end = self.raw_end(self.pos, name).unwrap_or(bytes.len());
            let content = &html[self.pos..end];
            self.pos = end;
            if !content.is_empty() {
                return Some(if readable {
                    Token::Text(content)
                } else {
                    Token::Raw
                });
            }
        }
        loop {
            if self.pos >= bytes.len() {
                return None;
            }
            let Some(lt) = self.next_markup() else {
                let text = &html[self.pos..];
                self.pos = bytes.len();
                return Some(Token::Text(text));
            };
            if lt > self.pos {
                let text = &html[self.pos..lt];
                self.pos = lt;
                return Some(Token::Text(text));
            }
            match bytes.get(lt + 1).copied() {
                Some(b'!') if bytes[lt..].starts_with(b"<!--") => {
                    // A comment ends at the first `-->`; `<!-->` and `<!--->` are empty ones.
                    self.pos = find_bytes(bytes, lt + 2, b"-->").map_or(bytes.len(), |e| e + 3);
                }
                Some(b'!' | b'?') => self.skip_past_gt(lt + 2),
                Some(b'/') => match bytes.get(lt + 2) {
                    Some(c) if c.is_ascii_alphabetic() => {
                        return self.tag(lt, lt + 2, true).map(Token::Tag)
                    }
                    _ => self.skip_past_gt(lt + 2),
                },
                _ => {
                    let tag = self.tag(lt, lt + 1, false)?;
                    self.raw = RAW_TEXT_ELEMENTS
                        .iter()
                        .copied()
                        .find(|(name, _)| tag.name.eq_ignore_ascii_case(name));
                    return Some(Token::Tag(tag));
                }
            }
        }
    }
}

/// The tags of a page, in order, in one pass.
fn tags(html: &str) -> impl Iterator<Item = Tag<'_>> {
    Tokenizer::new(html).filter_map(|token| match token {
        Token::Tag(tag) => Some(tag),
        _ => None,
    })
}

/// A `<form>` and the `<input>` and `<button>` tags inside it.
struct Form<'a> {
    tag: Tag<'a>,
    fields: Vec<Tag<'a>>,
}

impl Form<'_> {
    /// The value of the field named `name` (empty when it has none).
    fn value(&self, name: &str) -> Option<String> {
        self.fields
            .iter()
            .find(|t| t.attr_is("name", name))
            .map(|t| t.attr("value").unwrap_or_default())
    }

    fn has_field(&self, name: &str) -> bool {
        self.fields.iter().any(|t| t.attr_is("name", name))
    }

    fn action(&self) -> Option<String> {
        self.tag.attr("action").filter(|a| !a.trim().is_empty())
    }
}

/// The forms of a page, in order, in one pass. A form ends at `</form>` or at the end of the
/// page. A `<form>` inside an open form is ignored, as browsers do (WHATWG HTML §13.2.6.4.7, "A
/// start tag whose tag name is form"), so every field belongs to one form at most and a page of
/// unclosed forms is still read once.
fn forms(html: &str) -> impl Iterator<Item = Form<'_>> {
    let mut tags = tags(html);
    let mut open: Option<Form<'_>> = None;
    std::iter::from_fn(move || loop {
        let Some(tag) = tags.next() else {
            return open.take();
        };
        if tag.closes("form") {
            if let Some(form) = open.take() {
                return Some(form);
            }
        } else if tag.opens("form") {
            open.get_or_insert(Form {
                tag,
                fields: Vec::new(),
            });
        } else if tag.opens("input") || tag.opens("button") {
            if let Some(form) = open.as_mut() {
                form.fields.push(tag);
            }
        }
    })
}

fn is_password_input(tag: &Tag<'_>) -> bool {
    tag.attr("type")
        .is_some_and(|v| v.eq_ignore_ascii_case("password"))
}

/// Reads Dex's password form: a POST form with a `password` field.
pub fn password_form(html: &str) -> Option<PasswordForm> {
    let form = forms(html).find(|form| {
        form.fields
            .iter()
            .any(|t| is_password_input(t) || t.attr_is("name", "password"))
    })?;
    let password_field = form
        .fields
        .iter()
        .find(|t| is_password_input(t))
        .and_then(|t| t.attr("name"))
        .unwrap_or_else(|| "password".to_owned());
    let login_field = if form.has_field("login") {
        "login".to_owned()
    } else {
        form.fields
            .iter()
            .filter_map(|t| t.attr("name"))
            .find(|n| *n != password_field && n != "csrf_token")
            .unwrap_or_else(|| "login".to_owned())
    };
    Some(PasswordForm {
        action: form.action(),
        login_field,
        password_field,
        has_error: tags(html).any(|t| !t.closing && t.attr_is("id", "login-error")),
    })
}

/// Reads Dex's approval page: a POST form with `approval=approve` and a hidden `req`.
pub fn approval_form(html: &str) -> Option<ApprovalForm> {
    forms(html).find_map(|form| {
        let approves = form
            .fields
            .iter()
            .any(|t| t.attr_is("name", "approval") && t.attr_is("value", "approve"));
        if !approves {
            return None;
        }
        Some(ApprovalForm {
            req: form.value("req").unwrap_or_default(),
            action: form.action(),
        })
    })
}

/// Reads oauth2-proxy's sign-in page (a form whose action ends in `/oauth2/start`, or any
/// proxy prefix's `/start`, with a hidden `rd`).
pub fn sign_in_form(html: &str) -> Option<SignInForm> {
    forms(html).find_map(|form| {
        let action = form.tag.attr("action")?;
        let path = action.split('?').next().unwrap_or_default();
        if !(path.ends_with("/start") || path.ends_with("/sign_in")) {
            return None;
        }
        Some(SignInForm {
            rd: form.value("rd"),
            action,
        })
    })
}

/// At most this many connectors are read from a selection page (Dex deployments offer a few).
pub const MAX_CONNECTORS: usize = 64;

/// Connector links of Dex's selection page: `<a href="…/auth/<id>?…">`, at most
/// [`MAX_CONNECTORS`], each id once.
pub fn connector_links(html: &str) -> Vec<ConnectorLink> {
    let mut out: Vec<ConnectorLink> = Vec::new();
    for tag in tags(html).filter(|t| t.opens("a")) {
        let Some(href) = tag.attr("href") else {
            continue;
        };
        let path = href.split('?').next().unwrap_or_default();
        let mut segments = path.rsplit('/');
        let (Some(id), Some(parent)) = (segments.next(), segments.next()) else {
            continue;
        };
        if parent == "auth" && !id.is_empty() && !out.iter().any(|c| c.id == id) {
            out.push(ConnectorLink {
                id: id.to_owned(),
                href,
            });
            if out.len() == MAX_CONNECTORS {
                break;
            }
        }
    }
    out
}

/// The text of `<title>`, for error messages.
pub fn title(html: &str) -> Option<String> {
    let mut tokens = Tokenizer::new(html);
    tokens
        .by_ref()
        .find(|t| matches!(t, Token::Tag(tag) if tag.opens("title")))?;
    // The title's content is text up to `</title>` (RCDATA); one left open gives nothing.
    let raw = match tokens.next()? {
        Token::Text(text) => match tokens.next()? {
            Token::Tag(tag) if tag.closes("title") => text,
            _ => return None,
        },
        _ => return None,
    };
    let text = unescape(raw.trim());
    let text: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (!text.is_empty()).then(|| text.chars().take(120).collect())
}

/// Dex's error box (`id="login-error"`, class `dex-error-box`) or another `<div>` whose class
/// names an error.
fn is_error_box(tag: &Tag<'_>) -> bool {
    tag.opens("div")
        && (tag.attr_is("id", "login-error")
            || tag.raw_attr("class").is_some_and(|c| c.contains("error")))
}

/// The text of Dex's error box or an error page's main message, tags removed, for messages.
pub fn error_text(html: &str) -> Option<String> {
    let html = head(html);
    let mut tags = tags(html);
    let open = tags.find(is_error_box)?;
    let mut depth = 1usize;
    for tag in tags {
        if tag.opens("div") {
            depth += 1;
        } else if tag.closes("div") {
            depth -= 1;
            if depth == 0 {
                return Some(strip_tags(&html[open.end..tag.start]));
            }
        }
    }
    // A box left open is not a message.
    None
}

/// At most this many characters of text are returned by [`strip_tags`].
const MAX_TEXT_CHARS: usize = 200;

/// The text of `html`: tags, comments and the content of `<script>` and `<style>` removed,
/// entities decoded, whitespace folded, at most 200 characters (the page is read only until
/// they are found).
pub fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut chars = 0;
    for token in Tokenizer::new(html) {
        let Token::Text(text) = token else { continue };
        for word in unescape(text).split_whitespace() {
            if !out.is_empty() {
                out.push(' ');
                chars += 1;
            }
            out.push_str(word);
            chars += word.chars().count();
            if chars >= MAX_TEXT_CHARS {
                return out.chars().take(MAX_TEXT_CHARS).collect();
            }
        }
    }
    out
}

/// Decodes the HTML entities Go's `html/template` and Python's templates emit: `&name;` with
/// the `;` at most 10 bytes after the `&`. One pass: the next `&` and the next `;` are each
/// looked for from where the last search stopped.
pub fn unescape(s: &str) -> String {
    let bytes = s.as_bytes();
    let Some(first) = find_byte(bytes, 0, b'&') else {
        return s.to_owned();
    };
    let mut out = String::with_capacity(s.len());
    let mut copied = 0;
    let mut semicolon = find_byte(bytes, first, b';');
    let mut next = Some(first);
    while let Some(amp) = next {
        while semicolon.is_some_and(|p| p < amp) {
            semicolon = semicolon.and_then(|p| find_byte(bytes, p + 1, b';'));
        }
        let Some(end) = semicolon else { break };
        let mut resume = amp + 1;
        if end - amp <= 10 {
            // `&` and `;` are ASCII: both ends are character boundaries.
            if let Some(c) = decode_entity(&s[amp + 1..end]) {
                out.push_str(&s[copied..amp]);
                out.push(c);
                copied = end + 1;
                resume = end + 1;
            }
        }
        next = find_byte(bytes, resume, b'&');
    }
    out.push_str(&s[copied..]);
    out
}

fn decode_entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some(' '),
        _ => {
            let num = name.strip_prefix('#')?;
            let code = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEX_LOGIN: &str = r#"<div class="theme-panel">
  <h2 class="theme-heading">Log in to Your Account</h2>
  <form method="post" action="/dex/auth/local/login?back=&amp;state=abcdefghijklmnopqrstuvwxy">
    <div class="theme-form-row">
      <div class="theme-form-label"><label for="userid">Email Address</label></div>
      <input tabindex="1" required id="login" name="login" type="text" class="theme-form-input" placeholder="email address"  autofocus />
    </div>
    <div class="theme-form-row">
      <input tabindex="2" required id="password" name="password" type="password" class="theme-form-input" placeholder="password" />
    </div>
    <button tabindex="3" id="submit-login" type="submit" class="dex-btn theme-btn--primary">Login</button>
  </form>
</div>"#;

    #[test]
    fn reads_dex_password_form() {
        let f = password_form(DEX_LOGIN).unwrap();
        assert_eq!(
            f.action.as_deref(),
            Some("/dex/auth/local/login?back=&state=abcdefghijklmnopqrstuvwxy")
        );
        assert_eq!(
            (f.login_field.as_str(), f.password_field.as_str()),
            ("login", "password")
        );
        assert!(!f.has_error);
        let failed = DEX_LOGIN.replace(
            "<div class=\"theme-form-row\">",
            "<div id=\"login-error\" class=\"dex-error-box\">Invalid Email Address and password.</div><div class=\"theme-form-row\">",
        );
        let f = password_form(&failed).unwrap();
        assert!(f.has_error);
        assert_eq!(
            error_text(&failed).as_deref(),
            Some("Invalid Email Address and password.")
        );
        assert!(approval_form(DEX_LOGIN).is_none());
        assert!(sign_in_form(DEX_LOGIN).is_none());
    }

    #[test]
    fn reads_dex_approval_page() {
        let page = r#"<form method="post">
            <input type="hidden" name="req" value="k7ctyvhvbd3nhhsxpx3h3n5za"/>
            <input type="hidden" name="approval" value="rejected">
            <button type="submit" class="dex-btn theme-btn--secondary">Cancel</button>
          </form>
          <form method="post">
            <input type="hidden" name="req" value="k7ctyvhvbd3nhhsxpx3h3n5za"/>
            <input type="hidden" name="approval" value="approve">
            <button type="submit" class="dex-btn theme-btn--success">Grant Access</button>
          </form>"#;
        let a = approval_form(page).unwrap();
        assert_eq!(a.req, "k7ctyvhvbd3nhhsxpx3h3n5za");
        assert_eq!(a.action, None);
        assert!(password_form(page).is_none());
    }

    #[test]
    fn reads_oauth2_proxy_sign_in_page() {
        let page = r#"<form method="GET" action="/oauth2/start">
          <input type="hidden" name="rd" value="/pipeline">
          <button type="submit" class="button is-primary">Sign in with OpenID Connect</button>
        </form>"#;
        let s = sign_in_form(page).unwrap();
        assert_eq!(s.action, "/oauth2/start");
        assert_eq!(s.rd.as_deref(), Some("/pipeline"));
    }

    #[test]
    fn reads_connector_links() {
        let page = r#"<a href="/dex/auth/local?client_id=x&amp;state=y" target="_self">
            <button class="dex-btn theme-btn-provider">Log in with Email</button></a>
          <a href="/dex/auth/ldap?client_id=x&amp;state=y"><button>Log in with LDAP</button></a>
          <a href="/dex/static/main.css">css</a>"#;
        let links = connector_links(page);
        assert_eq!(
            links.iter().map(|l| l.id.as_str()).collect::<Vec<_>>(),
            ["local", "ldap"]
        );
        assert_eq!(links[1].href, "/dex/auth/ldap?client_id=x&state=y");
    }

    #[test]
    fn unescape_handles_entities_and_junk() {
        assert_eq!(unescape("a&amp;b&#39;c&#x2F;d&lt;"), "a&b'c/d<");
        assert_eq!(unescape("&unknown; & &#xZZ; &"), "&unknown; & &#xZZ; &");
        assert_eq!(title("<title>\n Dex \n</title>").as_deref(), Some("Dex"));
    }

    #[test]
    fn every_reader_reads_a_minimal_page() {
        let page = "<title>t</title><form action=\"/x\"><input name=rd value=/ ></form><a href=\"/dex/auth/l?x\">l</a><div class=\"dex-error-box\">e</div>";
        assert!(title(page).is_some());
        assert!(sign_in_form(&page.replace("/x", "/oauth2/start")).is_some());
        assert_eq!(connector_links(page).len(), 1);
        assert!(error_text(page).is_some());
        assert_eq!(strip_tags("<b>x</b>"), "x");
    }

    #[test]
    fn tag_and_attribute_names_are_case_insensitive() {
        let page = "<FORM METHOD=POST\n\tACTION='/dex/auth/local?req=abc'><INPUT NAME=login TYPE=text><Input Type=\"PASSWORD\" Name=\"password\"></FORM>\
                    <A HREF=\"/dex/auth/ldap?x=1\">LDAP</A><TITLE>Dex</TITLE>";
        let f = password_form(page).unwrap();
        assert_eq!(f.action.as_deref(), Some("/dex/auth/local?req=abc"));
        assert_eq!(f.password_field, "password");
        assert_eq!(connector_links(page)[0].id, "ldap");
        assert_eq!(title(page).as_deref(), Some("Dex"));
        // `<formx>` and `<abbr>` are not forms or links
        assert!(password_form("<formx><input type=password name=p></formx>").is_none());
        assert!(connector_links("<abbr href=\"/auth/x\">").is_empty());
    }

    #[test]
    fn huge_pages_are_read_only_up_to_the_limit() {
        let mut page = "é".repeat(MAX_PAGE_BYTES); // 2 bytes each: the cut falls inside one
        page.push_str("<form method=post><input type=password name=password></form>");
        assert!(password_form(&page).is_none());
        let started = std::time::Instant::now();
        let _ = (approval_form(&page), connector_links(&page), title(&page));
        assert!(started.elapsed().as_secs() < 5);
    }

    #[test]
    fn hostile_markup_does_not_panic() {
        for page in [
            "<form",
            "<form action=",
            "<form action=\"x\"><input name=password",
            "<a href=\"/auth/\">",
            "&#xFFFFFFFF;",
            "<form>\u{1F600}<input type=password name=p></form>",
            "<title>",
        ] {
            let _ = (
                password_form(page),
                approval_form(page),
                sign_in_form(page),
                connector_links(page),
                title(page),
                error_text(page),
            );
        }
    }
    #[test]
    fn markup_is_read_as_a_browser_reads_it() {
        // a `>` inside a quoted value does not end the tag; comments and scripts are not markup
        let page = r#"<!-- <form action="/commented"><input type=password name=c></form> -->
            <script>var s = "<form action='/script'><input type=password name=s>";</script>
            <form action='/dex/auth/local?a=1&amp;b=>2'><input name="user" data-x="a>b"><input type=password name=pw></form>"#;
        let f = password_form(page).unwrap();
        assert_eq!(f.action.as_deref(), Some("/dex/auth/local?a=1&b=>2"));
        assert_eq!(
            (f.login_field.as_str(), f.password_field.as_str()),
            ("user", "pw")
        );
        // a form inside an open form is ignored: its fields belong to the outer one
        let nested = "<form action=/outer><form action=/inner><input type=password name=p></form>";
        assert_eq!(
            password_form(nested).unwrap().action.as_deref(),
            Some("/outer")
        );
        // fields outside any form are not a form's
        assert!(password_form("<form action=/x></form><input type=password name=p>").is_none());
        // the error box's text runs to its own </div>, nested divs included
        let boxed =
            "<div class=\"dex-error-box\"><div>Invalid</div> password</div><div>after</div>";
        assert_eq!(error_text(boxed).as_deref(), Some("Invalid password"));
        assert_eq!(error_text("<div id='login-error'>open"), None);
        assert_eq!(
            strip_tags("a<script>x<y</script>b<!--c-->d<style>e</style> 1 < 2"),
            "a b d 1 < 2"
        );
        assert_eq!(title("<title>a <b> c</TITLE >"), Some("a <b> c".to_owned()));
        assert_eq!(title("<title>left open"), None);
    }

    /// A parser's worst case on hostile input, under a bound far above what a linear parser
    /// needs even in a debug build on a slow machine.
    const HOSTILE_BUDGET: std::time::Duration = std::time::Duration::from_millis(500);

    /// Pages built to make a scan that restarts per match (or a backtracking pattern) quadratic.
    fn hostile_pages() -> Vec<(&'static str, String)> {
        let giant = "v".repeat(MAX_PAGE_BYTES);
        vec![
            (
                "8,000 unclosed <form>",
                "<form>".repeat(8_000) + "<input type=password name=password>",
            ),
            ("8,000 <form without >", "<form ".repeat(8_000)),
            (
                "8,000 unclosed forms, each with a field",
                "<form action=/x><input name=a>".repeat(8_000),
            ),
            (
                "100k <input",
                format!("<form>{}", "<input ".repeat(100_000)),
            ),
            (
                "100k <input> in one form",
                format!("<form>{}", "<input name=x value=y>".repeat(100_000)),
            ),
            ("1 MB of < and quotes", "<\"'".repeat(350_000)),
            ("1 MB of <a and quotes", "<a href=\"'".repeat(100_000)),
            ("1 MB of </", "</".repeat(500_000)),
            ("1 MB of <!-", "<!-".repeat(350_000)),
            ("1 MB of &", "&".repeat(1_000_000)),
            ("1 MB of &#", "&#".repeat(500_000)),
            ("deeply nested divs", "<div class=\"error\">".repeat(60_000)),
            (
                "deeply nested closed divs",
                format!(
                    "{}x{}",
                    "<div id=login-error>".repeat(12_000),
                    "</div>".repeat(12_000)
                ),
            ),
            (
                "a giant attribute value",
                format!("<form action=\"{giant}\"><input type=password name=\"{giant}\">"),
            ),
            (
                "a giant unquoted value",
                format!("<form><input type=password name={giant}>"),
            ),
            (
                "100k attributes",
                format!("<form><input {}type=password>", "a=1 ".repeat(100_000)),
            ),
            (
                "100k connector links",
                (0..100_000)
                    .map(|i| format!("<a href=\"/auth/c{i}\">"))
                    .collect(),
            ),
            ("100k <title>", "<title>".repeat(100_000)),
            ("100k <script>", "<script>".repeat(100_000)),
            (
                "unclosed comment",
                format!("<!--{}", "<form>".repeat(100_000)),
            ),
            ("a giant text", "word ".repeat(200_000)),
        ]
    }

    fn assert_linear(parser: &str, parse: impl Fn(&str)) {
        for (name, page) in hostile_pages() {
            let started = std::time::Instant::now();
            parse(&page);
            let took = started.elapsed();
            assert!(took < HOSTILE_BUDGET, "{parser} took {took:?} on {name}");
        }
    }

    #[test]
    fn password_form_is_linear_on_hostile_pages() {
        assert_linear("password_form", |p| drop(password_form(p)));
        // and it still finds the real form behind junk
        let junk = format!(
            "{}{}",
            "<div a=\"b\">".repeat(10_000),
            "<p>x</p>".repeat(10_000)
        );
        assert!(password_form(&format!("{junk}{DEX_LOGIN}")).is_some());
    }

    #[test]
    fn approval_form_is_linear_on_hostile_pages() {
        assert_linear("approval_form", |p| drop(approval_form(p)));
    }

    #[test]
    fn sign_in_form_is_linear_on_hostile_pages() {
        assert_linear("sign_in_form", |p| drop(sign_in_form(p)));
    }

    #[test]
    fn connector_links_are_linear_on_hostile_pages() {
        assert_linear("connector_links", |p| drop(connector_links(p)));
        let many: String = (0..10_000)
            .map(|i| format!("<a href=\"/dex/auth/c{i}?x\">"))
            .collect();
        assert_eq!(connector_links(&many).len(), MAX_CONNECTORS);
    }

    #[test]
    fn title_is_linear_on_hostile_pages() {
        assert_linear("title", |p| drop(title(p)));
        let long = format!("<title>{}</title>", "t ".repeat(100_000));
        assert_eq!(title(&long).map(|t| t.chars().count()), Some(120));
    }

    #[test]
    fn error_text_is_linear_on_hostile_pages() {
        assert_linear("error_text", |p| drop(error_text(p)));
    }

    #[test]
    fn strip_tags_is_linear_on_hostile_pages() {
        assert_linear("strip_tags", |p| drop(strip_tags(p)));
        assert_eq!(strip_tags(&"word ".repeat(200_000)).chars().count(), 200);
    }

    #[test]
    fn unescape_is_linear_on_hostile_text() {
        // not bounded by MAX_PAGE_BYTES: callers pass attribute values and texts of any length
        assert_linear("unescape", |p| drop(unescape(p)));
        assert_eq!(unescape(&"&".repeat(100)), "&".repeat(100));
    }
}
