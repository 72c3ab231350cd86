//! The Rust engine's answer to a raw request, as an HTTP server built on it sends it:
//! a preflight answered with the decision's status and headers; anything else passed
//! to the same trivial application as the proxies' ([`crate::servers::upstream`]) with
//! the decision's headers added and its `Vary` beside the application's.

use cors_policy::engine::{Engine, Kind, Request, Values};

use crate::fetch_check::Response;
use crate::http1::RawRequest;

/// What a server using `engine` answers to `request`.
pub fn engine_answer(engine: &Engine<'_>, request: &RawRequest) -> Response {
    let lines = |name: &str| -> Vec<&[u8]> {
        request
            .values(name)
            .into_iter()
            .map(str::as_bytes)
            .collect()
    };
    let (origin, method, headers, pna) = (
        lines("origin"),
        lines("access-control-request-method"),
        lines("access-control-request-headers"),
        lines("access-control-request-private-network"),
    );
    let r = Request {
        method: request.method.as_bytes(),
        origin: values(&origin),
        request_method: values(&method),
        request_headers: values(&headers),
        request_private_network: values(&pna),
    };
    let decision = engine.decide(&r);
    let mut out = Response::default();
    if decision.kind() == Kind::Preflight {
        out.status = decision.status().unwrap_or(500);
    } else {
        out.status = 200;
        out.headers
            .push(("content-type".into(), "application/json".into()));
        out.headers.push(("vary".into(), "Accept-Encoding".into()));
        out.headers.push(("x-request-id".into(), "1".into()));
    }
    for h in decision.headers() {
        out.headers
            .push((h.name.to_owned(), h.value_str().to_owned()));
    }
    out
}

/// The header's lines as the engine takes them.
fn values<'a>(lines: &'a [&'a [u8]]) -> Values<'a> {
    match lines {
        [] => Values::Absent,
        [one] => Values::One(one),
        many => Values::Many(many),
    }
}
