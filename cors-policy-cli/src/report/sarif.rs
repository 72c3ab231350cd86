//! `--format sarif`: SARIF 2.1.0, one run of the `cors-policy` tool, with a rule for
//! each code that occurs and one result per finding. Columns are counted in Unicode
//! code points (`columnKind`), as everywhere else in cors-policy.

use cors_policy::compiler::{Code, Severity};
use serde_json::{json, Value};

use super::FileReport;

/// The SARIF 2.1.0 JSON schema.
const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Renders every finding of every file as one SARIF log.
pub fn render(files: &[FileReport]) -> String {
    let mut rules: Vec<Code> = files
        .iter()
        .flat_map(|f| &f.diagnostics)
        .map(|d| d.code)
        .collect();
    rules.sort();
    rules.dedup();
    let results: Vec<Value> = files
        .iter()
        .flat_map(|f| f.diagnostics.iter().map(move |d| (f, d)))
        .map(|(file, d)| {
            json!({
                "ruleId": d.code.as_str(),
                "ruleIndex": rules.binary_search(&d.code).unwrap_or(0),
                "level": level(d.severity),
                "message": { "text": format!("{}\nhelp: {}", d.message, d.help) },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri(&file.path) },
                        "region": {
                            "startLine": d.span.line,
                            "startColumn": d.span.column,
                            "endColumn": d.span.column + d.span.len.max(1),
                        }
                    }
                }],
                "properties": { "help": d.help },
            })
        })
        .collect();
    let rules: Vec<Value> = rules
        .iter()
        .map(|code| {
            json!({
                "id": code.as_str(),
                "name": code.as_str(),
                "shortDescription": { "text": describe(*code) },
                "defaultConfiguration": { "level": level(default_severity(*code)) },
            })
        })
        .collect();
    let log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "cors-policy",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    let mut text = serde_json::to_string_pretty(&log).unwrap_or_default();
    text.push('\n');
    text
}

/// SARIF's name for a severity.
fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "note",
    }
}

/// A path as a SARIF URI reference: `/` separators, percent-encoded, `file://` when absolute.
fn uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let mut out = String::new();
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/:".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    if path.starts_with('/') {
        format!("file://{out}")
    } else {
        out
    }
}

/// The severity a code usually has (some are errors or warnings depending on credentials).
fn default_severity(code: Code) -> Severity {
    match code {
        Code::AuthorizationNotCoveredByWildcard
        | Code::DuplicateEntry
        | Code::ShadowedOrigin
        | Code::PublicSuffixWildcard
        | Code::RegexMatchesAnyOrigin => Severity::Warning,
        Code::MaxAgeCappedByBrowsers
        | Code::RedundantSafelistedMethod
        | Code::RedundantSafelistedHeader => Severity::Note,
        _ => Severity::Error,
    }
}

/// One line about what a code means, from the spec's table.
fn describe(code: Code) -> &'static str {
    match code {
        Code::YamlSyntax => "The file is not valid YAML.",
        Code::InvalidValue => "A value of the wrong type or shape.",
        Code::UnknownKey => "A key the policy format does not define.",
        Code::NoOrigins => "The origin list is empty or missing.",
        Code::CredentialsWithWildcardOrigin => "Wildcard origins with credentials.",
        Code::NullOrigin => "The `null` origin, or a scheme whose origin serializes to `null`.",
        Code::OriginWithPath => {
            "An origin with a path, trailing slash, query, fragment or userinfo."
        }
        Code::NonCanonicalOrigin => "An origin a browser never sends byte-for-byte.",
        Code::MalformedOrigin => "An origin that is not `scheme://host[:port]`.",
        Code::InvalidOriginPattern => "A `*` anywhere but a leading label set or a whole port.",
        Code::PublicSuffixWildcard => "A `*.` wildcard directly on a public suffix.",
        Code::InsecureOriginWithCredentials => "An `http://` origin with credentials.",
        Code::RegexInvalid => "A regex that does not compile to a DFA.",
        Code::RegexUnescapedDot => "A `.` meta-character where the host needs a literal dot.",
        Code::RegexUnboundedHost => "A regex accepting hosts outside the domains it names.",
        Code::RegexMatchesAnyOrigin => "A regex accepting every origin of some scheme.",
        Code::InvalidMethod => "A method that is not an HTTP token.",
        Code::ForbiddenMethod => "`CONNECT`, `TRACE` or `TRACK`.",
        Code::InvalidHeaderName => "A header name that is not an HTTP token.",
        Code::ForbiddenRequestHeader => "A request header that scripts can never set.",
        Code::ResponseHeaderInAllowHeaders => "A CORS response header listed in `allow_headers`.",
        Code::ForbiddenExposeHeader => "A response header that can never be exposed.",
        Code::ExposeAllWithCredentials => "`expose_headers: \"*\"` with credentials.",
        Code::MaxAgeOutOfRange => "`max_age` negative or over 86400.",
        Code::PrivateNetworkWithWildcardOrigin => "Private network access with wildcard origins.",
        Code::AuthorizationNotCoveredByWildcard => {
            "`allow_headers: \"*\"` without `Authorization` listed."
        }
        Code::MaxAgeCappedByBrowsers => "`max_age` over what browsers honour.",
        Code::RedundantSafelistedMethod => "A safelisted method listed.",
        Code::RedundantSafelistedHeader => "A safelisted header listed.",
        Code::DuplicateEntry => "The same origin, method or header twice.",
        Code::ShadowedOrigin => "An exact origin already covered by a pattern.",
        _ => "A cors-policy finding.",
    }
}
