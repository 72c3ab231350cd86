//! Properties of the configured-origin parser: total (never panics), and what it
//! accepts is exactly the canonical serialization a browser sends.

use cors_policy::compiler::origin::parse_origin;
use proptest::prelude::*;

fn label() -> impl Strategy<Value = String> {
    "[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?"
}

fn host() -> impl Strategy<Value = String> {
    prop::collection::vec(label(), 1..4).prop_map(|labels| labels.join(".") + ".example")
}

proptest! {
    #[test]
    fn never_panics(text in ".{0,80}") {
        let _ = parse_origin(&text);
    }

    #[test]
    fn never_panics_on_origin_like_text(text in "[a-zA-Z]{0,6}:(//)?[a-zA-Z0-9.*:@/\\[\\]%-]{0,40}") {
        let _ = parse_origin(&text);
    }

    #[test]
    fn accepted_text_is_canonical(text in "[a-zA-Z]{0,6}://[a-zA-Z0-9.*:\\[\\]-]{0,40}") {
        if let Ok(pattern) = parse_origin(&text) {
            prop_assert_eq!(pattern.to_policy_string(), text);
        }
    }

    #[test]
    fn canonical_origins_are_accepted(
        scheme in prop::sample::select(vec!["https", "http", "capacitor"]),
        host in host(),
        port in prop::option::of(1u16..=65535),
    ) {
        let port = port.filter(|p| *p != 80 && *p != 443);
        let text = match port {
            Some(p) => format!("{scheme}://{host}:{p}"),
            None => format!("{scheme}://{host}"),
        };
        let pattern = parse_origin(&text);
        prop_assert!(pattern.is_ok(), "{text}: {pattern:?}");
        prop_assert!(pattern.unwrap().is_exact());
    }

    #[test]
    fn upper_case_is_never_accepted(host in host()) {
        let text = format!("https://{}", host.to_uppercase());
        let e = parse_origin(&text).unwrap_err();
        prop_assert_eq!(e.code, cors_policy::compiler::Code::NonCanonicalOrigin);
        prop_assert!(e.help.contains(&format!("https://{host}")), "{}", e.help);
    }
}
