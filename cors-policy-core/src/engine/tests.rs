//! Unit tests of the engine's private parsing helpers. Tests that need a compiled
//! policy live in `cors-policy-compiler` (`engine_tests.rs`), which can build one; the
//! request/response behaviour is covered by the data-driven `tests/decisions.rs`.

use super::*;

#[test]
fn split_origin_forms() {
    assert_eq!(
        split_origin(b"https://a.com"),
        Some((&b"https"[..], &b"a.com"[..], None))
    );
    assert_eq!(
        split_origin(b"http://a.com:8080"),
        Some((&b"http"[..], &b"a.com"[..], Some(8080)))
    );
    assert_eq!(
        split_origin(b"http://[::1]:3000"),
        Some((&b"http"[..], &b"[::1]"[..], Some(3000)))
    );
    assert_eq!(
        split_origin(b"http://[::1]"),
        Some((&b"http"[..], &b"[::1]"[..], None))
    );
    for bad in [
        &b"https://a.com:443"[..], // default port: browsers omit it
        b"http://a.com:80",
        b"http://a.com:080",
        b"http://a.com:",
        b"http://a.com:99999",
        b"http://a.com:12a",
        b"http://[::1]x",
        b"http://[::1",
        b"://a.com",
        b"https://",
        b"a.com",
    ] {
        assert_eq!(split_origin(bad), None, "{}", String::from_utf8_lossy(bad));
    }
    assert_eq!(canonical_port(b"custom", b"443"), Some(443));
    assert_eq!(canonical_port(b"wss", b"443"), None);
}

#[test]
fn dns_hosts() {
    assert!(is_dns_host(b"a.b-c.d_e.example.com"));
    for bad in [
        &b""[..],
        b".a.com",
        b"a..com",
        b"a.com.",
        b"A.com",
        b"a!.com",
        b"a%60.com",
    ] {
        assert!(!is_dns_host(bad), "{}", String::from_utf8_lossy(bad));
    }
}

#[test]
fn helpers() {
    assert_eq!(trim_ows(b" \t a b \t"), b"a b");
    assert_eq!(trim_ows(b"   "), b"");
    assert_eq!(cmp_lower(b"x-a", b"X-A"), Ordering::Equal);
    assert_eq!(cmp_lower(b"x-a", b"X-B"), Ordering::Less);
    assert_eq!(cmp_lower(b"x-b", b"x-a"), Ordering::Greater);
}
