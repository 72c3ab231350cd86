//! nginx and Apache httpd configuration that enforces a validated policy.
//!
//! The emitters take a [`ValidPolicy`] (never policy text) and print configuration that
//! answers every request the way the engine does (policy-spec §4): preflights answered
//! by the server (204 with the headers, or 403 with none), actual responses given
//! `Access-Control-Allow-Origin` and friends only for allowed origins, and `Vary` on
//! every answer that depends on the request. Every value that does not come from the
//! request is taken from the compiled [`Policy`] and the engine's own decisions, so
//! the three backends share one source of truth; every regex is printed by
//! `emit/pcre.rs` from a typed pattern or from the syntax tree a regex origin was proved on.
//!
//! ```
//! use cors_policy_compiler::emit::{self, NginxContext};
//! use cors_policy_compiler::load::load_yaml;
//!
//! let file = load_yaml("origins: [https://app.example.com]\nmethods: [PUT]\n");
//! let policy = file.select(None).unwrap().valid.as_ref().unwrap();
//! let http = emit::nginx(policy, NginxContext::Http).unwrap();
//! let server = emit::nginx(policy, NginxContext::Server).unwrap();
//! let apache = emit::apache(policy).unwrap();
//! assert!(http.contains("map $http_origin $cors_exact"));
//! assert!(server.contains("add_header Access-Control-Allow-Origin $cors_allow_origin always;"));
//! assert!(apache.contains("Header always set Access-Control-Allow-Origin"));
//! ```

mod apache;
mod nginx;
pub(crate) mod pcre;

use std::fmt;

use crate::compile::compile;
use crate::model::{OriginPattern, OriginSet, ValidPolicy};
use crate::table::Policy;
use cors_policy_core::engine::Request;

pub use apache::apache;
pub use nginx::{nginx, NginxContext};

/// Why a policy could not be written as server configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum EmitError {
    /// The policy uses something the target cannot express exactly (a regex feature
    /// PCRE lacks, a `$` in a header name for nginx, ...). Nothing is approximated.
    Unsupported(String),
}

impl fmt::Display for EmitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EmitError::Unsupported(what) => {
                write!(f, "cannot be written as server configuration: {what}")
            }
        }
    }
}

impl std::error::Error for EmitError {}

/// Every CORS response header a policy may produce (for the commented lines that hide
/// an application's own).
const RESPONSE_HEADERS: [&str; 7] = [
    "Access-Control-Allow-Origin",
    "Access-Control-Allow-Credentials",
    "Access-Control-Allow-Methods",
    "Access-Control-Allow-Headers",
    "Access-Control-Max-Age",
    "Access-Control-Allow-Private-Network",
    "Access-Control-Expose-Headers",
];

/// One allowed-origin rule, as the servers match it.
struct OriginRule {
    /// How the policy wrote it (for the comment above it).
    written: String,
    /// Anchored PCRE for the whole `Origin` value, gate included.
    pcre: String,
}

/// Which origins are allowed, in server terms.
enum Origins {
    /// `origins: "*"`: `*` for any request with an `Origin`.
    Any,
    /// An allowlist.
    List {
        /// Exact origins, sorted: hashed by nginx, a trie regex for Apache.
        exact: Vec<String>,
        /// `*.`/`:*` patterns and regexes, in the engine's order (patterns first).
        rules: Vec<OriginRule>,
    },
}

/// Everything both emitters print, decided once from the policy.
struct Plan {
    /// The policy's name, if any (for comments).
    name: Option<String>,
    origins: Origins,
    credentials: bool,
    /// Anchored PCRE of the `Access-Control-Request-Method` values allowed.
    methods_pcre: String,
    /// The methods, for the comment.
    methods_text: String,
    /// Anchored PCRE of the `Access-Control-Request-Headers` values allowed.
    headers_pcre: String,
    /// The headers, for the comment.
    headers_text: String,
    /// `Access-Control-Allow-Headers` of an allowed preflight: a fixed value, or
    /// `None` to echo the request (`allow_headers: "*"` with credentials).
    allow_headers: AllowHeaders,
    expose_headers: Option<String>,
    max_age: Option<String>,
    private_network: bool,
    /// `Vary` of a request without `Origin`, of an actual request, of a preflight.
    vary_not_cors: Option<&'static str>,
    vary_actual: Option<&'static str>,
    vary_preflight: Option<&'static str>,
}

/// `Access-Control-Allow-Headers` of an allowed preflight.
enum AllowHeaders {
    /// Not sent: the policy allows no request header.
    None,
    /// This list.
    Fixed(String),
    /// The requested names, echoed (with credentials `*` is literal for browsers).
    Echo,
}

