//! The request-time decision: classify a request, decide, and produce the response
//! headers, from a compiled [`Policy`] with no parsing, allocation or regex compilation.
//!
//! ```
//! # fn policy() -> cors_policy_core::Policy { unimplemented!() }
//! use cors_policy_core::engine::{Kind, Request};
//!
//! # fn run(policy: &cors_policy_core::Policy) -> Result<(), cors_policy_core::engine::TableError> {
//! let engine = policy.engine()?; // once, at start-up: validates the regex DFAs
//! let request = Request::new(b"GET").origin(b"https://app.example.com");
//! let decision = engine.decide(&request); // per request: no heap allocation
//! if decision.kind() == Kind::Actual {
//!     for h in decision.cors_headers() {
//!         println!("{}: {}", h.name, h.value_str());
//!     }
//! }
//! # Ok(()) }
//! ```
//!
//! # The contract (policy-spec §4), as decided for this engine
//!
//! **Classification.** No `Origin` header: [`Kind::NotCors`], the request goes to the
//! application untouched, except that `Vary: Origin` is always added: the answer
//! depends on the origin, and even under `origins: "*"` on its presence (a shared cache
//! must not serve a response without `Access-Control-Allow-Origin` to a CORS request). `OPTIONS` (case-sensitive,
//! as methods are) with an `Origin` and an `Access-Control-Request-Method`:
//! [`Kind::Preflight`]. Anything else with an `Origin`, an `OPTIONS` without
//! `Access-Control-Request-Method` included: [`Kind::Actual`].
//!
//! **Allowed preflight**: status 204 and, in this order,
//! `Access-Control-Allow-Origin` (the request's origin byte for byte, or `*` for
//! `origins: "*"`, which never has credentials), `-Allow-Credentials: true` when
//! credentialed, `-Allow-Methods` echoing the requested method (it was checked: `GET`,
//! `HEAD` and `POST` are always allowed, other methods must be listed, case-sensitive,
//! or `methods: "*"`), `-Allow-Headers` only when headers were requested (the policy's
//! list, precomputed; `*`, plus `, authorization` when listed, for `allow_headers: "*"`
//! without credentials; with credentials `*` is a literal name for browsers, so the
//! requested names are echoed, borrowed from the request, possibly as several values),
//! `-Max-Age` when set, `-Allow-Private-Network: true` when asked and allowed, and
//! `Vary`: `Origin` (when origin-dependent), `Access-Control-Request-Method`,
//! `Access-Control-Request-Headers`, plus `Access-Control-Request-Private-Network`
//! when the policy enables Private Network Access. A Private Network Access request
//! that the policy does not allow is answered as a normal CORS preflight without
//! `-Allow-Private-Network` (so Chrome's warning-only mode keeps working);
//! [`Decision::private_network_refused`] tells.
//!
//! **Denied preflight**: 403, no `Access-Control-*` header, `Vary` as above.
//!
//! **Actual request**: from an allowed origin `Access-Control-Allow-Origin`,
//! `-Allow-Credentials` and `-Expose-Headers` (precomputed); from a denied origin no
//! `Access-Control-*` header. `Vary: Origin` unless `origins: "*"`. The method of an
//! actual request is not checked: the browser enforced it at the preflight.
//!
//! **Fetch details.** Origins are compared byte for byte (no case folding, no trailing
//! slash tolerance); `null` is never allowed by a list. A `*.parent` pattern matches a
//! host of one or more labels made of `a-z`, `0-9`, `-` and `_` before `.parent`; a
//! port is only recognised in its canonical form (no leading zero, never the scheme's
//! default port, which browsers omit). Methods are case-sensitive. `authorization` is
//! never covered by `allow_headers: "*"`. `Access-Control-Request-Headers` is a
//! case-insensitive comma list with optional whitespace over every line of the header;
//! empty items are skipped; every item must be a token and allowed.
//!
//! **`origins: "*"` never looks at the origin's value**, only at its presence: any
//! `Origin` (even `null`, malformed, huge or repeated) gets `*`. This is what makes
//! omitting `Vary: Origin` correct: if a hostile `Origin` could change the answer, a
//! shared cache could store that answer and serve it to everyone else.
//!
//! **Bounded work.** Every input is size-checked before it is scanned, so the cost of
//! a request is O(1) beyond the [`limits`]: an `Origin` over
//! [`limits::MAX_ORIGIN_LEN`] bytes, `Access-Control-Request-Headers` over
//! [`limits::MAX_REQUEST_HEADERS_LEN`] bytes in total, over
//! [`limits::MAX_REQUEST_HEADER_LINES`] lines or over
//! [`limits::MAX_REQUEST_HEADER_ITEMS`] names, or a request method over
//! [`limits::MAX_METHOD_LEN`] bytes is denied with its own [`Reason`]. Non-UTF-8 (in
//! fact non-ASCII) bytes anywhere are a clean deny. Nothing here panics.
//!
//! Every deny carries a [`Reason`] (with `Display`), for debug logs and
//! `cors-policy check`.

