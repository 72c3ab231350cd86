//! The YAML front end: text -> [`RawPolicy`]s with a [`Location`] on every value.
//!
//! # Two parsers, one data model
//!
//! `serde_yaml` (0.9, libyaml underneath) is the loader of record: it decides whether
//! the text is YAML at all (its error and position become `yaml-syntax`) and what each
//! scalar is (`true` a boolean, `600` an integer, `10m` a string, YAML 1.2 core schema).
//! It gives no position for values, so the same text is read a second time with
//! `saphyr-parser`, whose events carry a span, into a tree of locations
//! (`spans::SNode`). The policy walk then goes down both trees in parallel: mappings
//! are compared entry by entry in the order written (we load into our own `typed::Typed`
//! tree, which keeps that order and duplicate keys), sequences item by item.
//!
//! Why not one parser: serde_yaml alone has no value positions; saphyr alone would make
//! us re-implement YAML's scalar typing, the part most likely to differ subtly from what
//! the rest of the Rust ecosystem (and the design card) calls YAML.
//!
//! Failing safe when the two disagree:
//! - serde_yaml rejects the text: one `yaml-syntax` at serde_yaml's position;
//! - serde_yaml accepts it but saphyr does not: one `yaml-syntax` at saphyr's position
//!   (a file one mainstream parser rejects is not a portable policy file);
//! - the trees differ in shape at some node (never seen; e.g. an alias, which saphyr
//!   reports as one event): the node and everything under it get the location of the
//!   nearest node both trees agree on. Never a panic.
//!
//! See also `docs/yaml-positions.md`.
//!
//! # What the front end reports
//!
//! Only what it alone can see: `yaml-syntax` (including duplicate keys and several
//! documents), `invalid-value` (wrong type or shape), `unknown-key`, and
//! `max-age-out-of-range` for a `max_age` that does not fit an `i64`. Every semantic
//! rule belongs to [`crate::validate`]. After an error in one key the others are still
//! read, so every finding of a file is reported at once.
//!
//! # Spans given to the validator
//!
//! - every value, list item and `regex:` string: the value as written (quotes included);
//! - `RawList::Wildcard` and the `Spanned` around a whole list: the `"*"` or the list
//!   (`[` of a flow list, the first `-` of a block list);
//! - [`RawPolicy::span`] (used for a missing key such as `origins`): for a top-level
//!   policy, its mapping (the first key's line); for a named policy, its name under
//!   `policies:`;
//! - [`RawPolicy::name`]: the name key.

mod spans;
mod typed;

use crate::diagnostic::{Code, Diagnostics, Location, Severity};
use crate::raw::{self, RawList, RawNames, RawOrigin, RawPolicy, Spanned, POLICY_KEYS};

use spans::{Lines, SKind, SNode};
use typed::{quote_short, Loaded, Typed};

/// The policies of one YAML file, as written.
#[derive(Debug)]
pub struct ParsedFile {
    /// One policy for a single-policy file; the named ones of a `policies:` file.
    pub policies: Vec<RawPolicy<Location>>,
    /// Whether the file used `policies:`.
    pub multi: bool,
    /// `has_errors[i]`: whether the front end reported an error inside `policies[i]`, or
    /// about the file as a whole. Such a policy must never be used, even when the
    /// validator finds nothing: a value of the wrong type was left out of it (a
    /// `credentials: "yes"` would otherwise silently become no credentials).
    pub has_errors: Vec<bool>,
}

