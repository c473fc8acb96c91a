//! Recognising and reading the HTML pages of the login flow.
//!
//! Dex renders its pages from `web/templates/*.html`; oauth2-proxy renders `sign_in.html` and
//! `error.html`. The parsers look for the few stable markers those templates carry (form fields,
//! ids, link shapes), not for layout, so themed pages still work. See
//! `research/dex-login-flows.md` §1.4 (password form), §1.5 (approval page), §1.2 (connector
//! selection) and §2.1 (oauth2-proxy sign-in page).

use std::sync::OnceLock;

use regex::Regex;

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

fn re(cell: &'static OnceLock<Option<Regex>>, pattern: &str) -> Option<&'static Regex> {
    // The patterns are string constants in this file, compiled by every unit test below; no
    // user or server input reaches `Regex::new`. They are written for the regex crate without
    // its Unicode tables (smaller wasm): ASCII case folding `(?i-u:…)`, ASCII word boundaries
    // `(?-u:\b)`, and HTML's own white space `[\t\n\x0C\r ]`.
    // A pattern that failed to compile (a programming error the tests catch) matches nothing.
    cell.get_or_init(|| Regex::new(pattern).ok()).as_ref()
}

fn form_tags(html: &str) -> impl Iterator<Item = (&str, &str)> {
    // (opening tag, content up to </form> or end)
    static FORM: OnceLock<Option<Regex>> = OnceLock::new();
    let form = re(&FORM, r"<(?i-u:form)(?-u:\b)[^>]*>");
    form.into_iter().flat_map(move |form| form.find_iter(html)).map(move |m| {
        let rest = &html[m.end()..];
        let end = rest.to_ascii_lowercase().find("</form").unwrap_or(rest.len());
        (m.as_str(), &rest[..end])
    })
}

/// The value of attribute `name` in a tag, HTML-unescaped.
fn attr(tag: &str, name: &str) -> Option<String> {
    static ATTR: OnceLock<Option<Regex>> = OnceLock::new();
    let attr_re = re(&ATTR, r#"[\t\n\x0C\r ]((?i-u:[a-z_:][-a-z0-9_:.]*))[\t\n\x0C\r ]*=[\t\n\x0C\r ]*(?:"([^"]*)"|'([^']*)'|([^\t\n\x0C\r "'>]+))"#);
    attr_re?.captures_iter(tag).find_map(|c| {
        let key = c.get(1)?.as_str();
        if !key.eq_ignore_ascii_case(name) {
            return None;
        }
        let value = c.get(2).or_else(|| c.get(3)).or_else(|| c.get(4)).map(|m| m.as_str())?;
        Some(unescape(value))
    })
}

fn input_tags(html: &str) -> impl Iterator<Item = &str> {
    static INPUT: OnceLock<Option<Regex>> = OnceLock::new();
    re(&INPUT, r"<(?i-u:input|button)(?-u:\b)[^>]*>").into_iter().flat_map(move |input| input.find_iter(html)).map(|m| m.as_str())
}

/// Finds the `<input>` named `name` and returns its value (empty when it has none).
fn input_value(form: &str, name: &str) -> Option<String> {
    input_tags(form)
        .find(|tag| attr(tag, "name").as_deref() == Some(name))
        .map(|tag| attr(tag, "value").unwrap_or_default())
}

fn has_input(form: &str, name: &str) -> bool {
    input_tags(form).any(|tag| attr(tag, "name").as_deref() == Some(name))
}

/// Reads Dex's password form: a POST form with a `password` field.
pub fn password_form(html: &str) -> Option<PasswordForm> {
    let html = head(html);
    let (tag, body) = form_tags(html).find(|(_, body)| {
        input_tags(body).any(|t| {
            attr(t, "type").is_some_and(|v| v.eq_ignore_ascii_case("password"))
                || attr(t, "name").as_deref() == Some("password")
        })
    })?;
    let password_field = input_tags(body)
        .find(|t| attr(t, "type").is_some_and(|v| v.eq_ignore_ascii_case("password")))
        .and_then(|t| attr(t, "name"))
        .unwrap_or_else(|| "password".to_owned());
    let login_field = if has_input(body, "login") {
        "login".to_owned()
    } else {
        input_tags(body)
            .filter_map(|t| attr(t, "name"))
            .find(|n| *n != password_field && n != "csrf_token")
            .unwrap_or_else(|| "login".to_owned())
    };
    Some(PasswordForm {
        action: attr(tag, "action").filter(|a| !a.trim().is_empty()),
        login_field,
        password_field,
        has_error: html.contains("id=\"login-error\"") || html.contains("id='login-error'"),
    })
}

/// Reads Dex's approval page: a POST form with `approval=approve` and a hidden `req`.
pub fn approval_form(html: &str) -> Option<ApprovalForm> {
    let html = head(html);
    form_tags(html).find_map(|(tag, body)| {
        let approves = input_tags(body).any(|t| {
            attr(t, "name").as_deref() == Some("approval") && attr(t, "value").as_deref() == Some("approve")
        });
        if !approves {
            return None;
        }
        Some(ApprovalForm {
            req: input_value(body, "req").unwrap_or_default(),
            action: attr(tag, "action").filter(|a| !a.trim().is_empty()),
        })
    })
}

/// Reads oauth2-proxy's sign-in page (a form whose action ends in `/oauth2/start`, or any
/// proxy prefix's `/start`, with a hidden `rd`).
pub fn sign_in_form(html: &str) -> Option<SignInForm> {
    let html = head(html);
    form_tags(html).find_map(|(tag, body)| {
        let action = attr(tag, "action")?;
        let path = action.split('?').next().unwrap_or_default();
        if !(path.ends_with("/start") || path.ends_with("/sign_in")) {
            return None;
        }
        Some(SignInForm { action, rd: input_value(body, "rd") })
    })
}

/// Connector links of Dex's selection page: `<a href="…/auth/<id>?…">`.
pub fn connector_links(html: &str) -> Vec<ConnectorLink> {
    let html = head(html);
    static LINK: OnceLock<Option<Regex>> = OnceLock::new();
    let link = re(&LINK, r#"<(?i-u:a)(?-u:\b)[^>]*[\t\n\x0C\r ](?i-u:href)[\t\n\x0C\r ]*=[\t\n\x0C\r ]*(?:"([^"]*)"|'([^']*)')"#);
    let Some(link) = link else { return Vec::new() };
    let mut out: Vec<ConnectorLink> = Vec::new();
    for c in link.captures_iter(html) {
        let Some(raw) = c.get(1).or_else(|| c.get(2)) else { continue };
        let href = unescape(raw.as_str());
        let path = href.split('?').next().unwrap_or_default();
        let mut segments = path.rsplit('/');
        let (Some(id), Some(parent)) = (segments.next(), segments.next()) else { continue };
        if parent == "auth" && !id.is_empty() && !out.iter().any(|l| l.id == id) {
            out.push(ConnectorLink { id: id.to_owned(), href });
        }
    }
    out
}

/// The text of `<title>`, for error messages.
pub fn title(html: &str) -> Option<String> {
    let html = head(html);
    static TITLE: OnceLock<Option<Regex>> = OnceLock::new();
    let t = re(&TITLE, r"(?s)<(?i-u:title)[^>]*>(.*?)</(?i-u:title)>");
    let text = unescape(t?.captures(html)?.get(1)?.as_str().trim());
    let text: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    (!text.is_empty()).then(|| text.chars().take(120).collect())
}

/// The text of Dex's error box or an error page's main message, tags removed, for messages.
pub fn error_text(html: &str) -> Option<String> {
    let html = head(html);
    static BOX: OnceLock<Option<Regex>> = OnceLock::new();
    let boxed = re(&BOX, r#"(?s)<(?i-u:div)[^>]*(?:id="login-error"|class="[^"]*(?:dex-error-box|error)[^"]*")[^>]*>(.*?)</(?i-u:div)>"#);
    let raw = boxed?.captures(html).and_then(|c| c.get(1)).map(|m| m.as_str())?;
    Some(strip_tags(raw))
}

/// Tags removed, entities decoded, whitespace folded, at most 200 characters.
pub fn strip_tags(html: &str) -> String {
    let html = head(html);
    static TAG: OnceLock<Option<Regex>> = OnceLock::new();
    let tag = re(&TAG, r"(?s)<[^>]*>");
    let text = match tag {
        Some(tag) => unescape(&tag.replace_all(html, " ")),
        None => unescape(html),
    };
    let folded: Vec<&str> = text.split_whitespace().collect();
    folded.join(" ").chars().take(200).collect()
}

/// Decodes the HTML entities Go's `html/template` and Python's templates emit.
pub fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(pos) = rest.find('&') {
        out.push_str(&rest[..pos]);
        rest = &rest[pos..];
        let end = rest.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| decode_entity(&rest[1..e]).map(|c| (c, e)));
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
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
        assert_eq!(f.action.as_deref(), Some("/dex/auth/local/login?back=&state=abcdefghijklmnopqrstuvwxy"));
        assert_eq!((f.login_field.as_str(), f.password_field.as_str()), ("login", "password"));
        assert!(!f.has_error);
        let failed = DEX_LOGIN.replace(
            "<div class=\"theme-form-row\">",
            "<div id=\"login-error\" class=\"dex-error-box\">Invalid Email Address and password.</div><div class=\"theme-form-row\">",
        );
        let f = password_form(&failed).unwrap();
        assert!(f.has_error);
        assert_eq!(error_text(&failed).as_deref(), Some("Invalid Email Address and password."));
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
        assert_eq!(links.iter().map(|l| l.id.as_str()).collect::<Vec<_>>(), ["local", "ldap"]);
        assert_eq!(links[1].href, "/dex/auth/ldap?client_id=x&state=y");
    }

    #[test]
    fn unescape_handles_entities_and_junk() {
        assert_eq!(unescape("a&amp;b&#39;c&#x2F;d&lt;"), "a&b'c/d<");
        assert_eq!(unescape("&unknown; & &#xZZ; &"), "&unknown; & &#xZZ; &");
        assert_eq!(title("<title>\n Dex \n</title>").as_deref(), Some("Dex"));
    }

    #[test]
    fn every_pattern_compiles() {
        // re() falls back to "match nothing" on a bad pattern; make sure none is bad.
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
        for page in ["<form", "<form action=", "<form action=\"x\"><input name=password", "<a href=\"/auth/\">", "&#xFFFFFFFF;", "<form>\u{1F600}<input type=password name=p></form>", "<title>"] {
            let _ = (password_form(page), approval_form(page), sign_in_form(page), connector_links(page), title(page), error_text(page));
        }
    }
}