mod decision;
mod reason;
mod request;

use std::cmp::Ordering;
use std::fmt;

use regex_automata::dfa::{dense, Automaton};
use regex_automata::util::start;
use regex_automata::Anchored;

use crate::http_token::is_token;
use std::sync::Arc;

use crate::table::{DfaBytes, HostPatternEntry, Policy, PortPattern, RegexEntry, Text};

pub use decision::{Decision, Header, Headers, Kind, PolicyValue, Source};
pub use reason::Reason;
pub use request::{Request, Values};

/// The bounds on hostile input.
pub mod limits {
    /// The longest `Origin` value considered (browsers send a few dozen bytes; DNS names
    /// are at most 253).
    pub const MAX_ORIGIN_LEN: usize = 4096;
    /// The most `Access-Control-Request-Headers` bytes considered, all lines together.
    pub const MAX_REQUEST_HEADERS_LEN: usize = 8192;
    /// The most `Access-Control-Request-Headers` lines considered.
    pub const MAX_REQUEST_HEADER_LINES: usize = 64;
    /// The most names in `Access-Control-Request-Headers`.
    pub const MAX_REQUEST_HEADER_ITEMS: usize = 256;
    /// The longest `Access-Control-Request-Method` considered.
    pub const MAX_METHOD_LEN: usize = 128;
}

/// Why [`Policy::engine`] refused a policy's tables.
#[derive(Debug)]
#[non_exhaustive]
pub enum TableError {
    /// A serialized regex DFA failed validation (wrong version, endianness, alignment
    /// or a corrupt table).
    Dfa {
        /// The regex's source.
        source: String,
        /// What regex-automata found.
        error: regex_automata::util::wire::DeserializeError,
    },
    /// A regex DFA cannot run an anchored search (it was built without anchored
    /// start states).
    UnanchoredDfa {
        /// The regex's source.
        source: String,
    },
    /// A table is not sorted (or not lower-case) as the engine's lookups require:
    /// the policy was not produced by `cors_policy_compiler::compile`.
    Unsorted {
        /// Which table.
        table: &'static str,
    },
    /// A precomputed header value holds a byte that is not visible ASCII or a space:
    /// the policy was not produced by the compiler.
    HeaderValue {
        /// Which value.
        value: PolicyValue,
    },
}

impl fmt::Display for TableError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TableError::Dfa { source, error } => {
                write!(f, "the DFA of regex origin `{source}` is invalid: {error}")
            }
            TableError::UnanchoredDfa { source } => write!(
                f,
                "the DFA of regex origin `{source}` has no anchored start state"
            ),
            TableError::Unsorted { table } => {
                write!(f, "the policy's `{table}` table is not in compiled order")
            }
            TableError::HeaderValue { value } => write!(
                f,
                "the policy's precomputed {value:?} value is not a valid header value"
            ),
        }
    }
}

impl std::error::Error for TableError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            TableError::Dfa { error, .. } => Some(error),
            _ => None,
        }
    }
}

