//! Parsing a configured origin (exact or pattern) into its typed canonical form.
//!
//! A browser compares `Access-Control-Allow-Origin` with its own serialization of the
//! page's origin byte for byte (Fetch, "CORS check"). So a configured origin is useful
//! only if it *is* such a serialization: lower-case scheme and host, punycode, canonical
//! IP addresses, no default port, no path. Anything else can never match and is
//! reported here rather than "fixed" silently: the author would otherwise believe an
//! origin is allowed that never will be.

use std::net::Ipv6Addr;

use crate::diagnostic::Code;
use crate::model::{HostPattern, OriginPattern, PortPattern};

/// Why a configured origin was rejected: the diagnostic code, a message and a help.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OriginError {
    /// The diagnostic code.
    pub code: Code,
    /// What is wrong, naming the value.
    pub message: String,
    /// What to write instead.
    pub help: String,
}

fn err(code: Code, message: impl Into<String>, help: impl Into<String>) -> OriginError {
    OriginError {
        code,
        message: message.into(),
        help: help.into(),
    }
}

/// Schemes whose origins are opaque: browsers send `Origin: null` for them.
const OPAQUE_SCHEMES: &[&str] = &["file", "data", "about", "javascript"];

/// Whether `host` is a loopback host: `localhost`, a `.localhost` name, `127.0.0.0/8`
/// or `[::1]`. Plain-HTTP origins on these cannot be intercepted on the network.
pub fn is_loopback_host(host: &str) -> bool {
    host == "localhost"
        || host.ends_with(".localhost")
        || host == "[::1]"
        || host
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Parses one configured origin string (not `*`, not a regex) into a pattern.
///
/// Accepts exact origins (`https://app.example.com`, `http://localhost:8080`,
/// `capacitor://localhost`), subdomain patterns (`https://*.example.com`) and port
/// patterns (`http://localhost:*`).
pub fn parse_origin(text: &str) -> Result<OriginPattern, OriginError> {
    // Why: `null` is the origin of sandboxed iframes, data: URLs and some redirects,
    // which any attacker can produce.
    if text.eq_ignore_ascii_case("null") {
        return Err(err(
            Code::NullOrigin,
            "\"null\" is never a safe origin: sandboxed iframes, data: URLs and redirects send it, so any attacker can make a request carry it",
            "remove it; list the real origins of the pages that call this API",
        ));
    }
    if text.is_empty() {
        return Err(err(
            Code::MalformedOrigin,
            "empty origin",
            "write an origin as scheme://host[:port], e.g. https://app.example.com",
        ));
    }
    if let Some(c) = text.chars().find(|c| c.is_whitespace() || c.is_control()) {
        return Err(err(
            Code::MalformedOrigin,
            format!("origin {text:?} contains {c:?}; a browser never sends it"),
            format!("write it without whitespace: {:?}", text.trim()),
        ));
    }
    let Some((scheme, rest)) = text.split_once("://") else {
        return Err(no_scheme(text));
    };
    let scheme = parse_scheme(text, scheme)?;
    check_no_path(text, &scheme, rest)?;
    let (host_text, port_text) = split_host_port(rest);
    let port = parse_port(text, &scheme, port_text)?;
    let host = parse_host(text, host_text)?;
    let pattern = OriginPattern { scheme, host, port };
    // Why: the canonical form is what a browser sends; anything else never matches.
    let canonical = pattern.to_policy_string();
    if canonical != text {
        return Err(err(
            Code::NonCanonicalOrigin,
            format!(
                "origin {text:?} never matches: browsers send it as {canonical:?} ({})",
                non_canonical_reasons(text, &canonical, &pattern)
            ),
            format!("write {canonical:?}"),
        ));
    }
    Ok(pattern)
}

/// Why `text` differs from `canonical`, in words.
fn non_canonical_reasons(text: &str, canonical: &str, pattern: &OriginPattern) -> String {
    let mut reasons = Vec::new();
    if text.to_ascii_lowercase() != text && text.to_ascii_lowercase().len() == text.len() {
        reasons.push("lower-case scheme and host".to_owned());
    }
    let (_, written_port) = split_host_port(text.split_once("://").map_or(text, |(_, r)| r));
    match (written_port, pattern.port) {
        (Some(p), PortPattern::Default) => {
            reasons.push(format!("no default port :{}", p.trim_start_matches('0')));
        }
        (Some(p), PortPattern::Exact(n)) if p != n.to_string() => {
            reasons.push("no leading zeros in the port".to_owned());
        }
        _ => {}
    }
    if reasons.is_empty() || (text.len() != canonical.len() && written_port.is_none()) {
        reasons.push("canonical IP address form".to_owned());
    }
    reasons.join(", ")
}

fn no_scheme(text: &str) -> OriginError {
    let lower = text.to_ascii_lowercase();
    if let Some(scheme) = OPAQUE_SCHEMES
        .iter()
        .find(|s| lower.starts_with(&format!("{s}:")))
    {
        return null_scheme(text, scheme);
    }
    if text.contains('*') && !text.contains(':') {
        return err(
            Code::InvalidOriginPattern,
            format!("origin pattern {text:?} has no scheme"),
            format!("write the scheme: \"https://{text}\""),
        );
    }
    err(
        Code::MalformedOrigin,
        format!("origin {text:?} has no scheme"),
        format!(
            "write scheme://host[:port], e.g. \"https://{}\"",
            text.trim_start_matches('/')
        ),
    )
}

fn null_scheme(text: &str, scheme: &str) -> OriginError {
    err(
        Code::NullOrigin,
        format!("{text:?}: pages on {scheme}: URLs have an opaque origin, which browsers send as \"null\""),
        "remove it; serve the calling page from an http(s) origin and list that",
    )
}

fn parse_scheme(text: &str, scheme: &str) -> Result<String, OriginError> {
    let valid = scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !valid {
        if scheme.contains('*') {
            return Err(err(
                Code::InvalidOriginPattern,
                format!("{text:?}: the scheme cannot be a wildcard"),
                "list each scheme separately, e.g. https://... (and http:// only for local development)",
            ));
        }
        return Err(err(
            Code::MalformedOrigin,
            format!("{text:?}: {scheme:?} is not a URL scheme"),
            "write scheme://host[:port], e.g. https://app.example.com",
        ));
    }
    let lower = scheme.to_ascii_lowercase();
    if OPAQUE_SCHEMES.contains(&lower.as_str()) {
        return Err(null_scheme(text, &lower));
    }
    if lower == "blob" {
        return Err(err(
            Code::MalformedOrigin,
            format!("{text:?}: blob: URLs take the origin of the page that created them"),
            "list the origin of that page instead",
        ));
    }
    Ok(lower)
}

fn check_no_path(text: &str, scheme: &str, rest: &str) -> Result<(), OriginError> {
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    // Why: an origin has no path, query, fragment or userinfo; `https://a.com/` (the
    // classic trailing slash) never equals the `Origin` header, so it allows nothing.
    if authority_end < rest.len() {
        let what = match rest.as_bytes()[authority_end] {
            b'/' if authority_end + 1 == rest.len() => "a trailing slash",
            b'/' => "a path",
            b'?' => "a query",
            _ => "a fragment",
        };
        return Err(err(
            Code::OriginWithPath,
            format!("origin {text:?} has {what}; an origin is only scheme://host[:port], so it never matches"),
            format!("write \"{scheme}://{}\"", authority.rsplit('@').next().unwrap_or(authority)),
        ));
    }
    if let Some((_, host)) = authority.rsplit_once('@') {
        return Err(err(
            Code::OriginWithPath,
            format!("origin {text:?} has userinfo (`...@`); browsers never send it in Origin"),
            format!("write \"{scheme}://{host}\""),
        ));
    }
    Ok(())
}

/// Splits `host[:port]`, minding IPv6 brackets.
fn split_host_port(authority: &str) -> (&str, Option<&str>) {
    let search_from = if authority.starts_with('[') {
        authority.find(']').unwrap_or(0)
    } else {
        0
    };
    match authority[search_from..].rfind(':') {
        Some(i) => (
            &authority[..search_from + i],
            Some(&authority[search_from + i + 1..]),
        ),
        None => (authority, None),
    }
}

fn parse_port(text: &str, scheme: &str, port: Option<&str>) -> Result<PortPattern, OriginError> {
    let Some(port) = port else {
        return Ok(PortPattern::Default);
    };
    if port == "*" {
        return Ok(PortPattern::Any);
    }
    if port.contains('*') {
        return Err(err(
            Code::InvalidOriginPattern,
            format!("{text:?}: a port wildcard must be the whole port (`:*`)"),
            "write `:*` for any port, or list the ports",
        ));
    }
    if port.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()) {
        return Err(err(
            Code::MalformedOrigin,
            format!("{text:?}: {port:?} is not a port number"),
            "write a port from 1 to 65535, or none for the scheme's default",
        ));
    }
    let value: u32 = port.parse().unwrap_or(u32::MAX);
    if value == 0 || value > 65535 {
        return Err(err(
            Code::MalformedOrigin,
            format!("{text:?}: port {port} is out of range"),
            "write a port from 1 to 65535",
        ));
    }
    let value = value as u16;
    // Why: browsers omit the default port, so `https://a.com:443` never matches; the
    // caller's canonical-form check reports it with the fix.
    if crate::table::default_port(scheme.as_bytes()) == Some(value) {
        return Ok(PortPattern::Default);
    }
    Ok(PortPattern::Exact(value))
}

