//! Why a decision came out the way it did.

use std::fmt;

use crate::table::{HostPatternEntry, PortPattern};

use super::limits;

/// Why a request was allowed, denied or left alone: for debug logs and `cors-policy check`.
///
/// Borrowed text comes from the policy (pattern, regex source) or from the request
/// (a method or header name, only ever once checked to be an ASCII token).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Reason<'a> {
    /// No `Origin` header: not a CORS request.
    NoOrigin,
    /// Allowed: the policy allows any origin (`origins: "*"`).
    AnyOrigin,
    /// Allowed: the origin is listed exactly.
    ExactOrigin,
    /// Allowed: the origin matches this `*.` or `:*` pattern.
    OriginPattern(&'a HostPatternEntry),
    /// Allowed: the origin matches the regex with this source.
    OriginRegex(&'a str),
    /// Denied: more than one `Origin` header.
    MultipleOrigins,
    /// Denied: the `Origin` value is longer than [`limits::MAX_ORIGIN_LEN`] bytes.
    OriginTooLong {
        /// Its length in bytes.
        len: usize,
    },
    /// Denied: the `Origin` value is not a serialized origin (empty, non-ASCII, a
    /// space or a control byte).
    MalformedOrigin,
    /// Denied: `Origin: null` is never allowed (sandboxed iframes, `file:`, `data:` and
    /// redirects all send it).
    NullOrigin,
    /// Denied: the origin is not in the policy.
    OriginNotAllowed,
    /// Denied: more than one `Access-Control-Request-Method` header.
    MultipleRequestMethods,
    /// Denied: `Access-Control-Request-Method` is not an HTTP token.
    MalformedRequestMethod,
    /// Denied: `Access-Control-Request-Method` is longer than
    /// [`limits::MAX_METHOD_LEN`] bytes.
    RequestMethodTooLong {
        /// Its length in bytes.
        len: usize,
    },
    /// Denied: the requested method is not allowed (methods are case-sensitive).
    MethodNotAllowed(&'a str),
    /// Denied: the `Access-Control-Request-Headers` lines total more than
    /// [`limits::MAX_REQUEST_HEADERS_LEN`] bytes.
    RequestHeadersTooLong {
        /// Their total length in bytes.
        len: usize,
    },
    /// Denied: more than [`limits::MAX_REQUEST_HEADER_ITEMS`] names, or more than
    /// [`limits::MAX_REQUEST_HEADER_LINES`] `Access-Control-Request-Headers` lines.
    TooManyRequestHeaders,
    /// Denied: an `Access-Control-Request-Headers` item is not an HTTP token.
    MalformedRequestHeaders,
    /// Denied: this requested header is not allowed.
    HeaderNotAllowed(&'a str),
    /// Denied: `authorization` was requested, and `allow_headers: "*"` never covers it.
    AuthorizationNotCovered,
}

impl Reason<'_> {
    /// Whether this reason denies the request.
    pub fn is_denial(&self) -> bool {
        !matches!(
            self,
            Reason::NoOrigin
                | Reason::AnyOrigin
                | Reason::ExactOrigin
                | Reason::OriginPattern(_)
                | Reason::OriginRegex(_)
        )
    }
}

impl fmt::Display for Reason<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::NoOrigin => f.write_str("no Origin header: not a CORS request"),
            Reason::AnyOrigin => f.write_str("the policy allows any origin"),
            Reason::ExactOrigin => f.write_str("the origin is listed"),
            Reason::OriginPattern(p) => {
                write!(f, "the origin matches the pattern `{}`", PatternText(p))
            }
            Reason::OriginRegex(source) => write!(f, "the origin matches the regex `{source}`"),
            Reason::MultipleOrigins => f.write_str("more than one Origin header"),
            Reason::OriginTooLong { len } => write!(
                f,
                "the Origin header is too long ({len} bytes, limit {})",
                limits::MAX_ORIGIN_LEN
            ),
            Reason::MalformedOrigin => f.write_str(
                "the Origin header is not a serialized origin (empty, non-ASCII, space or control byte)",
            ),
            Reason::NullOrigin => f.write_str("the origin `null` is never allowed"),
            Reason::OriginNotAllowed => f.write_str("the origin is not allowed by the policy"),
            Reason::MultipleRequestMethods => {
                f.write_str("more than one Access-Control-Request-Method header")
            }
            Reason::MalformedRequestMethod => {
                f.write_str("Access-Control-Request-Method is not an HTTP token")
            }
            Reason::RequestMethodTooLong { len } => write!(
                f,
                "Access-Control-Request-Method is too long ({len} bytes, limit {})",
                limits::MAX_METHOD_LEN
            ),
            Reason::MethodNotAllowed(m) => {
                write!(f, "the method `{m}` is not allowed (methods are case-sensitive)")
            }
            Reason::RequestHeadersTooLong { len } => write!(
                f,
                "Access-Control-Request-Headers is too long ({len} bytes, limit {})",
                limits::MAX_REQUEST_HEADERS_LEN
            ),
            Reason::TooManyRequestHeaders => write!(
                f,
                "too many Access-Control-Request-Headers names or lines (limits {} and {})",
                limits::MAX_REQUEST_HEADER_ITEMS,
                limits::MAX_REQUEST_HEADER_LINES
            ),
            Reason::MalformedRequestHeaders => f.write_str(
                "Access-Control-Request-Headers is not a comma-separated list of header names",
            ),
            Reason::HeaderNotAllowed(h) => write!(f, "the request header `{h}` is not allowed"),
            Reason::AuthorizationNotCovered => f.write_str(
                "the request header `authorization` is not allowed (`*` never covers it: list it)",
            ),
        }
    }
}

/// Displays a pattern entry as it is written in a policy.
struct PatternText<'a>(&'a HostPatternEntry);

impl fmt::Display for PatternText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = self.0;
        let star = if p.subdomains { "*." } else { "" };
        write!(f, "{}://{star}{}", p.scheme, p.host)?;
        match p.port {
            PortPattern::Default => Ok(()),
            PortPattern::Exact(port) => write!(f, ":{port}"),
            PortPattern::Any => f.write_str(":*"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow;

    #[test]
    fn display_names_the_rule() {
        let entry = HostPatternEntry {
            scheme: Cow::Borrowed("https"),
            host: Cow::Borrowed("example.com"),
            subdomains: true,
            port: PortPattern::Any,
        };
        assert_eq!(
            Reason::OriginPattern(&entry).to_string(),
            "the origin matches the pattern `https://*.example.com:*`"
        );
        assert_eq!(
            Reason::HeaderNotAllowed("X-Trace").to_string(),
            "the request header `X-Trace` is not allowed"
        );
        assert!(Reason::OriginTooLong { len: 5000 }
            .to_string()
            .contains("5000"));
        assert!(Reason::NullOrigin.is_denial());
        assert!(!Reason::ExactOrigin.is_denial());
        assert!(!Reason::NoOrigin.is_denial());
    }
}
