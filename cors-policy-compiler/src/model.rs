//! A validated policy in typed, canonical form: what [`crate::validate`] produces and
//! what the compiler (static tables) and every other consumer of a checked policy read.
//!
//! Every origin has been parsed once into scheme, host and port; every name has passed
//! its token and forbidden-name checks; nothing here can be wrong any more.

use regex_automata::dfa::dense;

/// The scheme, host and port of a configured origin, or a pattern of them.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OriginPattern {
    /// Lower-case scheme, e.g. `https`.
    pub scheme: String,
    /// The host part.
    pub host: HostPattern,
    /// The port part.
    pub port: PortPattern,
}

/// The host part of an origin pattern.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum HostPattern {
    /// Exactly this host (canonical: lower-case, punycode, canonical IP).
    Exact(String),
    /// One or more DNS labels before this domain (`*.example.com` holds `example.com`),
    /// never the domain itself.
    Subdomains(String),
}

pub use crate::table::PortPattern;

impl OriginPattern {
    /// Whether this pattern has no wildcard: it matches exactly one serialized origin.
    pub fn is_exact(&self) -> bool {
        matches!(self.host, HostPattern::Exact(_)) && self.port != PortPattern::Any
    }

    /// The pattern as it would be written in a policy (`https://*.example.com:*`).
    pub fn to_policy_string(&self) -> String {
        let host = match &self.host {
            HostPattern::Exact(h) => h.clone(),
            HostPattern::Subdomains(h) => format!("*.{h}"),
        };
        match self.port {
            PortPattern::Default => format!("{}://{host}", self.scheme),
            PortPattern::Exact(p) => format!("{}://{host}:{p}", self.scheme),
            PortPattern::Any => format!("{}://{host}:*", self.scheme),
        }
    }

    /// Whether this pattern matches the origin `other` (an exact pattern).
    pub fn covers(&self, other: &OriginPattern) -> bool {
        if self.scheme != other.scheme {
            return false;
        }
        let HostPattern::Exact(other_host) = &other.host else {
            return false;
        };
        let host_ok = match &self.host {
            HostPattern::Exact(h) => h == other_host,
            HostPattern::Subdomains(parent) => other_host
                .strip_suffix(parent.as_str())
                .is_some_and(|prefix| prefix.len() > 1 && prefix.ends_with('.')),
        };
        let port_ok = match self.port {
            PortPattern::Any => true,
            p => p == other.port,
        };
        host_ok && port_ok
    }
}

/// A validated regex origin: its source and its DFA (anchored, whole-origin match).
#[derive(Clone, Debug)]
pub struct RegexOrigin {
    /// The regex as written.
    pub source: String,
    /// The compiled DFA, matching the whole origin.
    pub dfa: dense::DFA<Vec<u32>>,
}

/// Which origins a policy allows.
#[derive(Clone, Debug)]
pub enum OriginSet {
    /// `"*"`: any origin (never with credentials).
    Any,
    /// An allowlist.
    List {
        /// Exact origins and `*.`/`:*` patterns, in the order written.
        patterns: Vec<OriginPattern>,
        /// Regexes, in the order written.
        regexes: Vec<RegexOrigin>,
    },
}

/// A set of names that may be the wildcard `*`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NameSet {
    /// `*` was given.
    pub any: bool,
    /// The names listed (beside `*`, if any). Methods keep their case; header
    /// names are lower-cased.
    pub names: Vec<String>,
}

impl NameSet {
    /// Whether the set holds `name` (methods: case-sensitive; headers are stored and
    /// must be asked lower-case).
    pub fn contains(&self, name: &str) -> bool {
        self.names.iter().any(|n| n == name)
    }
}

/// A policy that passed validation.
#[derive(Clone, Debug)]
pub struct ValidPolicy {
    /// The name under `policies:`, if any.
    pub name: Option<String>,
    /// Allowed origins.
    pub origins: OriginSet,
    /// `Access-Control-Allow-Credentials: true`.
    pub credentials: bool,
    /// Allowed methods beyond the safelisted ones.
    pub methods: NameSet,
    /// Allowed request headers (lower-case). `any` never covers `authorization`.
    pub allow_headers: NameSet,
    /// Exposed response headers (lower-case).
    pub expose_headers: NameSet,
    /// `Access-Control-Max-Age`, if set.
    pub max_age: Option<u32>,
    /// Answer Private Network Access preflights.
    pub allow_private_network: bool,
}