fn parse_host(text: &str, host: &str) -> Result<HostPattern, OriginError> {
    if host.is_empty() {
        return Err(err(
            Code::MalformedOrigin,
            format!("{text:?} has no host"),
            "write scheme://host[:port], e.g. https://app.example.com",
        ));
    }
    if let Some(parent) = host.strip_prefix("*.") {
        // Why: only a whole leading label set may be a wildcard; anything else
        // (`*example.com`, `foo.*.com`, `*.*.a.com`) has no clear meaning and is
        // usually a broken attempt at a subdomain pattern.
        if parent.contains('*') {
            return Err(bad_star(text));
        }
        if parent.starts_with('[') || parse_ipv4_like(parent).is_some() {
            return Err(err(
                Code::InvalidOriginPattern,
                format!("{text:?}: an IP address has no subdomains"),
                "list the exact origin",
            ));
        }
        let parent = parse_domain(text, parent)?;
        return Ok(HostPattern::Subdomains(parent));
    }
    if host.contains('*') {
        return Err(bad_star(text));
    }
    if let Some(inner) = host.strip_prefix('[') {
        let Some(inner) = inner.strip_suffix(']') else {
            return Err(err(
                Code::MalformedOrigin,
                format!("{text:?}: unclosed IPv6 bracket"),
                "write an IPv6 host as [::1]",
            ));
        };
        let Ok(ip) = inner.parse::<Ipv6Addr>() else {
            return Err(err(
                Code::MalformedOrigin,
                format!("{text:?}: {inner:?} is not an IPv6 address"),
                "write an IPv6 host as [::1]",
            ));
        };
        return Ok(HostPattern::Exact(format!("[{}]", serialize_ipv6(ip))));
    }
    if let Some(ip) = parse_ipv4_like(host) {
        // Browsers turn `127.1`, `0x7f.0.0.1` and `2130706433` into dotted quads.
        return match ip {
            Some(ip) => Ok(HostPattern::Exact(ip.to_string())),
            None => Err(err(
                Code::MalformedOrigin,
                format!("{text:?}: {host:?} is not a valid IPv4 address"),
                "write an IPv4 host as four decimal numbers, e.g. 127.0.0.1",
            )),
        };
    }
    Ok(HostPattern::Exact(parse_domain(text, host)?))
}

