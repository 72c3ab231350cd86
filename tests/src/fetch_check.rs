//! The Fetch standard's CORS checks, as a browser applies them to response headers:
//! the one implementation the proxy tests judge every backend's answers with.
//!
//! Implemented from <https://fetch.spec.whatwg.org/> ("CORS check", "CORS-preflight
//! fetch" steps 7 to 9 and the `Access-Control-Expose-Headers` rules), without any
//! code of the engine under test.

/// One response as the browser sees it: status and header lines (names any case).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// Every header line, in order, as (name, value).
    pub headers: Vec<(String, String)>,
}

impl Response {
    /// Fetch's "get" a header: every value of `name` (ignoring case) joined with `", "`,
    /// or `None` when there is none.
    pub fn get(&self, name: &str) -> Option<String> {
        let values: Vec<&str> = self
            .headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect();
        (!values.is_empty()).then(|| values.join(", "))
    }

    /// The lower-case tokens of every `Vary` line (`*` included).
    pub fn vary(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .get("vary")
            .unwrap_or_default()
            .split(',')
            .map(|s| s.trim().to_ascii_lowercase())
            .filter(|s| !s.is_empty())
            .collect();
        out.sort();
        out.dedup();
        out
    }
}

/// What a script asked for: the request a browser makes, before any preflight.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fetch {
    /// The page's origin, serialized (what the browser sends as `Origin`).
    pub origin: String,
    /// Credentials mode "include".
    pub credentials: bool,
    /// The request method, normalized as Fetch does (only the six standard methods are
    /// upper-cased).
    pub method: String,
    /// The CORS-unsafe request header names, lower-case.
    pub unsafe_headers: Vec<String>,
}

/// How a browser treats the answer.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verdict {
    /// Network error: the script sees nothing.
    Blocked,
    /// The preflight passed.
    PreflightPassed,
    /// The script reads the response, and these response header names beyond the
    /// safelisted ones (`*` = all but `Set-Cookie`), lower-case and sorted.
    Readable {
        /// The exposed names.
        exposed: Vec<String>,
    },
}

const HTTP_TAB_OR_SPACE: &[char] = &[' ', '\t'];

/// Fetch's method normalization: `DELETE GET HEAD OPTIONS POST PUT` upper-cased when
/// they match ignoring case; any other method stays as written.
pub fn normalize_method(method: &str) -> String {
    const STANDARD: [&str; 6] = ["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"];
    match STANDARD.iter().find(|m| m.eq_ignore_ascii_case(method)) {
        Some(m) => (*m).to_owned(),
        None => method.to_owned(),
    }
}

/// Whether `s` is an HTTP token.
fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// Fetch's "extract header list values" for a `#token` list: `Ok(None)` when absent,
/// `Err(())` when an item is not a token (the fetch fails). Empty items are skipped,
/// as the `#` rule allows.
fn extract_list(response: &Response, name: &str) -> Result<Option<Vec<String>>, ()> {
    let Some(joined) = response.get(name) else {
        return Ok(None);
    };
    let mut items = Vec::new();
    for item in joined.split(',') {
        let item = item.trim_matches(HTTP_TAB_OR_SPACE);
        if item.is_empty() {
            continue;
        }
        if !is_token(item) {
            return Err(());
        }
        items.push(item.to_owned());
    }
    Ok(Some(items))
}

/// Fetch's "CORS check".
pub fn cors_check(fetch: &Fetch, response: &Response) -> bool {
    let Some(origin) = response.get("access-control-allow-origin") else {
        return false;
    };
    if !fetch.credentials && origin == "*" {
        return true;
    }
    if origin != fetch.origin {
        return false;
    }
    if !fetch.credentials {
        return true;
    }
    response.get("access-control-allow-credentials").as_deref() == Some("true")
}

const SAFELISTED_METHODS: [&str; 3] = ["GET", "HEAD", "POST"];

/// Fetch's "CORS-preflight fetch": whether `response` to the preflight of `fetch` lets
/// the actual request go.
pub fn preflight_check(fetch: &Fetch, response: &Response) -> bool {
    if !cors_check(fetch, response) || !(200..=299).contains(&response.status) {
        return false;
    }
    let Ok(methods) = extract_list(response, "access-control-allow-methods") else {
        return false;
    };
    let Ok(header_names) = extract_list(response, "access-control-allow-headers") else {
        return false;
    };
    let methods = methods.unwrap_or_default();
    let header_names = header_names.unwrap_or_default();
    let method = normalize_method(&fetch.method);
    let any_method = methods.iter().any(|m| m == "*");
    if !methods.contains(&method)
        && !SAFELISTED_METHODS.contains(&method.as_str())
        && (fetch.credentials || !any_method)
    {
        return false;
    }
    let listed = |name: &str| header_names.iter().any(|h| h.eq_ignore_ascii_case(name));
    let any_header = header_names.iter().any(|h| h == "*");
    for name in &fetch.unsafe_headers {
        // `Authorization` is the CORS non-wildcard request-header name.
        if name.eq_ignore_ascii_case("authorization") && !listed(name) {
            return false;
        }
        if !listed(name) && (fetch.credentials || !any_header) {
            return false;
        }
    }
    true
}

