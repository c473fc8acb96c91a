//! What the platform running the client can do, as one value.
//!
//! Node's `fetch` (undici) hands every redirect and `Set-Cookie` to the script, lets it set a
//! `Cookie` header, and takes per-client TLS settings; the client keeps its own cookie jar and
//! walks the login hop by hop ([`crate::core::login::LoginFlow`]). A browser page can do none of
//! that: `fetch` answers a manual redirect with an opaque response (status 0, no `Location`),
//! hides `Set-Cookie`, forbids the `Cookie` header and keeps the (HttpOnly) cookies itself,
//! sending them with `credentials: "include"`; so a page logs in by letting `fetch` follow each
//! step and reading where it ended ([`crate::core::browser::BrowserLogin`]), and uses the
//! session the browser holds (`research/dex-login-flows.md` §7, "Browser").
//!
//! Option parsing asks this value, once per option, whether the option can work here; what a
//! page cannot do fails at once with `KFP_UNSUPPORTED` saying why, never later in a request.

use crate::core::error::{Error, Result};

/// The capabilities of a platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Platform {
    /// How messages name it ("Node.js", "a browser page").
    pub name: &'static str,
    /// `fetch` follows redirects itself and shows a script only where they ended (`response.url`,
    /// `response.redirected`); `redirect: "manual"` gives an opaque answer.
    pub follows_redirects_itself: bool,
    /// `Set-Cookie` headers reach the script (`Headers.getSetCookie()`).
    pub sees_set_cookie: bool,
    /// A script may set the `Cookie` request header.
    pub can_set_cookie_header: bool,
    /// Files can be read (the service-account token).
    pub reads_files: bool,
    /// TLS can be configured per client (`skipTlsVerify`, `caCert`).
    pub tls_options: bool,
}

impl Platform {
    /// Node.js with the package's host hooks (`installHost`).
    pub const NODE: Platform = Platform {
        name: "Node.js",
        follows_redirects_itself: false,
        sees_set_cookie: true,
        can_set_cookie_header: true,
        reads_files: true,
        tls_options: true,
    };

    /// A browser page (or worker): no host hooks.
    pub const BROWSER: Platform = Platform {
        name: "a browser page",
        follows_redirects_itself: true,
        sees_set_cookie: false,
        can_set_cookie_header: false,
        reads_files: false,
        tls_options: false,
    };

    /// The platform keeps the cookies itself, one store for every client of the page: requests
    /// go with `credentials: "include"`, and a login of one client touches the cookies of all.
    pub fn keeps_cookies_itself(&self) -> bool {
        !self.sees_set_cookie
    }

    /// The client can keep its own cookie jar (see every `Set-Cookie`, send a `Cookie`).
    pub fn keeps_a_jar(&self) -> bool {
        self.sees_set_cookie && self.can_set_cookie_header
    }

    fn unsupported(&self, feature: &str, reason: impl Into<String>) -> Error {
        Error::Unsupported {
            feature: feature.to_owned(),
            reason: reason.into(),
        }
    }

    /// Whether `auth.type` can work here; checked before the auth's own fields are read.
    ///
    /// # Errors
    /// `Unsupported` saying why and what to use instead.
    pub fn check_auth_type(&self, auth_type: &str) -> Result<()> {
        match auth_type {
            "serviceAccountToken" if !self.reads_files => Err(self.unsupported(
                "auth type \"serviceAccountToken\"",
                format!("it reads the token from a file, which {} cannot do; use auth type \"browser\" (the session the page already has) or \"bearer\" with a token", self.name),
            )),
            "cookies" if !self.can_set_cookie_header => Err(self.unsupported(
                "auth type \"cookies\"",
                format!("{} cannot set the Cookie header (the browser sends its own cookies for the gateway's origin); use auth type \"browser\" to use the session the page already has", self.name),
            )),
            "browser" if !self.keeps_cookies_itself() => Err(self.unsupported(
                "auth type \"browser\"",
                format!("it uses the session a browser holds for the page, and {} has none; use auth type \"dex\", a token, or \"cookies\"", self.name),
            )),
            _ => Ok(()),
        }
    }

    /// `skipTlsVerify` (when true) and `caCert` (when given).
    ///
    /// # Errors
    /// `Unsupported` naming the option.
    pub fn check_tls(&self, skip_tls_verify: bool, ca_cert: bool) -> Result<()> {
        if self.tls_options || !(skip_tls_verify || ca_cert) {
            return Ok(());
        }
        let feature = if skip_tls_verify {
            "skipTlsVerify"
        } else {
            "caCert"
        };
        Err(self.unsupported(
            feature,
            "a browser verifies TLS itself and a page cannot change that; trust the gateway's certificate (or its CA) in the browser or the OS instead",
        ))
    }

    /// One name of `options.headers`.
    ///
    /// # Errors
    /// `Unsupported` for `Cookie` where scripts cannot set it.
    pub fn check_header(&self, name: &str) -> Result<()> {
        if name.eq_ignore_ascii_case("cookie") && !self.can_set_cookie_header {
            return Err(self.unsupported(
                "A Cookie header in options.headers",
                "browsers forbid scripts to set it and send their own cookies; use auth type \"browser\" to use the page's session",
            ));
        }
        Ok(())
    }

    /// `options.session` (cookies from `exportSession()`).
    ///
    /// # Errors
    /// `Unsupported` where the client cannot send cookies of its own.
    pub fn check_session(&self) -> Result<()> {
        if self.keeps_a_jar() {
            return Ok(());
        }
        Err(self.unsupported(
            "options.session",
            "a page can neither set nor read the gateway's session cookies (the browser keeps them); use auth type \"browser\" to use the page's session",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::error::ErrorCode;

    fn unsupported(r: Result<()>, feature: &str) {
        let err = r.unwrap_err();
        assert_eq!(err.code(), ErrorCode::Unsupported);
        assert!(err.to_string().contains(feature), "{err}");
    }

    #[test]
    fn node_can_do_everything_but_use_a_page_session() {
        let node = Platform::NODE;
        for t in ["dex", "serviceAccountToken", "bearer", "cookies", "none"] {
            assert!(node.check_auth_type(t).is_ok(), "{t}");
        }
        unsupported(node.check_auth_type("browser"), "\"browser\"");
        assert!(node.check_tls(true, true).is_ok());
        assert!(node.check_header("Cookie").is_ok());
        assert!(node.check_session().is_ok());
        assert!(node.keeps_a_jar() && !node.keeps_cookies_itself());
    }

    #[test]
    fn a_page_refuses_what_it_cannot_do_and_says_why() {
        let page = Platform::BROWSER;
        for t in ["dex", "bearer", "none", "browser"] {
            assert!(page.check_auth_type(t).is_ok(), "{t}");
        }
        unsupported(page.check_auth_type("serviceAccountToken"), "file");
        unsupported(page.check_auth_type("cookies"), "Cookie header");
        unsupported(page.check_tls(true, false), "skipTlsVerify");
        unsupported(page.check_tls(false, true), "caCert");
        assert!(page.check_tls(false, false).is_ok());
        unsupported(page.check_header("cookie"), "Cookie");
        assert!(page.check_header("x-team").is_ok());
        unsupported(page.check_session(), "options.session");
        assert!(page.keeps_cookies_itself() && page.follows_redirects_itself);
    }
}