/// Parses a policy file, reporting syntax errors, type errors and unknown keys.
///
/// Never panics, whatever the input.
pub fn parse(text: &str, diags: &mut Diagnostics<Location>) -> ParsedFile {
    let mut out = ParsedFile {
        policies: Vec::new(),
        multi: false,
        has_errors: Vec::new(),
    };
    let lines = Lines::new(text);
    let scanned = spans::scan(text, &lines);
    let start = Location::at(1, 1);
    let (first, more) = match typed::load(text) {
        Loaded::Err { message, at } => {
            // libyaml checks the whole input for control characters before it reads any
            // token, and reports them at its start: find the culprit ourselves.
            if let Some((loc, c)) =
                first_unprintable(text).filter(|_| message.contains("control characters"))
            {
                diags.error(
                    Code::YamlSyntax,
                    loc,
                    format!(
                        "invalid YAML: control character U+{:04X} is not allowed in a YAML file",
                        u32::from(c)
                    ),
                    "remove it; is this really a YAML policy file?",
                );
                return out;
            }
            let loc = at
                .map(|(line, column)| {
                    let at = Location::at(line.max(1), column.max(1));
                    // An error on an empty line or past the end (an unclosed `[`, `{` or
                    // quote) is better shown where the unclosed construct starts.
                    if lines.is_blank(at.line) {
                        context_position(&message).unwrap_or(at)
                    } else {
                        at
                    }
                })
                .or(scanned.error.as_ref().map(|e| e.0))
                .unwrap_or(start);
            let help = if message.contains("limit exceeded") {
                // serde_yaml's guards against alias bombs and deep nesting.
                "simplify the file: a policy needs no aliases or nesting this deep"
            } else {
                "fix the YAML syntax here (indent with spaces, close every bracket and quote)"
            };
            diags.error(
                Code::YamlSyntax,
                loc,
                format!("invalid YAML: {message}"),
                help,
            );
            return out;
        }
        Loaded::Ok { first, more } => (first, more),
    };
    if let (None, Some((loc, message))) = (&scanned.root, &scanned.error) {
        // serde_yaml accepted what saphyr rejects: fail safe, at saphyr's position.
        diags.error(
            Code::YamlSyntax,
            *loc,
            format!("invalid YAML: {message}"),
            "fix the YAML syntax here (indent with spaces, close every bracket and quote)",
        );
        return out;
    }
    let several = more || scanned.second_doc.is_some();
    if several {
        // Why: a second document would be silently ignored by most loaders.
        diags.error(
            Code::YamlSyntax,
            scanned.second_doc.unwrap_or(start),
            "the file holds more than one YAML document (`---`); a policy file holds one",
            "remove the second document, or name several policies under `policies:` in one document",
        );
    }
    let root = match first {
        Some(Typed::Null) | None => {
            diags.error(
                Code::InvalidValue,
                start,
                "the file is empty: it defines no policy",
                "write at least `origins: [https://app.example.com]`",
            );
            return out;
        }
        Some(root) => root,
    };
    let view = View::new(&root, scanned.root.as_ref(), start);
    file(view, diags, &mut out);
    if several {
        out.has_errors.iter_mut().for_each(|e| *e = true);
    }
    out
}

/// The position libyaml gives for the construct being read when it failed: the last
/// `at line L column C` of its message (`..., while parsing a flow sequence at line 1
/// column 10`).
fn context_position(message: &str) -> Option<Location> {
    let rest = &message[message.rfind(" at line ")? + " at line ".len()..];
    let (line, rest) = rest.split_once(" column ")?;
    let column: String = rest.chars().take_while(char::is_ascii_digit).collect();
    Some(Location::at(
        line.parse().ok().filter(|l| *l >= 1)?,
        column.parse().ok().filter(|c| *c >= 1)?,
    ))
}

/// The location of the first character YAML does not allow in a file (YAML 1.2
/// §5.1: everything but tab, line breaks, printable ASCII and most of Unicode).
fn first_unprintable(text: &str) -> Option<(Location, char)> {
    let allowed = |c: char| {
        matches!(c, '\t' | '\n' | '\r' | ' '..='~' | '\u{85}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}')
            || c >= '\u{10000}'
    };
    let (line, text) = text
        .split('\n')
        .enumerate()
        .find(|(_, l)| !l.chars().all(allowed))?;
    let (column, c) = text.chars().enumerate().find(|(_, c)| !allowed(*c))?;
    Some((Location::at(line + 1, column + 1), c))
}

/// A node seen through both trees: its type (serde_yaml) and location (saphyr).
#[derive(Clone, Copy)]
struct View<'a> {
    t: &'a Typed,
    s: Option<&'a SNode>,
    loc: Location,
}

impl<'a> View<'a> {
    fn new(t: &'a Typed, s: Option<&'a SNode>, fallback: Location) -> Self {
        View {
            t,
            s,
            loc: s.map_or(fallback, |s| s.loc),
        }
    }