/// The verdict on an actual response: blocked, or readable with these exposed names.
pub fn actual_verdict(fetch: &Fetch, response: &Response) -> Verdict {
    if !cors_check(fetch, response) {
        return Verdict::Blocked;
    }
    let Ok(list) = extract_list(response, "access-control-expose-headers") else {
        // A malformed list exposes nothing beyond the safelisted names.
        return Verdict::Readable { exposed: vec![] };
    };
    let mut exposed: Vec<String> = list
        .unwrap_or_default()
        .into_iter()
        // With credentials `*` is a literal name, not "all".
        .map(|n| n.to_ascii_lowercase())
        .filter(|n| n != "set-cookie" && n != "set-cookie2")
        .collect();
    if fetch.credentials {
        exposed.retain(|n| n != "*");
    }
    exposed.sort();
    exposed.dedup();
    Verdict::Readable { exposed }
}

/// The verdict on a preflight response.
pub fn preflight_verdict(fetch: &Fetch, response: &Response) -> Verdict {
    if preflight_check(fetch, response) {
        Verdict::PreflightPassed
    } else {
        Verdict::Blocked
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16, headers: &[(&str, &str)]) -> Response {
        Response {
            status,
            headers: headers
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect(),
        }
    }

    fn fetch(origin: &str, credentials: bool, method: &str, headers: &[&str]) -> Fetch {
        Fetch {
            origin: origin.into(),
            credentials,
            method: method.into(),
            unsafe_headers: headers.iter().map(|h| h.to_string()).collect(),
        }
    }

    #[test]
    fn cors_check_is_byte_exact_and_needs_one_value() {
        let f = fetch("https://a.com", false, "GET", &[]);
        assert!(cors_check(
            &f,
            &response(200, &[("Access-Control-Allow-Origin", "https://a.com")])
        ));
        assert!(!cors_check(
            &f,
            &response(200, &[("access-control-allow-origin", "https://A.com")])
        ));
        assert!(!cors_check(
            &f,
            &response(200, &[("access-control-allow-origin", "https://a.com/")])
        ));
        let two = response(
            200,
            &[
                ("access-control-allow-origin", "https://a.com"),
                ("access-control-allow-origin", "https://a.com"),
            ],
        );
        assert!(!cors_check(&f, &two));
        assert!(cors_check(
            &f,
            &response(200, &[("access-control-allow-origin", "*")])
        ));
    }

    #[test]
    fn credentials_need_true_and_no_star() {
        let f = fetch("https://a.com", true, "GET", &[]);
        assert!(!cors_check(
            &f,
            &response(
                200,
                &[
                    ("access-control-allow-origin", "*"),
                    ("access-control-allow-credentials", "true")
                ]
            )
        ));
        assert!(!cors_check(
            &f,
            &response(
                200,
                &[
                    ("access-control-allow-origin", "https://a.com"),
                    ("access-control-allow-credentials", "True")
                ]
            )
        ));
        assert!(cors_check(
            &f,
            &response(
                200,
                &[
                    ("access-control-allow-origin", "https://a.com"),
                    ("access-control-allow-credentials", "true")
                ]
            )
        ));
    }

    #[test]
    fn preflight_methods_and_headers() {
        let ok = |f: &Fetch, h: &[(&str, &str)]| preflight_check(f, &response(204, h));
        let acao = ("access-control-allow-origin", "https://a.com");
        let f = fetch("https://a.com", false, "patch", &["x-a"]);
        // `patch` is not normalized, so PATCH does not allow it.
        assert!(!ok(
            &f,
            &[
                acao,
                ("access-control-allow-methods", "PATCH"),
                ("access-control-allow-headers", "x-a")
            ]
        ));
        assert!(ok(
            &f,
            &[
                acao,
                ("access-control-allow-methods", "patch"),
                ("access-control-allow-headers", "X-A")
            ]
        ));
        assert!(ok(
            &f,
            &[
                acao,
                ("access-control-allow-methods", "*"),
                ("access-control-allow-headers", "*")
            ]
        ));
        let auth = fetch("https://a.com", false, "GET", &["authorization"]);
        assert!(!ok(&auth, &[acao, ("access-control-allow-headers", "*")]));
        assert!(ok(
            &auth,
            &[acao, ("access-control-allow-headers", "*, authorization")]
        ));
        // A non-token item fails the whole preflight; a non-2xx status too.
        assert!(!ok(
            &f,
            &[
                acao,
                ("access-control-allow-methods", "patch, p q"),
                ("access-control-allow-headers", "x-a")
            ]
        ));
        assert!(!preflight_check(
            &f,
            &response(
                403,
                &[
                    acao,
                    ("access-control-allow-methods", "patch"),
                    ("access-control-allow-headers", "x-a")
                ]
            )
        ));
    }

    #[test]
    fn exposed_headers() {
        let f = fetch("https://a.com", true, "GET", &[]);
        let r = response(
            200,
            &[
                ("access-control-allow-origin", "https://a.com"),
                ("access-control-allow-credentials", "true"),
                ("access-control-expose-headers", "*, X-Id, set-cookie"),
            ],
        );
        assert_eq!(
            actual_verdict(&f, &r),
            Verdict::Readable {
                exposed: vec!["x-id".into()]
            }
        );
    }
}