/// A [`Policy`] ready to decide: its tables checked and its regex DFAs loaded.
///
/// Build it once and keep it (it is `Send + Sync`): [`Policy::engine`] borrows a
/// policy (for a `static` one, a `std::sync::LazyLock<Engine<'static>>` keeps it),
/// [`Engine::shared`] and [`Policy::into_engine`] own theirs (a policy loaded at
/// start-up, no `'static` needed; regex DFAs that the policy owns are copied once).
#[derive(Clone, Debug)]
pub struct Engine<'p> {
    policy: PolicyRef<'p>,
    dfas: Vec<Dfa<'p>>,
}

/// The policy an engine reads: borrowed, or shared with whoever else holds it.
#[derive(Clone, Debug)]
enum PolicyRef<'p> {
    Borrowed(&'p Policy),
    Shared(Arc<Policy>),
}

/// A loaded regex DFA: borrowing the policy's bytes, or its own copy of them (when the
/// engine owns the policy, the DFA cannot borrow from it).
#[derive(Clone, Debug)]
enum Dfa<'p> {
    Borrowed(dense::DFA<&'p [u32]>),
    Owned(dense::DFA<Vec<u32>>),
}

impl Dfa<'_> {
    fn full_match(&self, haystack: &[u8]) -> bool {
        match self {
            Dfa::Borrowed(dfa) => full_match(dfa, haystack),
            Dfa::Owned(dfa) => full_match(dfa, haystack),
        }
    }
}

impl Policy {
    /// Validates the policy's tables once (regex DFAs: version, endianness, alignment
    /// and integrity, through regex-automata's checked `DFA::from_bytes`; table order;
    /// header values) and returns an engine that decides requests without allocating.
    pub fn engine(&self) -> Result<Engine<'_>, TableError> {
        check_tables(self)?;
        let mut dfas = Vec::with_capacity(self.regexes.len());
        for entry in self.regexes.iter() {
            dfas.push(Dfa::Borrowed(load_dfa(entry, entry.dfa.as_bytes())?));
        }
        Ok(Engine {
            policy: PolicyRef::Borrowed(self),
            dfas,
        })
    }

    /// [`Engine::shared`] over this policy: an engine that owns it.
    pub fn into_engine(self) -> Result<Engine<'static>, TableError> {
        Engine::shared(Arc::new(self))
    }
}

impl Engine<'static> {
    /// An engine that shares ownership of `policy`, with the same checks as
    /// [`Policy::engine`]: for a policy loaded at run time and kept as long as the
    /// engine. Regex DFAs embedded in the binary are borrowed; DFAs the policy owns
    /// are copied into the engine once.
    pub fn shared(policy: Arc<Policy>) -> Result<Engine<'static>, TableError> {
        check_tables(&policy)?;
        let mut dfas = Vec::with_capacity(policy.regexes.len());
        for entry in policy.regexes.iter() {
            let dfa = match &entry.dfa {
                DfaBytes::Static(bytes) => Dfa::Borrowed(load_dfa(entry, bytes)?),
                DfaBytes::Owned { .. } => {
                    Dfa::Owned(load_dfa(entry, entry.dfa.as_bytes())?.to_owned())
                }
            };
            dfas.push(dfa);
        }
        Ok(Engine {
            policy: PolicyRef::Shared(policy),
            dfas,
        })
    }
}

/// Where a policy comes from: built by `cors_policy!` (`&'static`), or loaded at
/// start-up and owned (a [`Policy`] or an `Arc<Policy>`). Either way the engine built
/// from it is an `Engine<'static>`, and an adapter that holds it shares it: cloning
/// never copies the policy.
#[derive(Clone, Debug)]
pub enum PolicySource {
    /// A policy in a `static` (the `cors_policy!` macro).
    Static(&'static Policy),
    /// A policy owned by the engine (and whoever else holds the `Arc`).
    Shared(Arc<Policy>),
}

impl PolicySource {
    /// The engine over this policy ([`Policy::engine`] or [`Engine::shared`]).
    pub fn engine(self) -> Result<Engine<'static>, TableError> {
        match self {
            PolicySource::Static(policy) => policy.engine(),
            PolicySource::Shared(policy) => Engine::shared(policy),
        }
    }
}