    /// The entries of a mapping, each with its location (or this node's, when the two
    /// trees disagree on the mapping).
    fn entries(self) -> Vec<(View<'a>, View<'a>)> {
        let Typed::Map(te) = self.t else {
            return Vec::new();
        };
        let se = match self.s.map(|s| &s.kind) {
            Some(SKind::Map(se)) if se.len() == te.len() => Some(se),
            _ => None,
        };
        te.iter()
            .enumerate()
            .map(|(i, (k, v))| {
                let pair = se.map(|se| &se[i]);
                (
                    View::new(k, pair.map(|p| &p.0), self.loc),
                    View::new(v, pair.map(|p| &p.1), self.loc),
                )
            })
            .collect()
    }

    /// The items of a sequence, each with its location.
    fn items(self) -> Vec<View<'a>> {
        let Typed::Seq(ti) = self.t else {
            return Vec::new();
        };
        let si = match self.s.map(|s| &s.kind) {
            Some(SKind::Seq(si)) if si.len() == ti.len() => Some(si),
            _ => None,
        };
        ti.iter()
            .enumerate()
            .map(|(i, t)| View::new(t, si.map(|si| &si[i]), self.loc))
            .collect()
    }

    /// The text of a scalar written without quotes (`10m`, `null`, `99999...`).
    fn plain_text(self) -> Option<&'a str> {
        match self.s.map(|s| &s.kind) {
            Some(SKind::Scalar { text, plain: true }) => Some(text),
            _ => None,
        }
    }

    /// Whether this is a value left empty (`key:` and nothing after it).
    fn is_absent(self) -> bool {
        matches!(self.t, Typed::Null) && self.plain_text().is_none_or(str::is_empty)
    }
}

/// One `key: value` entry of a mapping whose key is a string.
struct Entry<'a> {
    key: &'a str,
    key_loc: Location,
    value: View<'a>,
}

impl Entry<'_> {
    /// Where to point for a finding about the value: the value, or the key when the
    /// value was left empty.
    fn value_loc(&self) -> Location {
        if self.value.is_absent() {
            self.key_loc
        } else {
            self.value.loc
        }
    }

    /// "`key` must be EXPECTED, found WHAT" at the value.
    fn invalid(&self, diags: &mut Diagnostics<Location>, expected: &str, help: impl Into<String>) {
        let found = if self.value.is_absent() {
            "nothing".to_owned()
        } else {
            self.value.t.describe()
        };
        diags.error(
            Code::InvalidValue,
            self.value_loc(),
            format!("`{}` must be {expected}, found {found}", self.key),
            help,
        );
    }
}

/// The string-keyed entries of a mapping, reporting duplicate and non-string keys.
fn keyed<'a>(map: View<'a>, what: &str, diags: &mut Diagnostics<Location>) -> Vec<Entry<'a>> {
    let mut out: Vec<Entry<'a>> = Vec::new();
    for (k, v) in map.entries() {
        let Some(key) = k.t.as_str() else {
            // Why: every key of the format is a name; `1:` or `[a]:` is a typo or a
            // structure the format does not have.
            diags.error(
                Code::InvalidValue,
                k.loc,
                format!("{what} keys must be names, found {}", k.t.describe()),
                "write a key name such as `origins:`",
            );
            continue;
        };
        if let Some(first) = out.iter().find(|e| e.key == key) {
            // Why: YAML forbids duplicate keys, and loaders disagree on which one wins.
            diags.error(
                Code::YamlSyntax,
                k.loc,
                format!(
                    "duplicate key `{key}` (first written at line {})",
                    first.key_loc.line
                ),
                format!("keep a single `{key}:` entry"),
            );
            continue;
        }
        out.push(Entry {
            key,
            key_loc: k.loc,
            value: v,
        });
    }
    out
}

