//! What a new version of a policy grants that the old one did not, and what it revokes.
//!
//! This answers a reviewer's question about a change to a policy: who can now read this
//! API (with the user's cookies?) that could not before? Every field is compared by what
//! it lets a browser do, not by how it is written:
//!
//! - **origins** are compared as languages: exact origins, `*.` and `:*` patterns and
//!   regexes all become DFAs (the regex-proof machinery of this crate), and each entry
//!   of one side is searched for origins the other side does not accept. Every
//!   difference is shown with example origins, shortest first. Only origins a browser
//!   can send are compared: `scheme://host[:port]` in canonical form (lower case, no
//!   default port, no leading zero in the port, canonical IPv4), so `https://*.example.com` and a regex
//!   accepting the same hosts report no difference;
//! - **credentials** and **private network** access turned on widen, off narrow;
//! - **methods** and **headers**: the names one side allows and the other does not,
//!   with `*` meaning any (never `authorization` for `allow_headers`) and the
//!   CORS-safelisted names, which need no listing, left out;
//! - **max age**: a longer preflight cache widens (a revocation takes longer to reach
//!   browsers); an omitted header counts as Fetch's default of 5 seconds.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::fmt;

use crate::model::{
    HostPattern, NameSet, OriginPattern, OriginSet, PortPattern, RegexOrigin, ValidPolicy,
};
use crate::regex_proof::automaton::{accepts, shortest, Dfa, Factor, ORIGIN_BYTES};
use crate::regex_proof::{build_dfa, build_union_dfa, shapes, Budget};
use crate::validate::{
    SAFELISTED_METHODS, SAFELISTED_REQUEST_HEADERS, SAFELISTED_RESPONSE_HEADERS,
};

/// Example origins shown for one entry's difference.
const EXAMPLES: usize = 3;
/// Searches that may find an origin of the other side's exact list (when that list is
/// too long for a DFA) before an entry is reported as not compared.
const SET_ASIDE: usize = 64;
/// Steps (as [`Budget`] counts them) the origin searches of one policy's diff may
/// take; past it, the entries left are reported as possibly widened or narrowed. Ten
/// times what validating a file's regexes may take: a diff is run by hand, on demand.
const DIFF_BUDGET: u64 = 10 * crate::regex_proof::POLICY_BUDGET;
/// What Fetch assumes when `Access-Control-Max-Age` is absent.
const DEFAULT_MAX_AGE: u32 = 5;

/// A field of a policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    /// `origins`.
    Origins,
    /// `credentials`.
    Credentials,
    /// `methods`.
    Methods,
    /// `allow_headers`.
    AllowHeaders,
    /// `expose_headers`.
    ExposeHeaders,
    /// `max_age`.
    MaxAge,
    /// `allow_private_network`.
    PrivateNetwork,
}

impl Field {
    /// The key as written in a policy.
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Origins => "origins",
            Field::Credentials => "credentials",
            Field::Methods => "methods",
            Field::AllowHeaders => "allow_headers",
            Field::ExposeHeaders => "expose_headers",
            Field::MaxAge => "max_age",
            Field::PrivateNetwork => "allow_private_network",
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One thing that changed in one direction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// The field.
    pub field: Field,
    /// What changed, in one line: `now also allows`, `regex ^https://...$ now allows`.
    pub summary: String,
    /// What it concerns: example origins, names, or nothing.
    pub items: Vec<String>,
    /// For origins, the entry that makes the difference (`https://*.example.com`,
    /// `regex ^https://...$`), when it is not an exact origin.
    pub via: Option<String>,
}

/// The difference between two versions of one policy.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PolicyDiff {
    /// What the new version grants that the old one did not.
    pub widened: Vec<Change>,
    /// What the old version granted that the new one does not.
    pub narrowed: Vec<Change>,
}

impl PolicyDiff {
    /// Whether the two versions grant exactly the same.
    pub fn is_empty(&self) -> bool {
        self.widened.is_empty() && self.narrowed.is_empty()
    }
}