impl From<&'static Policy> for PolicySource {
    fn from(policy: &'static Policy) -> Self {
        PolicySource::Static(policy)
    }
}

impl From<Policy> for PolicySource {
    fn from(policy: Policy) -> Self {
        PolicySource::Shared(Arc::new(policy))
    }
}

impl From<Arc<Policy>> for PolicySource {
    fn from(policy: Arc<Policy>) -> Self {
        PolicySource::Shared(policy)
    }
}

/// Deserializes one regex DFA with regex-automata's checks, and makes sure it can run
/// the anchored search the engine does.
fn load_dfa<'b>(entry: &RegexEntry, bytes: &'b [u8]) -> Result<dense::DFA<&'b [u32]>, TableError> {
    let (dfa, _) = dense::DFA::from_bytes(bytes).map_err(|error| TableError::Dfa {
        source: entry.source.to_string(),
        error,
    })?;
    if dfa
        .start_state(&start::Config::new().anchored(Anchored::Yes))
        .is_err()
    {
        return Err(TableError::UnanchoredDfa {
            source: entry.source.to_string(),
        });
    }
    Ok(dfa)
}

/// Checks what the engine's lookups and the adapters' header values rely on.
fn check_tables(p: &Policy) -> Result<(), TableError> {
    check_sorted(p)?;
    check_header_values(p)
}

/// The precomputed values go into response headers as they are: a hand-built policy
/// with a control byte in one would produce a header no HTTP library accepts, so it is
/// refused here, once, instead of failing on a request.
fn check_header_values(p: &Policy) -> Result<(), TableError> {
    for which in [
        PolicyValue::ExposeHeaders,
        PolicyValue::MaxAge,
        PolicyValue::AllowHeaders,
    ] {
        if let Some(text) = p.precomputed(which) {
            if !text.bytes().all(|b| (0x20..=0x7e).contains(&b)) {
                return Err(TableError::HeaderValue { value: which });
            }
        }
    }
    Ok(())
}

impl Policy {
    /// The precomputed text of a [`Source::Policy`] header value, `None` when the
    /// policy has none. Borrowed from the binary (`Cow::Borrowed`, a `&'static str`)
    /// when the `cors_policy!` macro built the policy, so an adapter can wrap it
    /// without copying (`http::HeaderValue::from_static`).
    pub fn precomputed(&self, which: PolicyValue) -> Option<&Text> {
        match which {
            PolicyValue::ExposeHeaders => self.expose_headers.as_ref(),
            PolicyValue::MaxAge => self.max_age.as_ref(),
            PolicyValue::AllowHeaders => self.allow_headers_value.as_ref(),
        }
    }
}

/// The binary searches are only right on sorted tables; a hand-built or corrupted
/// `Policy` literal is refused instead of answering wrongly.
fn check_sorted(p: &Policy) -> Result<(), TableError> {
    fn sorted<T>(table: &[T], key: impl Fn(&T) -> &[u8]) -> bool {
        table.windows(2).all(|w| key(&w[0]) <= key(&w[1]))
    }
    let unsorted = |table| Err(TableError::Unsorted { table });
    if !sorted(&p.exact_origins, |s| s.as_bytes()) {
        return unsorted("exact_origins");
    }
    if !p.host_patterns.windows(2).all(|w| w[0] <= w[1]) {
        return unsorted("host_patterns");
    }
    if !sorted(&p.methods, |s| s.as_bytes()) {
        return unsorted("methods");
    }
    if !sorted(&p.allow_headers, |s| s.as_bytes())
        || p.allow_headers
            .iter()
            .any(|h| h.bytes().any(|b| b.is_ascii_uppercase()))
    {
        return unsorted("allow_headers");
    }
    Ok(())
}

/// The `Vary` of a decision: names (for [`crate::vary::merge`]) and the joined value.
#[derive(Clone, Copy, Debug)]
pub(crate) struct VarySet {
    pub(crate) names: &'static [&'static str],
    pub(crate) value: &'static str,
}

