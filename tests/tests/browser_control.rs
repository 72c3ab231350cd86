//! The browser suite's controls, with test APIs that have no policy at all: one that
//! sends no CORS headers must be blocked in every case, and one that grants whatever
//! is asked must be allowed in every case. So when the suite passes against a backend,
//! the browser really allowed and blocked what the verdicts say.

use cors_policy_tests::browser::{
    assert_verdicts, Case, TestRequest, TestResponse, TestServer, Verdict,
};

fn ok() -> TestResponse {
    TestResponse::new(200, "application/json", r#"{"ok":true}"#).header("X-Request-Id", "1")
}

fn every_case(verdict: Verdict) -> Vec<(Case, Verdict)> {
    Case::ALL.map(|c| (c, verdict)).to_vec()
}

#[test]
fn an_api_without_cors_headers_is_blocked_in_every_case() {
    let api = TestServer::start(|_| ok()).expect("control API starts");
    let base = format!("http://localhost:{}", api.addr().port());
    assert_verdicts(&base, &every_case(Verdict::Blocked));
}

/// Echoes the origin, the requested method and headers, with credentials.
fn grant_everything(req: &TestRequest) -> TestResponse {
    let origin = req.header("origin").unwrap_or("*");
    let preflight = req.method == "OPTIONS";
    let response = if preflight {
        TestResponse::new(204, "text/plain", "")
    } else {
        ok().header("Access-Control-Expose-Headers", "X-Request-Id")
    };
    let response = response
        .header("Access-Control-Allow-Origin", origin)
        .header("Access-Control-Allow-Credentials", "true");
    match (
        preflight,
        req.header("access-control-request-method"),
        req.header("access-control-request-headers"),
    ) {
        (true, Some(method), headers) => response
            .header("Access-Control-Allow-Methods", method)
            .header("Access-Control-Allow-Headers", headers.unwrap_or("")),
        _ => response,
    }
}

#[test]
fn an_api_granting_everything_is_allowed_in_every_case() {
    let api = TestServer::start(grant_everything).expect("control API starts");
    let base = format!("http://localhost:{}", api.addr().port());
    assert_verdicts(&base, &every_case(Verdict::Allowed));
}