fn bad_star(text: &str) -> OriginError {
    err(
        Code::InvalidOriginPattern,
        format!("{text:?}: `*` may only stand for whole leading labels (`*.example.com`) or a whole port (`:*`)"),
        "write https://*.example.com for subdomains, or use a regex origin for anything else",
    )
}

/// Checks a domain name and returns its canonical (lower-case) form; errors on
/// characters browsers never send and on Unicode (browsers send punycode).
fn parse_domain(text: &str, host: &str) -> Result<String, OriginError> {
    if !host.is_ascii() {
        // Why: browsers send IDNs as punycode (`xn--...`), never as Unicode.
        return Err(err(
            Code::NonCanonicalOrigin,
            format!(
                "{text:?}: browsers send internationalized hosts as punycode, never as Unicode"
            ),
            "write the host in its punycode (xn--...) form",
        ));
    }
    if host.contains('%') {
        return Err(err(
            Code::MalformedOrigin,
            format!("{text:?}: percent-encoding is not allowed in a host"),
            "write the host as the browser shows it",
        ));
    }
    if host.len() > 253 {
        return Err(err(
            Code::MalformedOrigin,
            format!("{text:?}: the host is longer than 253 characters"),
            "write a valid DNS name",
        ));
    }
    for label in host.split('.') {
        if label.is_empty() {
            return Err(err(
                Code::MalformedOrigin,
                format!(
                    "{text:?}: the host has an empty label (`..`, or a leading or trailing dot)"
                ),
                "write the host without empty labels",
            ));
        }
        if label.len() > 63 {
            return Err(err(
                Code::MalformedOrigin,
                format!("{text:?}: a DNS label is longer than 63 characters"),
                "write a valid DNS name",
            ));
        }
        if let Some(c) = label
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
        {
            return Err(err(
                Code::MalformedOrigin,
                format!("{text:?}: {c:?} is not allowed in a host name"),
                "write a host of letters, digits, '-' and '.'",
            ));
        }
    }
    // Upper case is reported by the caller's canonical-form check, with the fix.
    let lower = host.to_ascii_lowercase();
    Ok(lower)
}

