//! The request-time glue between the engine and an `http`-crate request/response,
//! written once and instantiated for each version of the `http` crate an adapter
//! needs: `http` 1 (tower, hyper, axum, and [`crate::http`]) and the `http` 0.2 that
//! actix-web 4 re-exports (`crate::actix`).
//!
//! The macro takes the name of the `http` crate in scope and expands to the items
//! [`crate::http`] documents: reading the four CORS request headers without
//! allocating, resolving each decision header to a header value without parsing
//! (static and policy values are prepared once per adapter, request values are
//! the request's own values cloned, a reference count), the owned [`ResponsePlan`]
//! that crosses the application's `.await`, and the `Vary` merge over every line.
//!
//! [`ResponsePlan`]: crate::http::ResponsePlan

/// Expands to the glue over one version of the `http` crate (see the module docs).
macro_rules! glue {
    ($http:ident, $map:ty) => {
        use std::sync::Arc;

        use $http::header::{self as names, HeaderName, HeaderValue};
        use $http::{Method, StatusCode};

        /// The framework's header map.
        type HeaderMap = $map;

        /// What the glue needs of a header map (the instantiating module implements
        /// it: `http`'s and actix-web's maps spell these differently).
        trait Map {
            fn with_capacity(n: usize) -> Self;
            fn lines<'a>(&'a self, name: &HeaderName) -> impl Iterator<Item = &'a HeaderValue>;
            /// Replaces every line of `name`; returns the first old value.
            fn replace(&mut self, name: HeaderName, value: HeaderValue) -> Option<HeaderValue>;
            /// Removes every line of `name`; returns the first old value.
            fn remove_all(&mut self, name: &HeaderName) -> Option<HeaderValue>;
            fn add(&mut self, name: HeaderName, value: HeaderValue);
        }

        use $crate::engine::{
            limits, Decision, Engine, Header, Kind, PolicySource, PolicyValue, Request, Source,
            TableError, Values,
        };
        use $crate::table::Policy;

        /// `Access-Control-Request-Private-Network` (no constant in `http`).
        const ACRPN: HeaderName = HeaderName::from_static("access-control-request-private-network");
        /// `Access-Control-Allow-Private-Network`.
        const ACAPN: HeaderName = HeaderName::from_static("access-control-allow-private-network");

        /// The response headers a layer owns on an actual response (the only
        /// `Access-Control-*` ones a browser reads there): what the application set
        /// for them is replaced by the policy's answer, or removed when it has none.
        const OWNED_ON_ACTUAL: [HeaderName; 3] = [
            names::ACCESS_CONTROL_ALLOW_ORIGIN,
            names::ACCESS_CONTROL_ALLOW_CREDENTIALS,
            names::ACCESS_CONTROL_EXPOSE_HEADERS,
        ];

        /// The index in [`OWNED_ON_ACTUAL`] of a name the engine produces.
        fn owned_slot(name: &'static str) -> Option<usize> {
            match name {
                "access-control-allow-origin" => Some(0),
                "access-control-allow-credentials" => Some(1),
                "access-control-expose-headers" => Some(2),
                _ => None,
            }
        }

        /// The `HeaderName` of a name the engine produces, from constants (a run-time
        /// `HeaderName::from_static` would scan `http`'s table of standard names).
        fn header_name(name: &'static str) -> HeaderName {
            match name {
                "access-control-allow-origin" => names::ACCESS_CONTROL_ALLOW_ORIGIN,
                "access-control-allow-credentials" => names::ACCESS_CONTROL_ALLOW_CREDENTIALS,
                "access-control-allow-methods" => names::ACCESS_CONTROL_ALLOW_METHODS,
                "access-control-allow-headers" => names::ACCESS_CONTROL_ALLOW_HEADERS,
                "access-control-expose-headers" => names::ACCESS_CONTROL_EXPOSE_HEADERS,
                "access-control-max-age" => names::ACCESS_CONTROL_MAX_AGE,
                "access-control-allow-private-network" => ACAPN,
                "vary" => names::VARY,
                other => HeaderName::from_static(other),
            }
        }

        /// A policy ready to answer `http` requests: its engine and its precomputed
        /// header values, behind one `Arc` (cloning is a reference count, whatever the
        /// policy's size; `Send + Sync`).
        #[derive(Clone, Debug)]
        pub struct Cors {
            inner: Arc<Inner>,
        }

        #[derive(Debug)]
        struct Inner {
            engine: Engine<'static>,
            /// Every [`Source::Static`] text with its value, prepared once (a
            /// run-time `HeaderValue::from_static` checks every byte again).
            statics: Vec<(&'static str, HeaderValue)>,
            expose_headers: Option<HeaderValue>,
            max_age: Option<HeaderValue>,
            allow_headers: Option<HeaderValue>,
        }

        /// A policy value as a `HeaderValue`: borrowed from the binary when the macro
        /// built the policy, copied once otherwise.
        fn prepared(
            policy: &Policy,
            which: PolicyValue,
        ) -> Result<Option<HeaderValue>, TableError> {
            let Some(text) = policy.precomputed(which) else {
                return Ok(None);
            };
            let value = match text {
                std::borrow::Cow::Borrowed(s) => {
                    HeaderValue::from_str(s).map(|_| HeaderValue::from_static(s))
                }
                std::borrow::Cow::Owned(s) => HeaderValue::from_str(s),
            };
            value
                .map(Some)
                .map_err(|_| TableError::HeaderValue { value: which })
        }

        impl Cors {
            /// Loads the policy's engine and prepares its header values. Every error
            /// (a corrupt regex DFA, an unsorted table, a value that is no header
            /// value) surfaces here, never on a request.
            pub fn new(policy: impl Into<PolicySource>) -> Result<Cors, TableError> {
                let engine = policy.into().engine()?;
                let policy = engine.policy();
                let inner = Inner {
                    statics: $crate::engine::STATIC_VALUES
                        .iter()
                        .map(|&text| (text, HeaderValue::from_static(text)))
                        .collect(),
                    expose_headers: prepared(policy, PolicyValue::ExposeHeaders)?,
                    max_age: prepared(policy, PolicyValue::MaxAge)?,
                    allow_headers: prepared(policy, PolicyValue::AllowHeaders)?,
                    engine,
                };
                Ok(Cors {
                    inner: Arc::new(inner),
                })
            }

            /// The engine (for [`Engine::decide`] on a request built with [`request`]).
            pub fn engine(&self) -> &Engine<'static> {
                &self.inner.engine
            }

            /// The policy.
            pub fn policy(&self) -> &Policy {
                self.inner.engine.policy()
            }

            /// Decides a request from its method and headers and says what to do:
            /// answer a preflight now, or call the application and apply a plan to its
            /// response. Logs a denial's reason at `debug` (target `cors_policy`).
            pub fn check(&self, method: &Method, headers: &HeaderMap) -> Action {
                let mut lines = RequestLines::new();
                let (request, echoed) = read(method, headers, &mut lines);
                let decision = self.inner.engine.decide(&request);
                $crate::log::denial(&decision, &request);
                if decision.kind() == Kind::Preflight {
                    let mut out = <HeaderMap as Map>::with_capacity(8);
                    self.write(&decision, &echoed, &mut out);
                    Action::Preflight(Preflight {
                        status: status(&decision).unwrap_or(StatusCode::FORBIDDEN),
                        headers: out,
                    })
                } else {
                    Action::Forward(self.plan_from(&decision, &echoed))
                }
            }

            /// A [`Source::Static`] value, prepared once.
            fn static_value(&self, text: &'static str) -> HeaderValue {
                match self.inner.statics.iter().find(|(t, _)| *t == text) {
                    Some((_, value)) => value.clone(),
                    None => HeaderValue::from_static(text),
                }
            }

            /// The value of one decision header: the prepared static and
            /// policy values, and the request's own values for what it echoes
            /// (`request` is the request the decision was made for). `None` only when
            /// `request` is not that request.
            pub fn value(&self, header: &Header<'_>, request: &HeaderMap) -> Option<HeaderValue> {
                self.resolve(header, &Echoed::lookup(request))
            }

            fn resolve(&self, header: &Header<'_>, echoed: &Echoed<'_>) -> Option<HeaderValue> {
                let inner = &self.inner;
                match header.source {
                    Source::Static(text) => Some(self.static_value(text)),
                    Source::Policy(PolicyValue::ExposeHeaders) => inner.expose_headers.clone(),
                    Source::Policy(PolicyValue::MaxAge) => inner.max_age.clone(),
                    Source::Policy(PolicyValue::AllowHeaders) => inner.allow_headers.clone(),
                    Source::RequestOrigin => same(echoed.origin, header.value),
                    Source::RequestMethod => same(echoed.method, header.value),
                    Source::RequestHeaders { line, whole } => {
                        let mut lines =
                            echoed.request.lines(&names::ACCESS_CONTROL_REQUEST_HEADERS);
                        match lines.nth(line) {
                            Some(v) if whole && v.as_bytes() == header.value => Some(v.clone()),
                            // A piece of a line with empty items (`a,,b`), which
                            // browsers never send: the only value that is copied.
                            Some(_) => HeaderValue::from_bytes(header.value).ok(),
                            None => None,
                        }
                    }
                }
            }

            /// Writes every header of `decision` into `out` (a fresh map: a preflight
            /// answer), `Vary` merged into any `Vary` already there.
            pub fn write_headers(
                &self,
                decision: &Decision<'_>,
                request: &HeaderMap,
                out: &mut HeaderMap,
            ) {
                self.write(decision, &Echoed::lookup(request), out)
            }

            fn write(&self, decision: &Decision<'_>, echoed: &Echoed<'_>, out: &mut HeaderMap) {
                for header in decision.cors_headers() {
                    if let Some(value) = self.resolve(&header, echoed) {
                        out.add(header_name(header.name), value);
                    }
                }
                if let Some(vary) = decision.vary_value() {
                    merge_vary(out, decision.vary(), self.static_value(vary));
                }
            }

            /// What to do to the application's response to the request `decision` was
            /// made for (an actual or non-CORS request): an owned plan, which does not
            /// borrow the request, so it can be kept across the application's `.await`.
            /// Building it does not allocate.
            pub fn plan(&self, decision: &Decision<'_>, request: &HeaderMap) -> ResponsePlan {
                self.plan_from(decision, &Echoed::lookup(request))
            }

            fn plan_from(&self, decision: &Decision<'_>, echoed: &Echoed<'_>) -> ResponsePlan {
                let mut plan = ResponsePlan {
                    owns_cors_headers: decision.kind() == Kind::Actual,
                    headers: Default::default(),
                    vary: decision
                        .vary_value()
                        .map(|value| (decision.vary(), self.static_value(value))),
                };
                for header in decision.cors_headers() {
                    // An actual request's headers are exactly the ones a layer owns
                    // (the engine's contract, checked against every case by the
                    // adapters' tests).
                    let slot = owned_slot(header.name).and_then(|i| plan.headers.get_mut(i));
                    if let Some(slot) = slot {
                        *slot = self.resolve(&header, echoed);
                    }
                }
                plan
            }
        }

        /// The request values a decision may echo, found once.
        struct Echoed<'r> {
            request: &'r HeaderMap,
            origin: Option<&'r HeaderValue>,
            method: Option<&'r HeaderValue>,
        }

        impl<'r> Echoed<'r> {
            fn lookup(request: &'r HeaderMap) -> Self {
                Echoed {
                    request,
                    origin: request.lines(&names::ORIGIN).next(),
                    method: request.lines(&names::ACCESS_CONTROL_REQUEST_METHOD).next(),
                }
            }
        }

        /// The request's value when it is the one the engine read.
        fn same(value: Option<&HeaderValue>, bytes: &[u8]) -> Option<HeaderValue> {
            value.filter(|v| v.as_bytes() == bytes).cloned()
        }

        /// What [`Cors::check`] decided.
        #[derive(Debug)]
        pub enum Action {
            /// A preflight: answer it with this status and these headers, without
            /// calling the application.
            Preflight(Preflight),
            /// Call the application, then [`ResponsePlan::apply`] to its response.
            Forward(ResponsePlan),
        }

        /// The answer to a preflight: 204 with the CORS headers, or 403 with only
        /// `Vary`.
        #[derive(Debug)]
        pub struct Preflight {
            /// 204 allowed, 403 denied.
            pub status: StatusCode,
            /// The response headers.
            pub headers: HeaderMap,
        }

        /// What to add to the application's response to an actual or non-CORS
        /// request. Owns everything it needs (`'static`, `Send`), allocates nothing.
        #[derive(Clone, Debug)]
        pub struct ResponsePlan {
            owns_cors_headers: bool,
            /// The values of [`OWNED_ON_ACTUAL`], in its order.
            headers: [Option<HeaderValue>; 3],
            vary: Option<(&'static [&'static str], HeaderValue)>,
        }

        impl ResponsePlan {
            /// Applies the plan to the application's response headers.
            ///
            /// For a CORS request the policy is the authority on
            /// `Access-Control-Allow-Origin`, `-Allow-Credentials` and
            /// `-Expose-Headers`: values the application set for them are replaced, or
            /// removed when the policy sends none (a denied origin), and each such
            /// override is logged (`warn` the first time, `debug` after). `Vary` is
            /// merged into the application's, over all its lines. A non-CORS request
            /// only gets `Vary`.
            pub fn apply(self, out: &mut HeaderMap) {
                if self.owns_cors_headers {
                    for (name, value) in OWNED_ON_ACTUAL.into_iter().zip(self.headers) {
                        let old = match value {
                            Some(value) => out.replace(name.clone(), value),
                            None => out.remove_all(&name),
                        };
                        if let Some(old) = old {
                            $crate::log::overridden(name.as_str(), old.as_bytes());
                        }
                    }
                }
                if let Some((add, value)) = self.vary {
                    merge_vary(out, add, value);
                }
            }
        }

        /// The last single-line `Vary` merged on this thread: the application's
        /// line, the names added, and the result.
        struct MergedVary {
            app: HeaderValue,
            add: &'static [&'static str],
            merged: HeaderValue,
        }

        thread_local! {
            /// An application sends the same `Vary` on response after response: the
            /// merged line is built once per thread and then shared (a reference
            /// count), so the merge allocates nothing in the steady state.
            static LAST_MERGE: std::cell::RefCell<Option<MergedVary>> =
                const { std::cell::RefCell::new(None) };
        }

        /// Merges the names `add` (joined: `value`) into every `Vary` line of `out`,
        /// never replacing the application's names: `value` when there is no line,
        /// nothing when the lines already cover them, else one line with the union.
        pub fn merge_vary(out: &mut HeaderMap, add: &'static [&'static str], value: HeaderValue) {
            // `None`: no line; `Some(None)`: several lines; `Some(Some(line))`: one.
            let existing = {
                let mut lines = out.lines(&names::VARY);
                match (lines.next(), lines.next()) {
                    (None, _) => None,
                    (Some(line), None) => Some(Some(line.clone())),
                    (Some(_), Some(_)) => Some(None),
                }
            };
            let Some(single) = existing else {
                out.add(names::VARY, value);
                return;
            };
            if let Some(line) = &single {
                let hit = LAST_MERGE.with(|last| {
                    let last = last.borrow();
                    last.as_ref()
                        .filter(|m| m.add == add && m.app == *line)
                        .map(|m| m.merged.clone())
                });
                if let Some(merged) = hit {
                    out.replace(names::VARY, merged);
                    return;
                }
            }
            let lines = || out.lines(&names::VARY).map(HeaderValue::as_bytes);
            let Some(merged) = $crate::vary::merge_lines(lines, add) else {
                return;
            };
            // `merge_lines` sizes the buffer exactly, so `Bytes` takes it without a copy.
            match HeaderValue::from_maybe_shared(bytes::Bytes::from(merged)) {
                Ok(merged) => {
                    if let Some(app) = single {
                        LAST_MERGE.with(|last| {
                            *last.borrow_mut() = Some(MergedVary {
                                app,
                                add,
                                merged: merged.clone(),
                            });
                        });
                    }
                    out.replace(names::VARY, merged);
                }
                // Unreachable (the merge keeps the lines' bytes and adds tokens); never
                // drop a name: add ours as another line.
                Err(_) => out.add(names::VARY, value),
            }
        }

        /// The status of a preflight answer (204 allowed, 403 denied); `None` for a
        /// request that goes to the application.
        pub fn status(decision: &Decision<'_>) -> Option<StatusCode> {
            decision.status().map(|status| match status {
                204 => StatusCode::NO_CONTENT,
                _ => StatusCode::FORBIDDEN,
            })
        }

        /// Stack room for the header lines an [`engine::Request`] borrows when a
        /// header is repeated (one line needs none).
        ///
        /// [`engine::Request`]: crate::engine::Request
        #[derive(Debug)]
        pub struct RequestLines<'r> {
            origin: [&'r [u8]; 2],
            method: [&'r [u8]; 2],
            private_network: [&'r [u8]; 2],
            /// Only filled for a preflight whose `Access-Control-Request-Headers` has
            /// several lines (1 KiB, not worth clearing on every request).
            headers: Option<[&'r [u8]; limits::MAX_REQUEST_HEADER_LINES]>,
        }

        impl Default for RequestLines<'_> {
            fn default() -> Self {
                Self::new()
            }
        }

        impl<'r> RequestLines<'r> {
            /// Empty room.
            pub fn new() -> Self {
                RequestLines {
                    origin: [b""; 2],
                    method: [b""; 2],
                    private_network: [b""; 2],
                    headers: None,
                }
            }
        }

        /// The lines of `name` (one borrowed directly, several into `buf`), and the
        /// first line's value.
        fn lines<'r>(
            headers: &'r HeaderMap,
            name: &HeaderName,
            buf: &'r mut [&'r [u8]],
        ) -> (Values<'r>, Option<&'r HeaderValue>) {
            let mut iter = headers.lines(name);
            match (iter.next(), iter.next()) {
                (None, _) => (Values::Absent, None),
                (Some(one), None) => (Values::One(one.as_bytes()), Some(one)),
                (Some(first), Some(_)) => (
                    Values::collect_into(headers.lines(name).map(HeaderValue::as_bytes), buf),
                    Some(first),
                ),
            }
        }

        /// The engine's view of a request, borrowed from its method and headers: no
        /// allocation. The preflight headers are only read for an `OPTIONS` (the
        /// engine ignores them otherwise).
        pub fn request<'r>(
            method: &'r Method,
            headers: &'r HeaderMap,
            buf: &'r mut RequestLines<'r>,
        ) -> Request<'r> {
            read(method, headers, buf).0
        }

        /// [`request`], and the values a decision may echo (read once).
        fn read<'r>(
            method: &'r Method,
            headers: &'r HeaderMap,
            buf: &'r mut RequestLines<'r>,
        ) -> (Request<'r>, Echoed<'r>) {
            let RequestLines {
                origin,
                method: request_method,
                private_network,
                headers: header_lines,
            } = buf;
            let (origins, origin) = lines(headers, &names::ORIGIN, origin);
            let mut request = Request::new(method.as_str().as_bytes()).origins(origins);
            let mut echoed = Echoed {
                request: headers,
                origin,
                method: None,
            };
            if *method != Method::OPTIONS {
                return (request, echoed);
            }
            let acrm = &names::ACCESS_CONTROL_REQUEST_METHOD;
            (request.request_method, echoed.method) = lines(headers, acrm, request_method);
            if request.request_method.is_absent() {
                return (request, echoed);
            }
            request.request_private_network = lines(headers, &ACRPN, private_network).0;
            let acrh = &names::ACCESS_CONTROL_REQUEST_HEADERS;
            let mut iter = headers.lines(acrh);
            request.request_headers = match (iter.next(), iter.next()) {
                (None, _) => Values::Absent,
                (Some(one), None) => Values::One(one.as_bytes()),
                _ => {
                    let buf = header_lines.insert([b""; limits::MAX_REQUEST_HEADER_LINES]);
                    Values::collect_into(headers.lines(acrh).map(HeaderValue::as_bytes), buf)
                }
            };
            (request, echoed)
        }
    };
}

pub(crate) use glue;