/// Compares two validated policies.
pub fn diff(old: &ValidPolicy, new: &ValidPolicy) -> PolicyDiff {
    let mut out = PolicyDiff::default();
    let mut budget = Budget::new(DIFF_BUDGET);
    let (widened, narrowed) = origins(&old.origins, &new.origins, &mut budget);
    out.widened.extend(widened);
    out.narrowed.extend(narrowed);
    flag(
        &mut out,
        Field::Credentials,
        old.credentials,
        new.credentials,
        "pages of the allowed origins read responses to requests made with the user's cookies",
    );
    names(
        &mut out,
        Field::Methods,
        &old.methods,
        &new.methods,
        |set, m| set.any || set.contains(m) || SAFELISTED_METHODS.contains(&m),
        "any method",
    );
    names(
        &mut out,
        Field::AllowHeaders,
        &old.allow_headers,
        &new.allow_headers,
        |set, h| {
            (set.any && h != "authorization")
                || set.contains(h)
                || SAFELISTED_REQUEST_HEADERS.contains(&h)
        },
        "any request header (but authorization)",
    );
    names(
        &mut out,
        Field::ExposeHeaders,
        &old.expose_headers,
        &new.expose_headers,
        |set, h| set.any || set.contains(h) || SAFELISTED_RESPONSE_HEADERS.contains(&h),
        "every response header",
    );
    max_age(&mut out, old.max_age, new.max_age);
    flag(
        &mut out,
        Field::PrivateNetwork,
        old.allow_private_network,
        new.allow_private_network,
        "pages of the allowed origins reach this service on the user's private network",
    );
    out
}

/// A boolean field whose `true` grants more: what turning it on grants.
fn flag(out: &mut PolicyDiff, field: Field, old: bool, new: bool, grants: &str) {
    match (old, new) {
        (false, true) => out.widened.push(Change {
            field,
            summary: format!("now true: {grants}"),
            items: Vec::new(),
            via: None,
        }),
        (true, false) => out.narrowed.push(Change {
            field,
            summary: format!("now false: no longer {grants}"),
            items: Vec::new(),
            via: None,
        }),
        _ => {}
    }
}

/// A list of names; `allows(set, name)` says whether a side allows `name` (for `*`,
/// the safelisted names and `authorization`'s exception).
fn names(
    out: &mut PolicyDiff,
    field: Field,
    old: &NameSet,
    new: &NameSet,
    allows: impl Fn(&NameSet, &str) -> bool,
    any: &str,
) {
    for (from, to, changes, verb) in [
        (old, new, &mut out.widened, "now also allows"),
        (new, old, &mut out.narrowed, "no longer allows"),
    ] {
        if to.any && !from.any {
            changes.push(Change {
                field,
                summary: format!("{verb} {any} (\"*\")"),
                items: Vec::new(),
                via: None,
            });
        }
        let gained: Vec<String> = to
            .names
            .iter()
            .filter(|n| !allows(from, n))
            .cloned()
            .collect();
        if !gained.is_empty() {
            changes.push(Change {
                field,
                summary: verb.to_owned(),
                items: gained,
                via: None,
            });
        }
    }
}

fn max_age(out: &mut PolicyDiff, old: Option<u32>, new: Option<u32>) {
    let seconds = |m: Option<u32>| m.unwrap_or(DEFAULT_MAX_AGE);
    let show = |m: Option<u32>| match m {
        Some(s) => format!("{s} seconds"),
        None => format!("omitted ({DEFAULT_MAX_AGE} seconds)"),
    };
    let summary = format!("{} -> {}", show(old), show(new));
    if seconds(new) > seconds(old) {
        out.widened.push(Change {
            field: Field::MaxAge,
            summary: format!("{summary}: browsers keep a preflight answer longer"),
            items: Vec::new(),
            via: None,
        });
    } else if seconds(new) < seconds(old) {
        out.narrowed.push(Change {
            field: Field::MaxAge,
            summary: format!("{summary}: browsers keep a preflight answer for less time"),
            items: Vec::new(),
            via: None,
        });
    }
}

