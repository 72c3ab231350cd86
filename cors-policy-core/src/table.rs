//! The compiled form of a policy: static matcher tables.
//!
//! A [`Policy`] is plain data. The `cors_policy!` macro builds one as a constant
//! expression (every table borrowed from the binary, regex DFAs as aligned byte
//! strings), and `cors_policy_compiler::compile` builds the same tables at run time from a
//! validated policy (every table owned). The request-time engine reads both the same
//! way and never parses, allocates or compiles a regex.
//!
//! The fields are public only so that macro output can build a `Policy` in a `const`
//! context; they are `#[doc(hidden)]` and not part of the stable API. Their invariants
//! (sorted tables, canonical text, precomputed header values) are established by
//! `cors_policy_compiler::compile`, the only producer, whose output the macro copies verbatim.

use std::borrow::Cow;

/// Text in a table: borrowed from the binary (macro) or owned (run-time compile).
pub type Text = Cow<'static, str>;

/// A table: borrowed from the binary (macro) or owned (run-time compile).
pub type Table<T> = Cow<'static, [T]>;

/// A compiled CORS policy: everything the request-time decision needs, precomputed.
///
/// Build one with the `cors_policy!` macro (validated at compile time, usable in a
/// `static` or `const`) or at run time with `cors_policy::from_yaml`.
#[derive(Clone, Debug)]
pub struct Policy {
    #[doc(hidden)]
    pub name: Option<Text>,
    /// `origins: "*"`.
    #[doc(hidden)]
    pub any_origin: bool,
    /// Exact origins, canonical serialization, sorted bytewise.
    #[doc(hidden)]
    pub exact_origins: Table<Text>,
    /// `*.` and `:*` patterns, sorted by (scheme, host).
    #[doc(hidden)]
    pub host_patterns: Table<HostPatternEntry>,
    /// Regex origins, in the order written.
    #[doc(hidden)]
    pub regexes: Table<RegexEntry>,
    #[doc(hidden)]
    pub credentials: bool,
    /// `methods: "*"`.
    #[doc(hidden)]
    pub any_method: bool,
    /// Allowed methods (case kept), sorted.
    #[doc(hidden)]
    pub methods: Table<Text>,
    /// `allow_headers: "*"` (never covers `authorization`).
    #[doc(hidden)]
    pub any_header: bool,
    /// Allowed request headers, lower-case, sorted.
    #[doc(hidden)]
    pub allow_headers: Table<Text>,
    /// The `Access-Control-Allow-Headers` value of an allowed preflight that asked for
    /// headers: the listed names joined, or `*` (plus `, authorization` when listed)
    /// without credentials. `None` when nothing is listed, or for `*` with credentials,
    /// where the engine echoes the requested names instead.
    #[doc(hidden)]
    pub allow_headers_value: Option<Text>,
    /// The `Access-Control-Expose-Headers` value, if any.
    #[doc(hidden)]
    pub expose_headers: Option<Text>,
    /// The `Access-Control-Max-Age` value, if any.
    #[doc(hidden)]
    pub max_age: Option<Text>,
    #[doc(hidden)]
    pub allow_private_network: bool,
}

/// What a policy allows, read without touching its tables. (The fields are public only
/// for the macro's output; these accessors are the API.)
impl Policy {
    /// The policy's name under `policies:`, if it came from one.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// Whether `origins: "*"`: any origin, answered with `Access-Control-Allow-Origin: *`.
    pub fn allows_any_origin(&self) -> bool {
        self.any_origin
    }

    /// The exact origins, canonical, sorted bytewise.
    pub fn exact_origins(&self) -> impl Iterator<Item = &str> {
        self.exact_origins.iter().map(|o| o.as_ref())
    }

    /// The `*.` and `:*` origin patterns, sorted by scheme and host.
    pub fn origin_patterns(&self) -> &[HostPatternEntry] {
        &self.host_patterns
    }

    /// The regex origins as written, in the order written.
    pub fn origin_regexes(&self) -> impl Iterator<Item = &str> {
        self.regexes.iter().map(|r| r.source.as_ref())
    }

    /// Whether `credentials: true` (`Access-Control-Allow-Credentials: true`).
    pub fn credentials(&self) -> bool {
        self.credentials
    }

    /// Whether `methods: "*"`.
    pub fn allows_any_method(&self) -> bool {
        self.any_method
    }

