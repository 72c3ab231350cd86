//! A policy as written, before validation: what every front end produces.
//!
//! The YAML loader and the `cors_policy!` macro both turn their input into a
//! [`RawPolicy`], keeping a span on every value, and leave every semantic check to
//! [`crate::validate`]. Front ends only report what they alone can see: YAML syntax,
//! values of the wrong type (`invalid-value`) and unknown keys (`unknown-key`, via
//! [`unknown_key`]).

use crate::diagnostic::{Code, Diagnostics};

/// A value with the span of the source it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Spanned<T, S> {
    /// The value.
    pub value: T,
    /// Where it was written.
    pub span: S,
}

impl<T, S> Spanned<T, S> {
    /// Pairs a value with its span.
    pub fn new(value: T, span: S) -> Self {
        Spanned { value, span }
    }
}

/// A list value that may also be the wildcard string `"*"`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RawList<T, S> {
    /// The whole value is the string `"*"` (its span).
    Wildcard(S),
    /// A list. A `"*"` item inside it is kept as an item; the validator decides.
    Items(Vec<T>),
}

/// One entry of `origins`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RawOrigin<S> {
    /// A string: an exact origin, a `*.`/`:*` pattern, or `*`.
    Text(Spanned<String, S>),
    /// `regex: '...'` (YAML) or `regex("...")` (macro).
    Regex(Spanned<String, S>),
}

impl<S: Copy> RawOrigin<S> {
    /// The span of the entry.
    pub fn span(&self) -> S {
        match self {
            RawOrigin::Text(t) | RawOrigin::Regex(t) => t.span,
        }
    }
}

/// A list of names (methods or headers) as written.
pub type RawNames<S> = RawList<Spanned<String, S>, S>;

/// One policy as written. `None` means the key was absent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawPolicy<S> {
    /// The name under `policies:`, if the file holds several.
    pub name: Option<Spanned<String, S>>,
    /// The span of the whole policy (its mapping, or the macro input); used for
    /// findings about a missing key.
    pub span: S,
    /// `origins`.
    pub origins: Option<Spanned<RawList<RawOrigin<S>, S>, S>>,
    /// `credentials`.
    pub credentials: Option<Spanned<bool, S>>,
    /// `methods`.
    pub methods: Option<Spanned<RawNames<S>, S>>,
    /// `allow_headers`.
    pub allow_headers: Option<Spanned<RawNames<S>, S>>,
    /// `expose_headers`.
    pub expose_headers: Option<Spanned<RawNames<S>, S>>,
    /// `max_age` in seconds. Front ends report numbers that do not fit an `i64` as
    /// `max-age-out-of-range` themselves.
    pub max_age: Option<Spanned<i64, S>>,
    /// `allow_private_network`.
    pub allow_private_network: Option<Spanned<bool, S>>,
    /// `dangerously_allow_insecure_origins`.
    pub dangerously_allow_insecure_origins: Option<Spanned<bool, S>>,
    /// `dangerously_allow_public_suffix_wildcards`.
    pub dangerously_allow_public_suffix_wildcards: Option<Spanned<bool, S>>,
    /// Keys present in the input whose value the front end rejected (and reported):
    /// the validator must not report them missing as well.
    pub rejected_keys: Vec<&'static str>,
}

impl<S> RawPolicy<S> {
    /// A policy with no keys set, spanning `span`.
    pub fn empty(span: S) -> Self {
        RawPolicy {
            name: None,
            span,
            origins: None,
            credentials: None,
            methods: None,
            allow_headers: None,
            expose_headers: None,
            max_age: None,
            allow_private_network: None,
            dangerously_allow_insecure_origins: None,
            dangerously_allow_public_suffix_wildcards: None,
            rejected_keys: Vec::new(),
        }
    }
}

/// The keys of one policy, in the order of the spec.
pub const POLICY_KEYS: &[&str] = &[
    "origins",
    "credentials",
    "methods",
    "allow_headers",
    "expose_headers",
    "max_age",
    "allow_private_network",
    "dangerously_allow_insecure_origins",
    "dangerously_allow_public_suffix_wildcards",
];

/// The closest of `candidates` to `word`, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (strsim::jaro_winkler(word, c), *c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// Reports `unknown-key` for `key`, with a "did you mean" among `candidates`.
///
/// Why: a misspelt key (`credential: true`) silently ignored would leave the policy
/// doing something else than the author believes.
pub fn unknown_key<S>(diags: &mut Diagnostics<S>, key: &str, span: S, candidates: &[&str]) {
    let help = match did_you_mean(key, candidates) {
        Some(best) => format!("did you mean `{best}`?"),
        None => format!("the keys are: {}", candidates.join(", ")),
    };
    diags.error(Code::UnknownKey, span, format!("unknown key `{key}`"), help);
}