/// The whole file: one top-level policy, or named ones under `policies:`.
fn file(root: View<'_>, diags: &mut Diagnostics<Location>, out: &mut ParsedFile) {
    if !matches!(root.t, Typed::Map(_)) {
        // Why: the format is a mapping of keys; a list or a scalar is no policy.
        diags.error(
            Code::InvalidValue,
            root.loc,
            format!(
                "a policy file must be a mapping of policy keys (or `policies:`), found {}",
                root.t.describe()
            ),
            "write the keys at the top level, e.g. `origins: [https://app.example.com]`, or name policies under `policies:`",
        );
        return;
    }
    let before = diags.count(Severity::Error);
    let entries = keyed(root, "top-level", diags);
    let Some(policies) = entries.iter().find(|e| e.key == "policies") else {
        let mut candidates = POLICY_KEYS.to_vec();
        candidates.push("policies");
        let policy = policy(&entries, &candidates, root.loc, None, diags);
        out.policies.push(policy);
        out.has_errors.push(diags.count(Severity::Error) > before);
        return;
    };
    out.multi = true;
    let file_errors = diags.count(Severity::Error);
    for e in entries.iter().filter(|e| e.key != "policies") {
        if POLICY_KEYS.contains(&e.key) {
            // Why: a key next to `policies:` would apply to no policy, or to all of them
            // depending on the reader's guess; the format says neither.
            diags.error(
                Code::InvalidValue,
                e.key_loc,
                format!(
                    "`{}` cannot be at the top level of a file that uses `policies:`",
                    e.key
                ),
                "move it into each named policy under `policies:` that needs it",
            );
        } else {
            raw::unknown_key(diags, e.key, e.key_loc, &["policies"]);
        }
    }
    let file_failed = diags.count(Severity::Error) > file_errors;
    if !matches!(policies.value.t, Typed::Map(_)) {
        policies.invalid(
            diags,
            "a mapping of policy names to policies",
            "write `policies: { app: { origins: [https://app.example.com] } }`",
        );
        return;
    }
    let named = keyed(policies.value, "policy name", diags);
    if named.is_empty() {
        // Why: a file that defines nothing is almost certainly a mistake.
        diags.error(
            Code::InvalidValue,
            policies.value_loc(),
            "`policies` is empty: the file defines no policy",
            "add a named policy, e.g. `app: { origins: [https://app.example.com] }`",
        );
        return;
    }
    for e in &named {
        let before = diags.count(Severity::Error);
        if !is_policy_name(e.key) {
            // Why: names are used on command lines and in `policy = "..."`; one simple
            // alphabet keeps them unambiguous.
            diags.error(
                Code::InvalidValue,
                e.key_loc,
                format!(
                    "policy name {} must use only `a-z`, `0-9`, `_` and `-`",
                    quote_short(e.key)
                ),
                format!("rename it, e.g. `{}`", suggest_name(e.key)),
            );
        }
        if !matches!(e.value.t, Typed::Map(_)) {
            diags.error(
                Code::InvalidValue,
                e.value_loc(),
                format!(
                    "policy `{}` must be a mapping of policy keys, found {}",
                    e.key,
                    if e.value.is_absent() {
                        "nothing".to_owned()
                    } else {
                        e.value.t.describe()
                    }
                ),
                format!(
                    "write `{}: {{ origins: [https://app.example.com] }}`",
                    e.key
                ),
            );
            continue;
        }
        let body = keyed(e.value, "policy", diags);
        let name = Spanned::new(e.key.to_owned(), e.key_loc);
        let p = policy(&body, POLICY_KEYS, e.key_loc, Some(name), diags);
        out.policies.push(p);
        out.has_errors
            .push(file_failed || diags.count(Severity::Error) > before);
    }
}

/// Whether `name` matches `[a-z0-9_-]+`.
fn is_policy_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