/// The URL Standard's IPv4 parser: `None` when `host` is not IPv4-like (its last label
/// is not a number), `Some(None)` when it is IPv4-like but invalid, `Some(Some(ip))`
/// otherwise. Browsers serialize the result as a dotted quad.
fn parse_ipv4_like(host: &str) -> Option<Option<std::net::Ipv4Addr>> {
    let trimmed = host.strip_suffix('.').unwrap_or(host);
    let parts: Vec<&str> = trimmed.split('.').collect();
    let last = parts.last()?;
    let numeric = |p: &str| -> Option<u64> {
        if p.is_empty() {
            return None;
        }
        if let Some(hex) = p.strip_prefix("0x").or_else(|| p.strip_prefix("0X")) {
            if hex.is_empty() {
                return Some(0);
            }
            return u64::from_str_radix(hex, 16).ok().or(Some(u64::MAX));
        }
        if p.len() > 1 && p.starts_with('0') {
            return u64::from_str_radix(&p[1..], 8).ok();
        }
        if p.bytes().all(|b| b.is_ascii_digit()) {
            return p.parse().ok().or(Some(u64::MAX));
        }
        None
    };
    // "Ends in a number": the last label is all digits or a 0x number.
    let ends_in_number = last.bytes().all(|b| b.is_ascii_digit())
        || ((last.starts_with("0x") || last.starts_with("0X"))
            && last[2..].bytes().all(|b| b.is_ascii_hexdigit()));
    if !ends_in_number || last.is_empty() {
        return None;
    }
    if parts.len() > 4 {
        return Some(None);
    }
    let mut numbers = Vec::with_capacity(parts.len());
    for p in &parts {
        match numeric(p) {
            Some(n) => numbers.push(n),
            None => return Some(None),
        }
    }
    let (last_n, init) = numbers.split_last()?;
    if init.iter().any(|&n| n > 255) || *last_n >= 256u64.pow(5 - numbers.len() as u32) {
        return Some(None);
    }
    let mut value = *last_n;
    for (i, n) in init.iter().enumerate() {
        value += n * 256u64.pow(3 - i as u32);
    }
    Some(u32::try_from(value).ok().map(std::net::Ipv4Addr::from))
}

