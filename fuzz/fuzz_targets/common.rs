// Shared by the targets: request URLs of the shapes the library meets (`include!`d, so each
// target stays one file for cargo-fuzz).

/// A request URL picked by one byte: loopback http, a plain-http host (Secure cookies refused),
/// https, a subdomain, IPv6, an IP with a port, and a path-heavy callback.
#[allow(dead_code)]
fn base_url(pick: u8) -> url::Url {
    const BASES: [&str; 8] = [
        "http://127.0.0.1:8080/pipeline",
        "http://localhost:8080/oauth2/callback?code=c&state=s",
        "http://deploykf.example.com/dex/auth/local/login?back=&state=x",
        "https://deploykf.example.com:8443/pipeline/apis/v2beta1/runs",
        "https://a.b.kf.example.com/",
        "http://[::1]:8080/authservice/oidc/callback",
        "https://10.0.0.1:443/dex/approval?req=r&hmac=h",
        "http://ml-pipeline-ui.kubeflow/",
    ];
    let text = BASES[usize::from(pick) % BASES.len()];
    url::Url::parse(text).unwrap()
}