const VARY_NONE: VarySet = VarySet {
    names: &[],
    value: "",
};
const VARY_ORIGIN: VarySet = VarySet {
    names: &["Origin"],
    value: "Origin",
};
const VARY_PREFLIGHT: VarySet = VarySet {
    names: &[
        "Access-Control-Request-Method",
        "Access-Control-Request-Headers",
    ],
    value: "Access-Control-Request-Method, Access-Control-Request-Headers",
};
const VARY_PREFLIGHT_PNA: VarySet = VarySet {
    names: &[
        "Access-Control-Request-Method",
        "Access-Control-Request-Headers",
        "Access-Control-Request-Private-Network",
    ],
    value: "Access-Control-Request-Method, Access-Control-Request-Headers, \
            Access-Control-Request-Private-Network",
};
const VARY_ORIGIN_PREFLIGHT: VarySet = VarySet {
    names: &[
        "Origin",
        "Access-Control-Request-Method",
        "Access-Control-Request-Headers",
    ],
    value: "Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
};
const VARY_ORIGIN_PREFLIGHT_PNA: VarySet = VarySet {
    names: &[
        "Origin",
        "Access-Control-Request-Method",
        "Access-Control-Request-Headers",
        "Access-Control-Request-Private-Network",
    ],
    value: "Origin, Access-Control-Request-Method, Access-Control-Request-Headers, \
            Access-Control-Request-Private-Network",
};

/// Every text a [`Source::Static`] header value can hold, so that an adapter can
/// prepare each as a header value once (e.g. `http::HeaderValue::from_static` checks
/// every byte: done per request, that would cost more than the decision).
pub const STATIC_VALUES: &[&str] = &[
    "true",
    "*",
    VARY_ORIGIN.value,
    VARY_PREFLIGHT.value,
    VARY_PREFLIGHT_PNA.value,
    VARY_ORIGIN_PREFLIGHT.value,
    VARY_ORIGIN_PREFLIGHT_PNA.value,
];

/// Trims optional whitespace (space and tab) at both ends.
pub(crate) fn trim_ows(mut s: &[u8]) -> &[u8] {
    while let [b' ' | b'\t', rest @ ..] = s {
        s = rest;
    }
    while let [rest @ .., b' ' | b'\t'] = s {
        s = rest;
    }
    s
}