/// One entry of an origin list, as a language.
struct Entry<'a> {
    /// As written: `https://*.example.com`, `regex ^https://...$`.
    written: String,
    /// What it matches: one origin, or the origins of a DFA.
    language: Language<'a>,
}

enum Language<'a> {
    /// An exact origin: membership needs no automaton.
    Exact(String),
    /// A pattern's DFA (built here), or a regex's (built by the validator).
    Dfa(Box<Cow<'a, Dfa>>),
    /// A pattern whose DFA could not be built (over the size limits).
    TooLarge,
}

/// The origins one side allows: its entries; its exact origins as a set (and as a DFA
/// when one fits the size limits: thousands of origins may not); and one DFA of its
/// patterns and regexes together.
struct Origins<'a> {
    entries: Vec<Entry<'a>>,
    exact: BTreeSet<String>,
    exact_dfa: Option<Dfa>,
    /// `None` when there is no pattern or regex.
    wild: Option<Dfa>,
    /// The union of the patterns and regexes was over the size limits.
    too_large: bool,
}

impl<'a> Origins<'a> {
    fn of(patterns: &'a [OriginPattern], regexes: &'a [RegexOrigin]) -> Origins<'a> {
        let mut entries = Vec::new();
        let mut exact = BTreeSet::new();
        let mut wild: Vec<String> = Vec::new();
        for p in patterns {
            let written = p.to_policy_string();
            let language = if p.is_exact() {
                exact.insert(written.clone());
                Language::Exact(written.clone())
            } else {
                wild.push(pattern_regex(p));
                match build_dfa(&pattern_regex(p)) {
                    Ok(dfa) => Language::Dfa(Box::new(Cow::Owned(dfa))),
                    Err(_) => Language::TooLarge,
                }
            };
            entries.push(Entry { written, language });
        }
        for r in regexes {
            wild.push(r.source.clone());
            entries.push(Entry {
                written: format!("regex {}", r.source),
                language: Language::Dfa(Box::new(Cow::Borrowed(&r.dfa))),
            });
        }
        let literals: Vec<String> = exact.iter().map(|o| regex_syntax::escape(o)).collect();
        let exact_dfa = (!literals.is_empty())
            .then(|| build_union_dfa(&literals).ok())
            .flatten();
        let (wild, too_large) = match build_union_dfa(&wild) {
            _ if wild.is_empty() => (None, false),
            Ok(dfa) => (Some(dfa), false),
            Err(_) => (None, true),
        };
        Origins {
            entries,
            exact,
            exact_dfa,
            wild,
            too_large,
        }
    }

    /// Whether this side allows `origin`; `None` when that cannot be decided.
    fn accepts(&self, origin: &str) -> Option<bool> {
        if self.exact.contains(origin) {
            return Some(true);
        }
        match &self.wild {
            _ if self.too_large => None,
            Some(dfa) => Some(accepts(dfa, origin.as_bytes())),
            None => Some(false),
        }
    }
}

/// The regex of the origins a `*.`/`:*` pattern or exact origin matches, as the engine
/// matches them: `*.` is one or more DNS labels (`[a-z0-9_-]+`) before the domain.
fn pattern_regex(p: &OriginPattern) -> String {
    let host = match &p.host {
        HostPattern::Exact(h) => regex_syntax::escape(h),
        HostPattern::Subdomains(h) => {
            format!(r"(?:[a-z0-9_\-]+\.)+{}", regex_syntax::escape(h))
        }
    };
    let port = match p.port {
        PortPattern::Default => String::new(),
        PortPattern::Exact(n) => format!(":{n}"),
        PortPattern::Any => "(?::[0-9]+)?".to_owned(),
    };
    format!("{}://{host}{port}", regex_syntax::escape(&p.scheme))
}

