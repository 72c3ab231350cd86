//! CORS for any server on the `http` crate (feature `http`): the helper the `tower`
//! and `actix` adapters are built on, and what another framework (poem, salvo, a bare
//! hyper `service_fn`) adapts in a few lines.
//!
//! ```
//! # #[cfg(feature = "compile")] {
//! use cors_policy::http::{Action, Cors};
//! use http::{HeaderValue, Request, Response, StatusCode};
//!
//! let cors = Cors::new(cors_policy::from_yaml("origins: [https://app.example.com]\n").unwrap())
//!     .expect("the policy loads");
//!
//! // Any handler over `http` types: decide, then answer a preflight or call the app.
//! let handle = |req: Request<()>| -> Response<String> {
//!     match cors.check(req.method(), req.headers()) {
//!         Action::Preflight(preflight) => {
//!             let mut res = Response::new(String::new());
//!             *res.status_mut() = preflight.status;
//!             *res.headers_mut() = preflight.headers;
//!             res
//!         }
//!         Action::Forward(plan) => {
//!             let mut res = Response::new("hello".to_owned()); // the application
//!             plan.apply(res.headers_mut());
//!             res
//!         }
//!     }
//! };
//!
//! let req = Request::get("/").header("origin", "https://app.example.com").body(()).unwrap();
//! let res = handle(req);
//! assert_eq!(res.headers()["access-control-allow-origin"], "https://app.example.com");
//! assert_eq!(res.headers()["vary"], "Origin");
//! # }
//! ```
//!
//! # Behaviour (policy-spec §4), as the adapters implement it
//!
//! - **Preflight** (`OPTIONS` + `Origin` + `Access-Control-Request-Method`): answered
//!   by the layer, the application is not called: 204 with the CORS headers, or 403
//!   with no `Access-Control-*` header; `Vary` on both.
//! - **Any other request** goes to the application; a plain `OPTIONS` (no
//!   `Access-Control-Request-Method`) included. Its response, error statuses included
//!   (a 500 for an allowed origin keeps `Access-Control-Allow-Origin`, so the page can
//!   read the error), gets `Access-Control-Allow-Origin`, `-Allow-Credentials` and
//!   `-Expose-Headers` when the origin is allowed. `HEAD` is an actual request like
//!   `GET`. Only headers change: the body (streaming or not) and its type pass
//!   through untouched.
//! - **The policy is the authority** on `Access-Control-Allow-Origin`,
//!   `-Allow-Credentials` and `-Expose-Headers` of a CORS response: if the application
//!   set any of them, the policy's value replaces it, or it is removed when the policy
//!   sends none (a denied origin, no credentials, nothing exposed), so a denied origin
//!   never gets an `Access-Control-Allow-Origin` the application made up. Each
//!   override is logged at `warn` the first time in the process and at `debug` after:
//!   it means two CORS layers, which should be one. The other `Access-Control-*`
//!   names mean nothing to a browser on an actual response and are left alone. A
//!   request without `Origin` is not a CORS request: its response keeps all its
//!   headers.
//! - **`Vary`** is merged into the application's, over all its `Vary` lines, never
//!   replacing a name: nothing changes when they already name `Origin` (or `*`); else
//!   the lines become one line with the application's names, then ours. The merged
//!   value is the one thing the layer may allocate; each thread keeps the last one it
//!   built for a single `Vary` line and reuses it (a reference count) while the
//!   application keeps sending that line, so a steady stream of responses allocates
//!   nothing.
//! - **Why was it denied?** Every denial is logged through `tracing` at `debug`,
//!   target `cors_policy`, with the same reason text as `cors-policy check`; nothing is
//!   logged for an allowed request.
//!
//! # Cost
//!
//! Reading the request allocates nothing ([`request`]); the engine's fixed values
//! (`true`, `*`, the `Vary` lists) and the policy's values are prepared once by
//! [`Cors::new`] (borrowed from the binary for a `cors_policy!` policy), and what is
//! echoed (the origin, the requested method and header lines) is the request's own
//! `HeaderValue` cloned: a reference count, not a copy. The one copy is an `Access-Control-Request-Headers` line with empty items
//! (`a,,b`), which browsers never send, echoed item by item under
//! `allow_headers: "*"` with credentials.