/// The URL Standard's IPv6 serializer: lower-case hex, the first longest run of two or
/// more zero pieces compressed, never an embedded IPv4 form.
pub fn serialize_ipv6(ip: Ipv6Addr) -> String {
    let pieces = ip.segments();
    let (mut best_start, mut best_len) = (None, 1);
    let mut i = 0;
    while i < 8 {
        if pieces[i] == 0 {
            let start = i;
            while i < 8 && pieces[i] == 0 {
                i += 1;
            }
            if i - start > best_len {
                best_start = Some(start);
                best_len = i - start;
            }
        } else {
            i += 1;
        }
    }
    let mut out = String::new();
    let mut i = 0;
    while i < 8 {
        if Some(i) == best_start {
            out.push_str(if i == 0 { "::" } else { ":" });
            i += best_len;
            continue;
        }
        out.push_str(&format!("{:x}", pieces[i]));
        if i != 7 {
            out.push(':');
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(text: &str) -> Option<Code> {
        parse_origin(text).err().map(|e| e.code)
    }

    #[test]
    fn accepts_canonical_forms() {
        for ok in [
            "https://app.example.com",
            "http://localhost:8080",
            "http://localhost:*",
            "https://*.example.com",
            "https://*.example.com:*",
            "capacitor://localhost",
            "ionic://localhost",
            "http://127.0.0.1:3000",
            "http://[::1]:8080",
            "https://xn--53h.example",
            "chrome-extension://abcdefghijklmnopabcdefghijklmnop",
        ] {
            assert_eq!(code(ok), None, "{ok}");
        }
    }

    #[test]
    fn rejects_each_class() {
        use Code::*;
        let cases = [
            ("null", NullOrigin),
            ("NULL", NullOrigin),
            ("file://", NullOrigin),
            ("file:///home/me/index.html", NullOrigin),
            ("data:text/html,hi", NullOrigin),
            ("https://a.com/", OriginWithPath),
            ("https://a.com/app", OriginWithPath),
            ("https://a.com?x=1", OriginWithPath),
            ("https://a.com#x", OriginWithPath),
            ("https://user@a.com", OriginWithPath),
            ("HTTPS://a.com", NonCanonicalOrigin),
            ("https://A.com", NonCanonicalOrigin),
            ("https://a.com:443", NonCanonicalOrigin),
            ("http://a.com:80", NonCanonicalOrigin),
            ("https://a.com:0443", NonCanonicalOrigin),
            ("https://☕.example", NonCanonicalOrigin),
            ("http://127.1", NonCanonicalOrigin),
            ("http://0x7f.0.0.1", NonCanonicalOrigin),
            ("http://[0:0:0:0:0:0:0:1]", NonCanonicalOrigin),
            ("a.com", MalformedOrigin),
            ("https://", MalformedOrigin),
            ("https://a.com:", MalformedOrigin),
            ("https://a.com:99999", MalformedOrigin),
            ("https://a.com:0", MalformedOrigin),
            ("https://a..com", MalformedOrigin),
            ("https://a.com.", MalformedOrigin),
            (" https://a.com", MalformedOrigin),
            ("https://a com", MalformedOrigin),
            ("https://a!b.com", MalformedOrigin),
            ("https://*", InvalidOriginPattern),
            ("https://*example.com", InvalidOriginPattern),
            ("https://foo.*.example.com", InvalidOriginPattern),
            ("https://*.*.a.com", InvalidOriginPattern),
            ("https://a.com:8*", InvalidOriginPattern),
            ("*.example.com", InvalidOriginPattern),
            ("https://*.127.0.0.1", InvalidOriginPattern),
        ];
        for (text, expected) in cases {
            assert_eq!(code(text), Some(expected), "{text}");
        }
    }

    #[test]
    fn canonical_suggestions() {
        let e = parse_origin("https://App.Example.com").unwrap_err();
        assert!(e.help.contains("https://app.example.com"), "{}", e.help);
        let e = parse_origin("http://127.1").unwrap_err();
        assert!(e.help.contains("http://127.0.0.1"), "{}", e.help);
        let e = parse_origin("https://a.com/").unwrap_err();
        assert!(e.help.contains("\"https://a.com\""), "{}", e.help);
    }

    #[test]
    fn ipv6_serialization() {
        let s = |t: &str| serialize_ipv6(t.parse().unwrap());
        assert_eq!(s("0:0:0:0:0:0:0:1"), "::1");
        assert_eq!(s("2001:db8:0:0:1:0:0:1"), "2001:db8::1:0:0:1");
        assert_eq!(s("::ffff:1.2.3.4"), "::ffff:102:304");
        assert_eq!(s("1:0:1:1:1:1:1:1"), "1:0:1:1:1:1:1:1");
    }
}