impl Plan {
    fn new(valid: &ValidPolicy) -> Result<Plan, EmitError> {
        // The engine's own tables and values, so nothing is decided twice.
        let policy: Policy = compile(valid);
        let engine = policy
            .engine()
            .map_err(|e| EmitError::Unsupported(e.to_string()))?;
        let vary = |r: &Request<'_>| engine.decide(r).vary_value();
        let vary_not_cors = vary(&Request::new(b"GET"));
        let vary_actual = vary(&Request::new(b"GET").origin(b"https://a.invalid"));
        let vary_preflight = vary(
            &Request::new(b"OPTIONS")
                .origin(b"https://a.invalid")
                .request_method(b"GET"),
        );

        let origins = match &valid.origins {
            OriginSet::Any => Origins::Any,
            OriginSet::List { patterns, regexes } => {
                let exact: Vec<String> =
                    policy.exact_origins.iter().map(|s| s.to_string()).collect();
                let gate = pcre::origin_gate();
                let mut rules = Vec::new();
                let mut wildcard: Vec<&OriginPattern> =
                    patterns.iter().filter(|p| !p.is_exact()).collect();
                wildcard.sort();
                wildcard.dedup();
                for p in wildcard {
                    rules.push(OriginRule {
                        written: p.to_policy_string(),
                        pcre: format!(r"\A{gate}{}\z", pcre::origin_pattern(p)),
                    });
                }
                for r in regexes {
                    let hir = crate::regex_proof::parse(&r.source).map_err(|e| {
                        EmitError::Unsupported(format!("regex {:?}: {e}", r.source))
                    })?;
                    let printed = pcre::regex(&hir).map_err(|e| match e {
                        EmitError::Unsupported(what) => {
                            EmitError::Unsupported(format!("regex {:?} uses {what}", r.source))
                        }
                    })?;
                    rules.push(OriginRule {
                        written: format!("regex: {}", r.source),
                        pcre: format!(r"\A{gate}(?:{printed})\z"),
                    });
                }
                Origins::List { exact, rules }
            }
        };

        let mut methods: Vec<String> = ["GET", "HEAD", "POST"].map(String::from).to_vec();
        methods.extend(policy.methods.iter().map(|m| m.to_string()));
        methods.sort();
        methods.dedup();
        let (methods_pcre, methods_text) = if policy.any_method {
            let max = cors_policy_core::engine::limits::MAX_METHOD_LEN;
            (
                format!(r"\A{}{{1,{max}}}\z", pcre::TCHAR),
                "any method (\"*\")".to_owned(),
            )
        } else {
            let alternatives: Vec<String> = methods.iter().map(|m| pcre::literal(m)).collect();
            (
                format!(r"\A(?:{})\z", alternatives.join("|")),
                format!("{} (case-sensitive)", methods.join(", ")),
            )
        };

        let (headers_pcre, headers_text) = headers_list(&policy);
        let allow_headers = match (&policy.allow_headers_value, policy.any_header) {
            (Some(v), _) => AllowHeaders::Fixed(v.to_string()),
            (None, true) => AllowHeaders::Echo,
            (None, false) => AllowHeaders::None,
        };
        Ok(Plan {
            name: valid.name.clone(),
            origins,
            credentials: policy.credentials,
            methods_pcre,
            methods_text,
            headers_pcre,
            headers_text,
            allow_headers,
            expose_headers: policy.expose_headers.as_ref().map(|s| s.to_string()),
            max_age: policy.max_age.as_ref().map(|s| s.to_string()),
            private_network: policy.allow_private_network,
            vary_not_cors,
            vary_actual,
            vary_preflight,
        })
    }

    /// `policy "api"` or `the policy`, for comments.
    fn title(&self) -> String {
        match &self.name {
            Some(n) => format!("policy \"{n}\""),
            None => "the policy".to_owned(),
        }
    }
}

/// Anchored PCRE of an `Access-Control-Request-Headers` value the engine allows: a
/// comma list (empty items skipped, optional spaces and tabs) of at most
/// `MAX_REQUEST_HEADER_ITEMS` names and `MAX_REQUEST_HEADERS_LEN` bytes, each name
/// allowed ignoring ASCII case, `authorization` never covered by `*`.
fn headers_list(policy: &Policy) -> (String, String) {
    use cors_policy_core::engine::limits::{MAX_REQUEST_HEADERS_LEN, MAX_REQUEST_HEADER_ITEMS};
    let tchar = pcre::TCHAR;
    let listed: Vec<String> = policy
        .allow_headers
        .iter()
        .map(|h| pcre::literal_ignore_case(h))
        .collect();
    let has_auth = policy.allow_headers.iter().any(|h| h == "authorization");
    // Each item ends where a token ends, so it matches in exactly one way and the
    // possessive quantifiers below never give up a match.
    let item = if policy.any_header {
        if has_auth {
            format!("{tchar}++")
        } else {
            format!(
                "(?!{}(?!{tchar})){tchar}++",
                pcre::literal_ignore_case("authorization")
            )
        }
    } else if listed.is_empty() {
        "(?!)".to_owned()
    } else {
        format!("(?:{})(?!{tchar})", listed.join("|"))
    };
    let ows = r"[\x09\x20]*+";
    let pcre = format!(
        r"\A(?=[\x09\x20-\x7e]{{0,{MAX_REQUEST_HEADERS_LEN}}}\z)(?=(?:[\x09\x20,]*+[^\x09\x20,]++){{0,{MAX_REQUEST_HEADER_ITEMS}}}+[\x09\x20,]*+\z){ows}(?:{item}{ows})?+(?:,{ows}(?:{item}{ows})?+)*+\z"
    );
    let mut names: Vec<&str> = policy.allow_headers.iter().map(|h| h.as_ref()).collect();
    if policy.any_header {
        names.insert(0, "* (any name but authorization)");
    }
    let text = if names.is_empty() {
        "none".to_owned()
    } else {
        format!("{} (any case)", names.join(", "))
    };
    (pcre, text)
}

/// The origin rules' comment lines: what each regex row stands for.
fn exact_note(exact: &[String]) -> String {
    match exact {
        [] => "no exact origin".to_owned(),
        [one] => format!("1 exact origin ({one})"),
        many => format!("{} exact origins", many.len()),
    }
}

#[cfg(test)]
mod tests;