    /// The methods listed (case kept), sorted; the safelisted `GET`, `HEAD` and `POST`
    /// are allowed whether listed or not.
    pub fn methods(&self) -> impl Iterator<Item = &str> {
        self.methods.iter().map(|m| m.as_ref())
    }

    /// Whether `allow_headers: "*"` (which never covers `authorization`).
    pub fn allows_any_header(&self) -> bool {
        self.any_header
    }

    /// The request headers listed, lower-case, sorted.
    pub fn allow_headers(&self) -> impl Iterator<Item = &str> {
        self.allow_headers.iter().map(|h| h.as_ref())
    }

    /// The `Access-Control-Expose-Headers` value an allowed actual request gets, if any.
    pub fn expose_headers(&self) -> Option<&str> {
        self.expose_headers.as_deref()
    }

    /// `max_age` in seconds, if set.
    pub fn max_age(&self) -> Option<u32> {
        self.max_age.as_deref().and_then(|s| s.parse().ok())
    }

    /// Whether Private Network Access preflights are answered.
    pub fn allows_private_network(&self) -> bool {
        self.allow_private_network
    }
}

/// One `*.` or `:*` origin pattern.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct HostPatternEntry {
    /// Lower-case scheme.
    pub scheme: Text,
    /// The exact host, or the parent domain when `subdomains` is set.
    pub host: Text,
    /// Whether this matches one or more labels before `host` (and never `host` itself).
    pub subdomains: bool,
    /// The port rule.
    pub port: PortPattern,
}

/// One regex origin: its source (for messages) and its serialized dense DFA.
#[derive(Clone, Debug)]
pub struct RegexEntry {
    /// The regex as written.
    pub source: Text,
    /// The DFA, serialized in this target's endianness.
    pub dfa: DfaBytes,
}

/// The bytes of a serialized regex-automata dense DFA, aligned to 4 bytes.
///
/// Cloning an `Owned` value re-aligns the copy: a fresh allocation may sit at another
/// address modulo 4 than the original, and `DFA::from_bytes` rejects unaligned input.
#[derive(Debug)]
pub enum DfaBytes {
    /// Embedded in the binary by the macro (aligned by the macro's wrapper).
    Static(&'static [u8]),
    /// Serialized at run time: the DFA starts at `bytes[start..]`, which is aligned.
    Owned {
        /// The buffer, with leading padding.
        bytes: Vec<u8>,
        /// Where the aligned DFA starts.
        start: usize,
    },
}

impl DfaBytes {
    /// Copies serialized DFA bytes into a new buffer, padded so that they start at an
    /// address aligned to 4 bytes (what `DFA::from_bytes` requires).
    pub fn aligned_copy(dfa: &[u8]) -> DfaBytes {
        const ALIGN: usize = 4;
        let mut bytes = vec![0u8; dfa.len() + ALIGN - 1];
        let addr = bytes.as_ptr() as usize;
        let start = (ALIGN - addr % ALIGN) % ALIGN;
        bytes[start..start + dfa.len()].copy_from_slice(dfa);
        bytes.truncate(start + dfa.len());
        DfaBytes::Owned { bytes, start }
    }

    /// The aligned serialized DFA.
    pub fn as_bytes(&self) -> &[u8] {
        match self {
            DfaBytes::Static(b) => b,
            DfaBytes::Owned { bytes, start } => &bytes[*start..],
        }
    }
}

impl Clone for DfaBytes {
    fn clone(&self) -> Self {
        match self {
            DfaBytes::Static(b) => DfaBytes::Static(b),
            DfaBytes::Owned { .. } => DfaBytes::aligned_copy(self.as_bytes()),
        }
    }
}

/// The port part of an origin pattern.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PortPattern {
    /// No port written: the scheme's default port (the browser omits it).
    Default,
    /// Exactly this (non-default) port.
    Exact(u16),
    /// `:*`: any port, including none.
    Any,
}

/// The default port of a special scheme (URL Standard), which browsers omit from a
/// serialized origin: `https://a.com:443` is never sent, `https://a.com` is.
pub fn default_port(scheme: &[u8]) -> Option<u16> {
    match scheme {
        b"http" | b"ws" => Some(80),
        b"https" | b"wss" => Some(443),
        b"ftp" => Some(21),
        _ => None,
    }
}