use ::http as http1;

crate::glue::glue!(http1, http1::HeaderMap);

impl Map for HeaderMap {
    fn with_capacity(n: usize) -> Self {
        HeaderMap::with_capacity(n)
    }

    fn lines<'a>(&'a self, name: &HeaderName) -> impl Iterator<Item = &'a HeaderValue> {
        self.get_all(name).into_iter()
    }

    fn replace(&mut self, name: HeaderName, value: HeaderValue) -> Option<HeaderValue> {
        self.insert(name, value)
    }

    fn remove_all(&mut self, name: &HeaderName) -> Option<HeaderValue> {
        self.remove(name)
    }

    fn add(&mut self, name: HeaderName, value: HeaderValue) {
        self.append(name, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ::http::header::VARY;

    fn merged(app: &[&str], add: &'static [&'static str]) -> Vec<String> {
        let mut map = HeaderMap::new();
        for line in app {
            map.append(VARY, HeaderValue::from_str(line).unwrap());
        }
        merge_vary(&mut map, add, HeaderValue::from_static("joined"));
        map.get_all(VARY)
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect()
    }

    #[test]
    fn merge_vary_reuses_the_last_merge_only_for_the_same_line() {
        const ORIGIN: &[&str] = &["Origin"];
        const PREFLIGHT: &[&str] = &["Origin", "Access-Control-Request-Method"];
        // Repeated, alternated: the per-thread reuse never hands one line's merge to
        // another line or another set of names.
        for _ in 0..3 {
            assert_eq!(
                merged(&["Accept-Encoding"], ORIGIN),
                ["Accept-Encoding, Origin"]
            );
            assert_eq!(
                merged(&["Accept-Encoding"], ORIGIN),
                ["Accept-Encoding, Origin"]
            );
            assert_eq!(
                merged(&["Accept-Encoding"], PREFLIGHT),
                ["Accept-Encoding, Origin, Access-Control-Request-Method"]
            );
            assert_eq!(merged(&["accept"], ORIGIN), ["accept, Origin"]);
            assert_eq!(merged(&["origin"], ORIGIN), ["origin"]);
            assert_eq!(merged(&[], ORIGIN), ["joined"]);
            assert_eq!(merged(&["a", "b"], ORIGIN), ["a, b, Origin"]);
            assert_eq!(merged(&["a", "ORIGIN"], ORIGIN), ["a", "ORIGIN"]);
            assert_eq!(merged(&["*"], ORIGIN), ["*"]);
        }
    }

    #[test]
    fn request_reads_repeated_lines_without_a_heap_buffer() {
        let mut map = HeaderMap::new();
        map.append("origin", HeaderValue::from_static("https://a.com"));
        map.append(
            "access-control-request-method",
            HeaderValue::from_static("PUT"),
        );
        map.append(
            "access-control-request-headers",
            HeaderValue::from_static("x-a"),
        );
        map.append(
            "access-control-request-headers",
            HeaderValue::from_static("x-b"),
        );
        let mut lines = RequestLines::new();
        let req = request(&Method::OPTIONS, &map, &mut lines);
        assert_eq!(req.origin, Values::One(b"https://a.com"));
        assert_eq!(req.request_method, Values::One(b"PUT"));
        assert_eq!(
            req.request_headers.lines(),
            Some(&[&b"x-a"[..], b"x-b"][..])
        );
        // Not an OPTIONS: the preflight headers are not read.
        let mut lines = RequestLines::new();
        let req = request(&Method::GET, &map, &mut lines);
        assert!(req.request_method.is_absent() && req.request_headers.is_absent());
        // Two origins: the engine sees both (and denies).
        map.append("origin", HeaderValue::from_static("https://b.com"));
        let mut lines = RequestLines::new();
        let req = request(&Method::GET, &map, &mut lines);
        assert_eq!(req.origin.lines().map(<[_]>::len), Some(2));
    }
}
