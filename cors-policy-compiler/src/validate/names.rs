//! Rules about `methods`, `allow_headers` and `expose_headers`.

use super::origins::duplicate;
use super::Context;
use crate::diagnostic::{Code, Diagnostics};
use crate::http_token::is_token;
use crate::model::NameSet;
use crate::raw::{RawList, RawNames, Spanned};

/// Methods browsers upper-case before sending (Fetch, "normalize a method").
const NORMALIZED_METHODS: &[&str] = &["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"];
/// Methods that never need a preflight (Fetch, "CORS-safelisted method").
pub(crate) const SAFELISTED_METHODS: &[&str] = &["GET", "HEAD", "POST"];
/// Methods scripts can never use (Fetch, "forbidden method").
const FORBIDDEN_METHODS: &[&str] = &["CONNECT", "TRACE", "TRACK"];

/// Request headers scripts can never set (Fetch, "forbidden request-header"), besides
/// every `proxy-*` and `sec-*` name.
const FORBIDDEN_REQUEST_HEADERS: &[&str] = &[
    "accept-charset",
    "accept-encoding",
    "access-control-request-headers",
    "access-control-request-method",
    "access-control-request-private-network",
    "connection",
    "content-length",
    "cookie",
    "cookie2",
    "date",
    "dnt",
    "expect",
    "host",
    "keep-alive",
    "origin",
    "referer",
    "set-cookie",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "via",
];
/// Request headers that never need listing (Fetch, "CORS-safelisted request-header"),
/// except `content-type`, safelisted only for three values.
pub(crate) const SAFELISTED_REQUEST_HEADERS: &[&str] =
    &["accept", "accept-language", "content-language"];
/// Response headers scripts can always read (Fetch, "CORS-safelisted response-header name").
pub(crate) const SAFELISTED_RESPONSE_HEADERS: &[&str] = &[
    "cache-control",
    "content-language",
    "content-length",
    "content-type",
    "expires",
    "last-modified",
    "pragma",
];

/// What kind of names a list holds: how to report a non-token, and whether names are
/// compared case-insensitively (headers) or not (methods).
struct NameKind {
    invalid: Code,
    what: &'static str,
    example: &'static str,
    fold_case: bool,
}

const METHOD: NameKind = NameKind {
    invalid: Code::InvalidMethod,
    what: "HTTP method",
    example: "PUT",
    fold_case: false,
};

const HEADER: NameKind = NameKind {
    invalid: Code::InvalidHeaderName,
    what: "header name",
    example: "X-Request-Id",
    fold_case: true,
};

/// Collects a list of names: `*` as the wildcard, tokens only (lower-cased for
/// headers), duplicates reported. `judge` applies the list's own rules to each name
/// (given in its compared form) and says whether to keep it.
fn collect_names<S: Copy>(
    list: &RawNames<S>,
    kind: &NameKind,
    diags: &mut Diagnostics<S>,
    mut judge: impl FnMut(&Spanned<String, S>, &str, &mut Diagnostics<S>) -> bool,
) -> NameSet {
    let mut set = NameSet::default();
    let mut seen = std::collections::HashSet::new();
    let items = match list {
        RawList::Wildcard(_) => {
            set.any = true;
            return set;
        }
        RawList::Items(items) => items,
    };
    for item in items {
        let name = item.value.as_str();
        if name == "*" {
            if set.any {
                duplicate(diags, item.span, name);
            }
            set.any = true;
            continue;
        }
        // Why: a name that is not a token can never appear in a request or response.
        if !is_token(name.as_bytes()) {
            diags.error(
                kind.invalid,
                item.span,
                format!(
                    "{name:?} is not a valid {} (names are tokens: letters, digits and !#$%&'*+-.^_`|~)",
                    kind.what
                ),
                format!(
                    "write the name alone, e.g. {}; list several as separate items",
                    kind.example
                ),
            );
            continue;
        }
        let compared = if kind.fold_case {
            name.to_ascii_lowercase()
        } else {
            name.to_owned()
        };
        if !judge(item, &compared, diags) {
            continue;
        }
        if seen.insert(compared.clone()) {
            set.names.push(compared);
        } else {
            duplicate(diags, item.span, name);
        }
    }
    set
}