/// How the origin check came out: the reason, and the `Access-Control-Allow-Origin`
/// value when allowed.
type OriginVerdict<'a> = Result<(Reason<'a>, (&'a [u8], Source)), Reason<'a>>;

impl Engine<'_> {
    /// The policy this engine decides for.
    #[inline]
    pub fn policy(&self) -> &Policy {
        match &self.policy {
            PolicyRef::Borrowed(policy) => policy,
            PolicyRef::Shared(policy) => policy,
        }
    }

    /// Decides one request. Never allocates, never panics, and does bounded work
    /// whatever the request holds.
    pub fn decide<'a>(&'a self, request: &'a Request<'_>) -> Decision<'a> {
        let policy = self.policy();
        let origin_dependent = !policy.any_origin;
        if request.origin.is_absent() {
            // Even under `origins: "*"` the answer depends on the Origin header's
            // presence (`*` is added only when it is there), so a shared cache must not
            // serve this header-less response to a CORS request.
            let mut d = Decision::new(Kind::NotCors, Reason::NoOrigin, VARY_ORIGIN);
            d.finish();
            return d;
        }
        let preflight = request.method == b"OPTIONS" && !request.request_method.is_absent();
        let origin = self.check_origin(&request.origin);
        if !preflight {
            let vary = if origin_dependent {
                VARY_ORIGIN
            } else {
                VARY_NONE
            };
            let mut d = Decision::new(Kind::Actual, Reason::NoOrigin, vary);
            match origin {
                Ok((reason, acao)) => {
                    d.reason = reason;
                    d.allow_origin(acao, policy.credentials);
                    if let Some(expose) = &policy.expose_headers {
                        d.push(
                            "access-control-expose-headers",
                            expose.as_bytes(),
                            Source::Policy(PolicyValue::ExposeHeaders),
                        );
                    }
                }
                Err(reason) => d.reason = reason,
            };
            d.finish();
            return d;
        }

        let vary = match (origin_dependent, policy.allow_private_network) {
            (true, true) => VARY_ORIGIN_PREFLIGHT_PNA,
            (true, false) => VARY_ORIGIN_PREFLIGHT,
            (false, true) => VARY_PREFLIGHT_PNA,
            (false, false) => VARY_PREFLIGHT,
        };
        let denied = |reason| {
            let mut d = Decision::new(Kind::Preflight, reason, vary);
            d.finish();
            d
        };
        let (reason, acao) = match origin {
            Ok(ok) => ok,
            Err(reason) => return denied(reason),
        };
        let method = match self.check_request_method(&request.request_method) {
            Ok(m) => m,
            Err(reason) => return denied(reason),
        };
        let headers = match self.check_request_headers(&request.request_headers) {
            Ok(h) => h,
            Err(reason) => return denied(reason),
        };
        let pna_asked = matches!(
            request.request_private_network.single(),
            Ok(Some(v)) if trim_ows(v) == b"true"
        );

        let mut d = Decision::new(Kind::Preflight, reason, vary);
        d.allow_origin(acao, policy.credentials);
        d.push(
            "access-control-allow-methods",
            method,
            Source::RequestMethod,
        );
        if let Some(lines) = headers {
            match &policy.allow_headers_value {
                Some(value) => d.push(
                    "access-control-allow-headers",
                    value.as_bytes(),
                    Source::Policy(PolicyValue::AllowHeaders),
                ),
                None => d.echo = Some((d.len, lines)),
            }
        }
        if let Some(max_age) = &policy.max_age {
            d.push(
                "access-control-max-age",
                max_age.as_bytes(),
                Source::Policy(PolicyValue::MaxAge),
            );
        }
        if pna_asked {
            if policy.allow_private_network {
                d.push(
                    "access-control-allow-private-network",
                    b"true",
                    Source::Static("true"),
                );
            } else {
                d.private_network_refused = true;
            }
        }
        d.finish();
        d
    }

    /// Whether the policy allows this `Origin` value (one header line). The same check
    /// [`Engine::decide`] makes, for tests and tools.
    pub fn is_origin_allowed(&self, origin: &[u8]) -> bool {
        self.check_origin(&Values::One(origin)).is_ok()
    }

    fn check_origin<'a>(&'a self, origins: &Values<'a>) -> OriginVerdict<'a> {
        let policy = self.policy();
        if policy.any_origin {
            // Never inspect the value: the answer must not depend on it (see module docs).
            return Ok((Reason::AnyOrigin, (b"*", Source::Static("*"))));
        }
        let origin = match origins.single() {
            Ok(Some(origin)) => origin,
            Ok(None) | Err(()) => return Err(Reason::MultipleOrigins),
        };
        if origin.len() > limits::MAX_ORIGIN_LEN {
            return Err(Reason::OriginTooLong { len: origin.len() });
        }
        if origin == b"null" {
            return Err(Reason::NullOrigin);
        }
        // A serialized origin is visible ASCII; anything else (non-UTF-8 included) is
        // not one, and is never echoed back.
        if origin.is_empty() || !origin.iter().all(|b| (0x21..=0x7e).contains(b)) {
            return Err(Reason::MalformedOrigin);
        }
        if policy
            .exact_origins
            .binary_search_by(|e| e.as_bytes().cmp(origin))
            .is_ok()
        {
            return Ok((Reason::ExactOrigin, (origin, Source::RequestOrigin)));
        }
        if let Some(entry) = self.match_pattern(origin) {
            return Ok((
                Reason::OriginPattern(entry),
                (origin, Source::RequestOrigin),
            ));
        }
        for (dfa, entry) in self.dfas.iter().zip(policy.regexes.iter()) {
            if dfa.full_match(origin) {
                return Ok((
                    Reason::OriginRegex(&entry.source),
                    (origin, Source::RequestOrigin),
                ));
            }
        }
        Err(Reason::OriginNotAllowed)
    }

    /// The `*.`/`:*` pattern matching `origin`, looked up by (scheme, host) for the
    /// host itself and then for each of its dot-suffixes.
    fn match_pattern(&self, origin: &[u8]) -> Option<&HostPatternEntry> {
        if self.policy().host_patterns.is_empty() {
            return None;
        }
        let (scheme, host, port) = split_origin(origin)?;
        let port_ok = |rule: PortPattern| match (rule, port) {
            (PortPattern::Any, _) => true,
            (PortPattern::Default, None) => true,
            (PortPattern::Exact(p), Some(q)) => p == q,
            _ => false,
        };
        if let Some(e) = self
            .entries(scheme, host)
            .iter()
            .find(|e| !e.subdomains && port_ok(e.port))
        {
            return Some(e);
        }
        if !is_dns_host(host) {
            return None;
        }
        // `is_dns_host` guarantees no leading dot and no empty label, so every prefix
        // before a dot is one or more whole labels.
        for (i, _) in host.iter().enumerate().filter(|(_, &b)| b == b'.') {
            let parent = &host[i + 1..];
            if let Some(e) = self
                .entries(scheme, parent)
                .iter()
                .find(|e| e.subdomains && port_ok(e.port))
            {
                return Some(e);
            }
        }
        None
    }

    /// The pattern entries for exactly this (scheme, host).
    fn entries(&self, scheme: &[u8], host: &[u8]) -> &[HostPatternEntry] {
        let table: &[HostPatternEntry] = &self.policy().host_patterns;
        let key =
            |e: &HostPatternEntry| (e.scheme.as_bytes(), e.host.as_bytes()).cmp(&(scheme, host));
        let lo = table.partition_point(|e| key(e) == Ordering::Less);
        let len = table[lo..].partition_point(|e| key(e) == Ordering::Equal);
        &table[lo..lo + len]
    }

    /// Checks `Access-Control-Request-Method`; returns the value to echo.
    fn check_request_method<'a>(&self, values: &Values<'a>) -> Result<&'a [u8], Reason<'a>> {
        let method = match values.single() {
            Ok(Some(m)) => m,
            Ok(None) | Err(()) => return Err(Reason::MultipleRequestMethods),
        };
        if method.len() > limits::MAX_METHOD_LEN {
            return Err(Reason::RequestMethodTooLong { len: method.len() });
        }
        if !is_token(method) {
            return Err(Reason::MalformedRequestMethod);
        }
        let policy = self.policy();
        // CORS-safelisted methods never need listing; the comparison is
        // case-sensitive, as Fetch only upper-cases the six standard methods itself.
        let allowed = matches!(method, b"GET" | b"HEAD" | b"POST")
            || policy.any_method
            || policy
                .methods
                .binary_search_by(|m| m.as_bytes().cmp(method))
                .is_ok();
        if allowed {
            Ok(method)
        } else {
            // A token is ASCII, so this never fails.
            Err(Reason::MethodNotAllowed(
                std::str::from_utf8(method).unwrap_or(""),
            ))
        }
    }

    /// Checks `Access-Control-Request-Headers`; returns its lines when it names at
    /// least one header (all allowed), `None` when it names none.
    fn check_request_headers<'a>(
        &self,
        values: &'a Values<'a>,
    ) -> Result<Option<&'a [&'a [u8]]>, Reason<'a>> {
        let lines = values.lines().ok_or(Reason::TooManyRequestHeaders)?;
        if lines.len() > limits::MAX_REQUEST_HEADER_LINES {
            return Err(Reason::TooManyRequestHeaders);
        }
        let total: usize = lines.iter().map(|l| l.len()).sum();
        if total > limits::MAX_REQUEST_HEADERS_LEN {
            return Err(Reason::RequestHeadersTooLong { len: total });
        }
        let policy = self.policy();
        let mut count = 0usize;
        for line in lines {
            for item in line.split(|&b| b == b',') {
                let item = trim_ows(item);
                if item.is_empty() {
                    continue;
                }
                count += 1;
                if count > limits::MAX_REQUEST_HEADER_ITEMS {
                    return Err(Reason::TooManyRequestHeaders);
                }
                if !is_token(item) {
                    return Err(Reason::MalformedRequestHeaders);
                }
                let listed = policy
                    .allow_headers
                    .binary_search_by(|h| cmp_lower(h.as_bytes(), item))
                    .is_ok();
                if listed {
                    continue;
                }
                if item.eq_ignore_ascii_case(b"authorization") {
                    // Fetch's one "CORS non-wildcard request-header name".
                    return Err(if policy.any_header {
                        Reason::AuthorizationNotCovered
                    } else {
                        Reason::HeaderNotAllowed(std::str::from_utf8(item).unwrap_or(""))
                    });
                }
                if !policy.any_header {
                    return Err(Reason::HeaderNotAllowed(
                        std::str::from_utf8(item).unwrap_or(""),
                    ));
                }
            }
        }
        Ok((count > 0).then_some(lines))
    }
}