/// A valid policy name close to `name`.
fn suggest_name(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| c.to_ascii_lowercase())
        .map(|c| {
            if c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    if s.is_empty() {
        "app".to_owned()
    } else {
        s
    }
}

/// One policy from the entries of its mapping.
fn policy(
    entries: &[Entry<'_>],
    candidates: &[&str],
    span: Location,
    name: Option<Spanned<String, Location>>,
    diags: &mut Diagnostics<Location>,
) -> RawPolicy<Location> {
    let mut p = RawPolicy::empty(span);
    p.name = name;
    for e in entries {
        match e.key {
            "origins" => {
                p.origins = origins(e, diags);
                if p.origins.is_none() {
                    p.rejected_keys.push("origins");
                }
            }
            "credentials" => p.credentials = boolean(e, diags),
            "methods" => p.methods = names(e, "methods: [GET, PUT]", diags),
            "allow_headers" => {
                p.allow_headers = names(e, "allow_headers: [Authorization, Content-Type]", diags)
            }
            "expose_headers" => {
                p.expose_headers = names(e, "expose_headers: [X-Request-Id]", diags)
            }
            "max_age" => p.max_age = max_age(e, diags),
            "allow_private_network" => p.allow_private_network = boolean(e, diags),
            "dangerously_allow_insecure_origins" => {
                p.dangerously_allow_insecure_origins = boolean(e, diags)
            }
            "dangerously_allow_public_suffix_wildcards" => {
                p.dangerously_allow_public_suffix_wildcards = boolean(e, diags)
            }
            // Why: serde_yaml, like YAML 1.2, does not apply merge keys; `<<` would
            // otherwise read as a misspelt key.
            "<<" => diags.error(
                Code::UnknownKey,
                e.key_loc,
                "merge keys (`<<`) are not supported",
                "write the keys out in each policy",
            ),
            other => raw::unknown_key(diags, other, e.key_loc, candidates),
        }
    }
    p
}

/// `true` / `false` keys.
fn boolean(e: &Entry<'_>, diags: &mut Diagnostics<Location>) -> Option<Spanned<bool, Location>> {
    if let Typed::Bool(b) = e.value.t {
        return Some(Spanned::new(*b, e.value.loc));
    }
    // Why: `credentials: "yes"` or `credentials: yes` (a string in YAML 1.2) must not
    // be read as anything; the author has to say `true` or `false`.
    let key = e.key;
    let help = match e.value.t.as_str().map(str::to_ascii_lowercase).as_deref() {
        Some("true" | "yes" | "y" | "on") => format!("write `{key}: true` (no quotes)"),
        Some("false" | "no" | "n" | "off") => format!("write `{key}: false` (no quotes)"),
        _ => format!("write `{key}: true` or `{key}: false`"),
    };
    e.invalid(diags, "`true` or `false`", help);
    None
}

/// `origins`: a list of strings and `{regex: ...}` items, or `"*"`.
fn origins(
    e: &Entry<'_>,
    diags: &mut Diagnostics<Location>,
) -> Option<Spanned<RawList<RawOrigin<Location>, Location>, Location>> {
    let loc = e.value.loc;
    match e.value.t {
        Typed::Str(s) if s == "*" => Some(Spanned::new(RawList::Wildcard(loc), loc)),
        Typed::Str(s) => {
            // Why: the format has one string form, "*"; a lone origin is a list of one.
            // It is still passed on as one item, so the validator checks it too.
            e.invalid(
                diags,
                "a list of origins or the string \"*\"",
                format!("write a list: `origins: [{s}]`"),
            );
            let item = RawOrigin::Text(Spanned::new(s.clone(), loc));
            Some(Spanned::new(RawList::Items(vec![item]), loc))
        }
        Typed::Seq(_) => {
            let items = e
                .value
                .items()
                .into_iter()
                .filter_map(|item| origin_item(item, diags))
                .collect();
            Some(Spanned::new(RawList::Items(items), loc))
        }
        _ => {
            e.invalid(
                diags,
                "a list of origins or the string \"*\"",
                "write `origins: [https://app.example.com]` or `origins: \"*\"`",
            );
            None
        }
    }
}

/// One item of `origins`.
fn origin_item(item: View<'_>, diags: &mut Diagnostics<Location>) -> Option<RawOrigin<Location>> {
    match item.t {
        Typed::Str(s) => Some(RawOrigin::Text(Spanned::new(s.clone(), item.loc))),
        Typed::Map(_) => {
            let entries = keyed(item, "`origins` item", diags);
            let mut found = None;
            let mut unknown = false;
            for e in &entries {
                if e.key != "regex" {
                    unknown = true;
                    raw::unknown_key(diags, e.key, e.key_loc, &["regex"]);
                } else if let Some(re) = e.value.t.as_str() {
                    found = Some(RawOrigin::Regex(Spanned::new(re.to_owned(), e.value.loc)));
                } else {
                    e.invalid(
                        diags,
                        "a string",
                        "write the regex in single quotes: `- regex: '^https://(eu|us)\\.example\\.com$'`",
                    );
                    unknown = true;
                }
            }
            if found.is_none() && !unknown {
                diags.error(
                    Code::InvalidValue,
                    item.loc,
                    "an `origins` item that is a mapping must be `{regex: '...'}`",
                    "write `- regex: '^https://(eu|us)\\.example\\.com$'`, or the origin as a string",
                );
            }
            found
        }
        _ => {
            // Why: `- 5` or `- null` is no origin; YAML typed it, so the author did
            // not write the string they may think they wrote.
            diags.error(
                Code::InvalidValue,
                item.loc,
                format!(
                    "`origins` items must be origin strings or `{{regex: '...'}}`, found {}",
                    item.t.describe()
                ),
                quote_help(item, "- https://app.example.com"),
            );
            None
        }
    }
}

/// The help for a list item of the wrong type: quote it if it was a plain scalar.
fn quote_help(item: View<'_>, example: &str) -> String {
    match item.plain_text() {
        Some(text) if !text.is_empty() && !matches!(item.t, Typed::Seq(_) | Typed::Map(_)) => {
            format!("quote it to make it a string: `- \"{text}\"`")
        }
        _ => format!("write a string item, e.g. `{example}`"),
    }
}

/// `methods`, `allow_headers`, `expose_headers`: a list of strings, or `"*"`.
fn names(
    e: &Entry<'_>,
    example: &str,
    diags: &mut Diagnostics<Location>,
) -> Option<Spanned<RawNames<Location>, Location>> {
    let loc = e.value.loc;
    let key = e.key;
    let expected = "a list of names or the string \"*\"";
    match e.value.t {
        Typed::Str(s) if s == "*" => Some(Spanned::new(RawList::Wildcard(loc), loc)),
        Typed::Str(s) => {
            e.invalid(diags, expected, format!("write a list: `{key}: [{s}]`"));
            Some(Spanned::new(
                RawList::Items(vec![Spanned::new(s.clone(), loc)]),
                loc,
            ))
        }
        Typed::Seq(_) => {
            let mut items = Vec::new();
            for item in e.value.items() {
                match item.t {
                    Typed::Str(s) => items.push(Spanned::new(s.clone(), item.loc)),
                    _ => diags.error(
                        Code::InvalidValue,
                        item.loc,
                        format!("`{key}` items must be strings, found {}", item.t.describe()),
                        quote_help(item, "- X-Request-Id"),
                    ),
                }
            }
            Some(Spanned::new(RawList::Items(items), loc))
        }
        _ => {
            e.invalid(
                diags,
                expected,
                format!("write `{example}` or `{key}: \"*\"`"),
            );
            None
        }
    }
}

/// `max_age`: a whole number of seconds.
fn max_age(e: &Entry<'_>, diags: &mut Diagnostics<Location>) -> Option<Spanned<i64, Location>> {
    let loc = e.value.loc;
    let too_big = |diags: &mut Diagnostics<Location>, text: &str| {
        // Why: the model keeps an i64; a larger number is out of range for every browser.
        diags.error(
            Code::MaxAgeOutOfRange,
            loc,
            format!("`max_age` {text} is far out of range"),
            "use a number of seconds from 0 to 86400 (one day)",
        );
    };
    match e.value.t {
        Typed::Int(i) => match i64::try_from(*i) {
            Ok(v) => return Some(Spanned::new(v, loc)),
            Err(_) => too_big(diags, &i.to_string()),
        },
        Typed::BigInt => too_big(diags, e.value.plain_text().unwrap_or("")),
        // serde_yaml reads integers beyond u128 as floats; they are integers all the same.
        Typed::Float(_) if e.value.plain_text().is_some_and(is_decimal_integer) => {
            too_big(diags, e.value.plain_text().unwrap_or(""))
        }
        other => {
            let help = other
                .as_str()
                .and_then(duration_seconds)
                .map(|secs| format!("write the number of seconds: `max_age: {secs}`"))
                .unwrap_or_else(|| "write a number of seconds, e.g. `max_age: 600`".to_owned());
            e.invalid(diags, "a whole number of seconds", help);
        }
    }
    None
}

/// Whether `text` is `[-+]?[0-9]+`.
fn is_decimal_integer(text: &str) -> bool {
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// `10m`, `2h`, `30s`, `1d` in seconds (for the help of a `max_age` written as a duration).
fn duration_seconds(text: &str) -> Option<u64> {
    let text = text.trim();
    let unit = text.chars().last()?;
    let factor = match unit {
        's' => 1,
        'm' => 60,
        'h' => 3600,
        'd' => 86400,
        _ => return None,
    };
    let number: u64 = text[..text.len() - 1].trim().parse().ok()?;
    number.checked_mul(factor)
}