/// The origin changes between two origin sets: (widened, narrowed).
fn origins(old: &OriginSet, new: &OriginSet, budget: &mut Budget) -> (Vec<Change>, Vec<Change>) {
    let every = |verb: &str| Change {
        field: Field::Origins,
        summary: format!("{verb} every origin (\"*\")"),
        items: Vec::new(),
        via: None,
    };
    match (old, new) {
        (OriginSet::Any, OriginSet::Any) => (Vec::new(), Vec::new()),
        (OriginSet::List { .. }, OriginSet::Any) => (vec![every("now allows")], Vec::new()),
        (OriginSet::Any, OriginSet::List { .. }) => (Vec::new(), vec![every("no longer allows")]),
        (
            OriginSet::List {
                patterns: old_patterns,
                regexes: old_regexes,
            },
            OriginSet::List {
                patterns: new_patterns,
                regexes: new_regexes,
            },
        ) => {
            let old = Origins::of(old_patterns, old_regexes);
            let new = Origins::of(new_patterns, new_regexes);
            (
                gained(&old, &new, "now also allows", budget),
                gained(&new, &old, "no longer allows", budget),
            )
        }
    }
}

/// For each entry of `to`, the origins it accepts that `from` does not.
fn gained(from: &Origins<'_>, to: &Origins<'_>, verb: &str, budget: &mut Budget) -> Vec<Change> {
    let mut changes = Vec::new();
    for entry in &to.entries {
        let found = match &entry.language {
            Language::Exact(origin) => match from.accepts(origin) {
                Some(true) => Ok(Vec::new()),
                Some(false) => Ok(vec![origin.clone()]),
                None => Err(TooComplex),
            },
            Language::Dfa(dfa) => examples(dfa, from, budget),
            Language::TooLarge => Err(TooComplex),
        };
        match found {
            Ok(found) if found.is_empty() => {}
            Ok(found) => changes.push(Change {
                field: Field::Origins,
                summary: verb.to_owned(),
                items: found,
                via: match entry.language {
                    Language::Exact(_) => None,
                    _ => Some(entry.written.clone()),
                },
            }),
            // Fail safe: an entry that could not be compared is reported as changed.
            Err(TooComplex) => changes.push(Change {
                field: Field::Origins,
                summary: format!("{verb} possibly more (too complex to compare exactly)"),
                items: Vec::new(),
                via: Some(entry.written.clone()),
            }),
        }
    }
    changes
}

/// The diff's budget ran out, or a DFA was over the size limits.
struct TooComplex;

/// Up to [`EXAMPLES`] canonical origins `dfa` accepts and `other` does not, shortest
/// first. When `other`'s exact origins have no DFA (too many), each example found
/// among them is set aside and the search runs again, a bounded number of times.
fn examples(
    dfa: &Dfa,
    other: &Origins<'_>,
    budget: &mut Budget,
) -> Result<Vec<String>, TooComplex> {
    if other.too_large {
        return Err(TooComplex);
    }
    let mut found: Vec<String> = Vec::new();
    let mut excluded: Vec<String> = Vec::new();
    let mut seen: Option<Dfa> = None;
    for _ in 0..EXAMPLES + SET_ASIDE {
        // At most 6 factors (the product's limit): the entry, the 2 of the origins
        // browsers send, and the other side's 3.
        let mut factors = vec![Factor::is(dfa)];
        factors.extend(shapes::origin());
        factors.extend(other.wild.as_ref().map(Factor::not));
        factors.extend(other.exact_dfa.as_ref().map(Factor::not));
        factors.extend(seen.as_ref().map(Factor::not));
        match shortest(&factors, ORIGIN_BYTES, budget) {
            Ok(Some(bytes)) => {
                let origin = String::from_utf8_lossy(&bytes).into_owned();
                if !other.exact.contains(&origin) {
                    found.push(origin.clone());
                }
                excluded.push(origin);
                if found.len() == EXAMPLES {
                    return Ok(found);
                }
                let literals: Vec<String> =
                    excluded.iter().map(|o| regex_syntax::escape(o)).collect();
                seen = Some(build_union_dfa(&literals).map_err(|_| TooComplex)?);
            }
            Ok(None) => return Ok(found),
            Err(_) if found.is_empty() => return Err(TooComplex),
            Err(_) => return Ok(found),
        }
    }
    if found.is_empty() {
        Err(TooComplex)
    } else {
        Ok(found)
    }
}