/// Compares a lower-case stored name with a request name, ignoring the request's case.
fn cmp_lower(stored: &[u8], item: &[u8]) -> Ordering {
    stored
        .iter()
        .copied()
        .cmp(item.iter().map(u8::to_ascii_lowercase))
}

/// Whether the DFA matches the whole of `haystack` (anchored at both ends).
///
/// Stepping the DFA by hand to the end of input is exact whatever the regex's own
/// anchors; a dead or quit state ends the walk early with "no match".
fn full_match<A: Automaton>(dfa: &A, haystack: &[u8]) -> bool {
    let Ok(mut state) = dfa.start_state(&start::Config::new().anchored(Anchored::Yes)) else {
        return false;
    };
    for &b in haystack {
        state = dfa.next_state(state, b);
        if dfa.is_dead_state(state) || dfa.is_quit_state(state) {
            return false;
        }
    }
    dfa.is_match_state(dfa.next_eoi_state(state))
}

/// Splits a serialized origin into scheme, host and port (`None` = no port written).
/// Returns `None` when it is not `scheme://host[:port]` with a canonical port.
fn split_origin(origin: &[u8]) -> Option<(&[u8], &[u8], Option<u16>)> {
    let sep = origin.windows(3).position(|w| w == b"://")?;
    let (scheme, rest) = (&origin[..sep], &origin[sep + 3..]);
    if scheme.is_empty() {
        return None;
    }
    let (host, port) = if rest.first() == Some(&b'[') {
        // An IPv6 literal: `[...]`, then an optional `:port`.
        let close = rest.iter().position(|&b| b == b']')?;
        let (host, after) = rest.split_at(close + 1);
        match after {
            [] => (host, None),
            [b':', port @ ..] => (host, Some(port)),
            _ => return None,
        }
    } else {
        match rest.iter().position(|&b| b == b':') {
            Some(colon) => (&rest[..colon], Some(&rest[colon + 1..])),
            None => (rest, None),
        }
    };
    if host.is_empty() {
        return None;
    }
    let port = match port {
        None => None,
        Some(digits) => Some(canonical_port(scheme, digits)?),
    };
    Some((scheme, host, port))
}

/// The port, when `digits` is how a browser serializes it: 1 to 5 digits, no leading
/// zero, at most 65535, and not the scheme's default port (which is omitted).
fn canonical_port(scheme: &[u8], digits: &[u8]) -> Option<u16> {
    if digits.is_empty() || digits.len() > 5 || digits[0] == b'0' {
        return None;
    }
    let mut port: u32 = 0;
    for &d in digits {
        if !d.is_ascii_digit() {
            return None;
        }
        port = port * 10 + u32::from(d - b'0');
    }
    let port = u16::try_from(port).ok()?;
    (crate::table::default_port(scheme) != Some(port)).then_some(port)
}

/// Whether `host` is a plain DNS name a `*.` pattern may match: labels of `a-z`,
/// `0-9`, `-` and `_`, none empty (so no leading, trailing or doubled dot). Browsers
/// serialize hosts in lower case; anything else is not what a browser sends for a name
/// under the pattern's domain.
fn is_dns_host(host: &[u8]) -> bool {
    !host.is_empty()
        && host.split(|&b| b == b'.').all(|label| {
            !label.is_empty()
                && label.iter().all(|&b| {
                    b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_'
                })
        })
}

#[cfg(test)]
mod tests;
