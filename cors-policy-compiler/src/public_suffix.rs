//! Public suffixes (`com`, `co.uk`, `github.io`, ...) from the Public Suffix List,
//! compiled into the binary by the `psl` crate.

/// Whether `domain` (lower-case, no trailing dot) is itself a public suffix listed in
/// the Public Suffix List, ICANN or private section.
///
/// Why the list and not "one label": `*.co.uk` and `*.github.io` let anyone register a
/// matching origin just as `*.com` does.
pub fn is_public_suffix(domain: &str) -> bool {
    psl::suffix(domain.as_bytes())
        .is_some_and(|suffix| suffix.is_known() && suffix.as_bytes() == domain.as_bytes())
}

/// The registrable domain (eTLD+1) of `host`, e.g. `example.co.uk` for
/// `www.example.co.uk`; `None` for a public suffix itself, an IP address or a name the
/// list does not know as registrable.
pub fn registrable_domain(host: &str) -> Option<&str> {
    let domain = psl::domain(host.as_bytes())?;
    if !domain.suffix().is_known() {
        return None;
    }
    let len = domain.as_bytes().len();
    host.get(host.len() - len..)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_suffixes() {
        for s in ["com", "co.uk", "github.io", "io"] {
            assert!(is_public_suffix(s), "{s}");
        }
        for s in [
            "example.com",
            "example.co.uk",
            "user.github.io",
            "localhost",
        ] {
            assert!(!is_public_suffix(s), "{s}");
        }
    }

    #[test]
    fn registrable() {
        assert_eq!(
            registrable_domain("www.example.co.uk"),
            Some("example.co.uk")
        );
        assert_eq!(registrable_domain("a.b.example.com"), Some("example.com"));
        assert_eq!(registrable_domain("me.github.io"), Some("me.github.io"));
        assert_eq!(registrable_domain("com"), None);
    }
}
