//! Named regression tests: every failure the fuzz targets met, kept as a plain test
//! (each was the reference misreading the contract; the engine was right, and these
//! pin what it does).

use cors_policy::engine::Kind;

use crate::reference::RefPolicy;
use crate::request::{Lines, Req};
use crate::spec::{List, OriginEntry, Spec};
use crate::{check_decision, Answer};

fn preflight(origin: &str, method: &str, headers: &str) -> Req {
    Req {
        method: b"OPTIONS".to_vec(),
        origin: Lines::One(origin.as_bytes().to_vec()),
        request_method: Lines::One(method.as_bytes().to_vec()),
        request_headers: Lines::One(headers.as_bytes().to_vec()),
        private_network: Lines::Absent,
    }
}

/// `request_headers`, seed 825270211009: `allow_headers: ["*", authorization]` allows
/// any header besides `authorization` (a `*` among names is the wildcard).
#[test]
fn star_among_listed_names_allows_any_header() {
    let spec = Spec {
        allow_headers: Some(List::Items(vec!["*".into(), "authorization".into()])),
        ..Spec::origins(List::Items(vec![OriginEntry::Text(
            "https://a.example.com".into(),
        )]))
    };
    let policy = cors_policy::from_yaml(&spec.yaml()).unwrap();
    let engine = policy.engine().unwrap();
    let reference = RefPolicy::new(&spec);
    for (headers, allowed) in [
        ("x-request-id", true),
        ("authorization, x-anything", true),
        ("cookie2, x y", false),
    ] {
        let req = preflight("https://a.example.com", "GET", headers);
        req.with(|r| {
            let d = engine.decide(r);
            assert_eq!(d.is_allowed(), allowed, "{headers}");
            check_decision(&reference, &req, &d).unwrap();
        });
    }
}

/// `decision`, seed 825270211009: under `origins: "*"` an actual request's answer does
/// not depend on the origin, so it has no `Vary` at all, whatever the `Origin` holds
/// (here a CR LF injection attempt).
#[test]
fn any_origin_actual_response_has_no_vary() {
    let spec = Spec::origins(List::Any);
    let policy = cors_policy::from_yaml(&spec.yaml()).unwrap();
    let engine = policy.engine().unwrap();
    let req = Req {
        method: b"PUT".to_vec(),
        origin: Lines::One(b"https://example.com\r\nx: y".to_vec()),
        request_method: Lines::One(b"\x93".to_vec()),
        request_headers: Lines::Absent,
        private_network: Lines::Absent,
    };
    req.with(|r| {
        let d = engine.decide(r);
        assert_eq!(d.kind(), Kind::Actual);
        let answer = Answer::of(&d);
        let names: Vec<&str> = answer.headers.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["access-control-allow-origin"]);
        assert_eq!(answer.headers[0].1, b"*");
        check_decision(&RefPolicy::new(&spec), &req, &d).unwrap();
    });
}
