//! What the adapters log: a denial's reason at `debug` (target `cors_policy`), with the
//! same text as `cors-policy check`; nothing for an allowed or non-CORS request; an
//! application's own CORS header that the policy overrode, at `warn` the first time.
//!
//! Driven through the `http` helper every adapter runs, on this thread, with a
//! capturing subscriber.

use std::io::Write;
use std::sync::{Arc, Mutex};

use cors_policy::cors_policy;
use cors_policy::engine::Request;
use cors_policy::http::{Action, Cors};
use cors_policy::Policy;
use http::{HeaderMap, HeaderValue, Method};

static POLICY: Policy = cors_policy!(file = "tests/policy.yaml");

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Capture {
    fn take(&self) -> String {
        String::from_utf8(std::mem::take(&mut *self.0.lock().unwrap())).unwrap()
    }
}

fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for &(name, value) in pairs {
        map.append(name, HeaderValue::from_static(value));
    }
    map
}

#[test]
fn denials_are_logged_with_checks_reason_and_nothing_else_is() {
    let capture = Capture::default();
    let writer = capture.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing_subscriber::filter::LevelFilter::DEBUG)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let cors = Cors::new(&POLICY).expect("policy");
    let engine = POLICY.engine().expect("policy");

    let _guard = tracing_subscriber::util::SubscriberInitExt::set_default(subscriber);
    {
        // Allowed, and not CORS: silent.
        for map in [
            headers(&[("origin", "https://app.example.com")]),
            headers(&[]),
        ] {
            let Action::Forward(plan) = cors.check(&Method::GET, &map) else {
                panic!("an actual request goes to the app")
            };
            plan.apply(&mut HeaderMap::new());
        }
        assert_eq!(capture.take(), "", "nothing logged on the allowed path");

        // A denied origin: debug, with the reason `check` prints.
        cors.check(
            &Method::GET,
            &headers(&[("origin", "https://evil.example")]),
        );
        let reason = engine
            .decide(&Request::new(b"GET").origin(b"https://evil.example"))
            .reason()
            .to_string();
        let log = capture.take();
        assert!(log.contains("DEBUG"), "{log}");
        assert!(log.contains("cors_policy"), "{log}");
        assert!(log.contains(&reason), "{log} lacks {reason}");
        assert!(log.contains("https://evil.example"), "{log}");

        // A denied preflight: the header that was refused.
        cors.check(
            &Method::OPTIONS,
            &headers(&[
                ("origin", "https://app.example.com"),
                ("access-control-request-method", "PUT"),
                ("access-control-request-headers", "x-evil"),
            ]),
        );
        let log = capture.take();
        assert!(
            log.contains("the request header `x-evil` is not allowed"),
            "{log}"
        );
        assert!(log.contains("preflight"), "{log}");

        // The application set its own allow-origin: replaced, and said so (warn once).
        for level in ["WARN", "DEBUG"] {
            let Action::Forward(plan) = cors.check(
                &Method::GET,
                &headers(&[("origin", "https://app.example.com")]),
            ) else {
                panic!("an actual request goes to the app")
            };
            let mut response = headers(&[("access-control-allow-origin", "*")]);
            plan.apply(&mut response);
            assert_eq!(
                response["access-control-allow-origin"],
                "https://app.example.com"
            );
            let log = capture.take();
            assert!(log.contains(level), "{log}");
            assert!(log.contains("access-control-allow-origin"), "{log}");
        }
    }
}
