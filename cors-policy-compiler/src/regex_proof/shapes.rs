//! The languages the proof searches in: every origin a browser can send, and its
//! parts (loopback hosts, one scheme's hosts, hosts under given domains).
//!
//! An `Origin` header is the browser's serialization of a URL's origin (URL Standard):
//! - scheme `[a-z][a-z0-9+.-]*`;
//! - host, lower-cased: a domain of non-empty labels of the characters the URL
//!   Standard lets through (`a-z0-9-_` and ``!$&'()*+,;=~`{}"``), **with an optional
//!   trailing dot** (`https://evil.com.` is a different origin from `https://evil.com`,
//!   and resolves to the same server); a domain whose last label is a number (`1`,
//!   `0x1f`) is parsed as IPv4 instead, so it is always a canonical dotted quad (no
//!   leading zeros, no trailing dot); or `[ipv6]`;
//! - port: none, or `:1`..`:65535` without leading zeros and never the scheme's
//!   default port (`:443` for https), which browsers omit.
//!
//! Empty labels (`a..com`, `.a.com`) are left out: no DNS name has them, so no server
//! an attacker runs can have such an origin.

use std::sync::OnceLock;

use super::automaton::{Dfa, Factor};
use super::build_dfa;

/// One character of a host label that the URL Standard lets through.
pub(crate) const LABEL_CHAR: &str = r#"[a-z0-9_!$&'()*+,;=~`{}"\-]"#;
/// The same, but not a digit.
const NOT_DIGIT: &str = r#"[a-z_!$&'()*+,;=~`{}"\-]"#;
/// The same, but not a hex digit (so `0x` followed by it is no number).
const NOT_HEX: &str = r#"[g-z_!$&'()*+,;=~`{}"\-]"#;
/// The same, but neither a digit nor `x`.
const NOT_DIGIT_OR_X: &str = r#"[a-wyz_!$&'()*+,;=~`{}"\-]"#;
/// One decimal octet of a canonical IPv4 address.
pub(crate) const OCTET: &str = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
/// An optional canonical port (the default-port exclusion is [`default_port`]).
pub(crate) const PORT: &str = r"(?::(?:[1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?";

/// One host label.
pub(crate) fn label() -> String {
    format!("{LABEL_CHAR}+")
}

/// A last label that is not a number (URL Standard, "ends in a number checker"): not
/// all digits, and not `0x` followed by hex digits.
fn last_label() -> String {
    let any = format!("{LABEL_CHAR}*");
    format!(
        "(?:{NOT_DIGIT}{any}|[1-9][0-9]*{NOT_DIGIT}{any}|0[0-9]+{NOT_DIGIT}{any}|0x[0-9a-f]*{NOT_HEX}{any}|0{NOT_DIGIT_OR_X}{any})"
    )
}

/// A domain host as browsers serialize it: trailing dot allowed.
pub(crate) fn domain() -> String {
    format!(r"(?:{}\.)*{}\.?", label(), last_label())
}

/// A canonical dotted-quad IPv4 host.
pub(crate) fn ipv4() -> String {
    format!(r"{OCTET}\.{OCTET}\.{OCTET}\.{OCTET}")
}

/// Any host a browser serializes.
pub(crate) fn host() -> String {
    format!(r"(?:{}|{}|\[[0-9a-f:]+\])", domain(), ipv4())
}

fn shape(cell: &'static OnceLock<Dfa>, pattern: impl FnOnce() -> String) -> &'static Dfa {
    cell.get_or_init(|| build_dfa(&pattern()).expect("built-in origin shape compiles"))
}

/// `scheme://host[:port]` with a canonical host and port (default ports included:
/// [`default_port`] takes them out).
fn origin_syntax() -> &'static Dfa {
    static CELL: OnceLock<Dfa> = OnceLock::new();
    shape(&CELL, || format!(r"[a-z][a-z0-9+.\-]*://{}{PORT}", host()))
}

/// Origins that write their scheme's default port, which browsers never send.
fn default_port() -> &'static Dfa {
    static CELL: OnceLock<Dfa> = OnceLock::new();
    shape(&CELL, || {
        r"(?:https|wss)://[^/]*:443|(?:http|ws)://[^/]*:80|ftp://[^/]*:21".to_owned()
    })
}

/// Every origin a browser can send, as factors of a product search.
pub(crate) fn origin() -> [Factor<'static>; 2] {
    [Factor::is(origin_syntax()), Factor::not(default_port())]
}

/// Whether a browser can send `s` as an `Origin` (`null` aside).
pub(crate) fn is_origin(s: &str) -> bool {
    super::automaton::accepts(origin_syntax(), s.as_bytes())
        && !super::automaton::accepts(default_port(), s.as_bytes())
}

/// Loopback hosts: `localhost`, any name under it, 127.0.0.0/8, `[::1]` (trailing dots
/// allowed on names, as for any domain).
pub(crate) fn loopback_host() -> String {
    format!(
        r"(?:(?:{}\.)*localhost\.?|127\.{OCTET}\.{OCTET}\.{OCTET}|\[::1\])",
        label()
    )
}

/// Every origin whose host is loopback, any scheme.
pub(crate) fn loopback() -> &'static Dfa {
    static CELL: OnceLock<Dfa> = OnceLock::new();
    shape(&CELL, || {
        format!(r"[a-z][a-z0-9+.\-]*://{}{PORT}", loopback_host())
    })
}

/// Every `http://` origin.
pub(crate) fn http() -> &'static Dfa {
    static CELL: OnceLock<Dfa> = OnceLock::new();
    shape(&CELL, || format!(r"http://{}{PORT}", host()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_browsers_send() {
        for ok in [
            "https://a.com",
            "https://a.com.",
            "https://evilexample.com.",
            "http://127.0.0.1",
            "http://127.0.0.1:8080",
            "http://10.0.0.255",
            "https://[::1]",
            "https://a.1x",
            "https://a.0xg",
            "https://a.01a",
            "https://localhost.",
            "capacitor://localhost",
            "https://a.com:8443",
            "http://a.com:443",
        ] {
            assert!(is_origin(ok), "{ok}");
        }
        for bad in [
            "https://a.com:443",
            "http://a.com:80",
            "wss://a.com:443",
            "https://a.com:0",
            "https://a.com:08080",
            "https://a.com:65536",
            "http://127.0.0.0000",
            "http://127.0.0.01",
            "http://127.0.0.1.",
            "http://1.2.3.256",
            "https://a.1",
            "https://a.0x1f",
            "https://a.0x",
            "https://a..com",
            "https://.a.com",
            "https://A.com",
            "https://a.com/",
        ] {
            assert!(!is_origin(bad), "{bad}");
        }
    }

    #[test]
    fn loopback_hosts() {
        let l = |s: &str| super::super::automaton::accepts(loopback(), s.as_bytes());
        for ok in [
            "http://localhost",
            "http://a.localhost:3000",
            "http://a.b.localhost.",
            "http://127.0.0.1",
            "http://127.255.3.4",
            "http://[::1]",
        ] {
            assert!(l(ok), "{ok}");
        }
        for bad in [
            "http://localhost.evil.com",
            "http://128.0.0.1",
            "http://evil-localhost",
        ] {
            assert!(!l(bad), "{bad}");
        }
    }
}