/// Checks `methods`.
pub(super) fn check_methods<S: Copy>(list: &RawNames<S>, diags: &mut Diagnostics<S>) -> NameSet {
    collect_names(list, &METHOD, diags, |item, m, diags| {
        let upper = m.to_ascii_uppercase();
        // Why: browsers refuse to send these methods at all; listing one means the
        // policy was written for something else.
        if FORBIDDEN_METHODS.contains(&upper.as_str()) {
            diags.error(
                Code::ForbiddenMethod,
                item.span,
                format!("{m:?} is a forbidden method: browsers never let scripts send it"),
                "remove it",
            );
            return false;
        }
        // Why: methods compare case-sensitively, and browsers upper-case only these
        // six, so `delete` can never match what a browser sends.
        if NORMALIZED_METHODS.contains(&upper.as_str()) && upper != m {
            diags.error(
                Code::InvalidMethod,
                item.span,
                format!("{m:?} never matches: browsers send it as {upper:?}, and methods compare case-sensitively"),
                format!("write {upper}"),
            );
            return false;
        }
        // Why: safelisted methods never need a preflight; listing them suggests the
        // author expects the list to restrict them, which CORS cannot do.
        if SAFELISTED_METHODS.contains(&m) {
            diags.note(
                Code::RedundantSafelistedMethod,
                item.span,
                format!("{m} is CORS-safelisted: browsers send it without asking, whatever this list says"),
                "remove it; restrict methods in your routes, not in CORS",
            );
        }
        true
    })
}

/// Checks `allow_headers`.
pub(super) fn check_allow_headers<S: Copy>(
    list: &Spanned<RawNames<S>, S>,
    diags: &mut Diagnostics<S>,
) -> NameSet {
    let set = collect_names(&list.value, &HEADER, diags, |item, lower, diags| {
        let name = &item.value;
        // Why: the browser sets these itself and never asks permission for them;
        // listing one shows a misunderstanding (often `Origin` or `Cookie`).
        if FORBIDDEN_REQUEST_HEADERS.contains(&lower)
            || lower.starts_with("proxy-")
            || lower.starts_with("sec-")
        {
            diags.error(
                Code::ForbiddenRequestHeader,
                item.span,
                format!(
                    "{name:?} is a forbidden request header: browsers never let scripts set it"
                ),
                "remove it; the browser sends it by itself when appropriate",
            );
            return false;
        }
        // Why: these are response headers; listing one as a request header is the
        // classic copy-paste of a server's CORS block into the client.
        if lower.starts_with("access-control-allow-")
            || lower == "access-control-max-age"
            || lower == "access-control-expose-headers"
        {
            diags.error(
                Code::ResponseHeaderInAllowHeaders,
                item.span,
                format!("{name:?} is a CORS response header, never sent by a browser"),
                "remove it; the server sends it, and this policy produces it for you",
            );
            return false;
        }
        // Why: safelisted headers never need permission; listing them is noise.
        if SAFELISTED_REQUEST_HEADERS.contains(&lower) {
            diags.note(
                Code::RedundantSafelistedHeader,
                item.span,
                format!("{name:?} is CORS-safelisted: browsers send it without a preflight"),
                "remove it",
            );
        }
        true
    });
    // Why: `Authorization` is the one header `*` never covers (Fetch, "CORS
    // non-wildcard request-header name"); APIs that rely on `*` for it break.
    if set.any && !set.contains("authorization") {
        diags.warning(
            Code::AuthorizationNotCoveredByWildcard,
            list.span,
            "allow_headers \"*\" does not cover Authorization: browsers require it to be listed by name",
            "add Authorization to the list if clients send it: allow_headers: [\"*\", Authorization]",
        );
    }
    set
}

/// Checks `expose_headers`.
pub(super) fn check_expose_headers<S: Copy>(
    list: &Spanned<RawNames<S>, S>,
    ctx: &Context,
    diags: &mut Diagnostics<S>,
) -> NameSet {
    let set = collect_names(&list.value, &HEADER, diags, |item, lower, diags| {
        let name = &item.value;
        // Why: browsers never expose Set-Cookie to scripts, and request-only CORS
        // names never appear on a response; listing them shows a misunderstanding.
        if matches!(lower, "set-cookie" | "set-cookie2")
            || lower.starts_with("access-control-request-")
        {
            diags.error(
                Code::ForbiddenExposeHeader,
                item.span,
                format!("{name:?} can never be exposed to scripts"),
                "remove it",
            );
            return false;
        }
        // Why: safelisted response headers are always readable.
        if SAFELISTED_RESPONSE_HEADERS.contains(&lower) {
            diags.note(
                Code::RedundantSafelistedHeader,
                item.span,
                format!(
                    "{name:?} is a CORS-safelisted response header: scripts can always read it"
                ),
                "remove it",
            );
        }
        true
    });
    // Why: with credentials, browsers read `*` as a header literally named "*", so
    // nothing would be exposed while the author believes everything is.
    if set.any && ctx.credentials {
        let span = match &list.value {
            RawList::Wildcard(span) => *span,
            RawList::Items(items) => items
                .iter()
                .find(|i| i.value == "*")
                .map_or(list.span, |i| i.span),
        };
        diags.error(
            Code::ExposeAllWithCredentials,
            span,
            "expose_headers \"*\" with credentials exposes nothing: browsers take \"*\" literally on credentialed requests",
            "list the response headers scripts need, e.g. [X-Request-Id]",
        );
    }
    set
}
