//! Regex origins: build the whole-origin DFA and search it for counterexamples.
//!
//! A regex origin is compiled once, here, into an anchored dense DFA over bytes
//! (`\A(?:regex)\z`, no Unicode), and every rule about it is decided on that DFA, never
//! on the regex text: each finding names a concrete origin the DFA accepts. The method
//! (see `docs/regex-proof.md`):
//!
//! 1. *Witnesses*: for every DFA state reachable by a prefix of a valid origin, the
//!    first such prefix (bytes tried `.` first, then letters, digits, ...) and its
//!    shortest completion to an accepted `scheme://host[:port]`.
//! 2. *Named domains*: the registrable domains (eTLD+1) of the witnesses' hosts, or
//!    the host itself for IPs, `localhost` and the like.
//! 3. *Probes*: the scanners' mutations of every witness (dots replaced, `evil`
//!    prefixes, `.evil.com` suffixes, special characters, a one-character fuzz of the
//!    host) run through the DFA; an accepted probe outside the named domains is a
//!    counterexample.
//! 4. *Exact searches* on products of the DFA with small DFAs of origin shapes:
//!    whether it accepts every host of a scheme, an `http://` host that is not
//!    loopback, or (when no probe hit) any valid origin outside the named domains.

pub(crate) mod automaton;
#[cfg(test)]
mod tests;

use std::sync::OnceLock;

use regex_automata::dfa::dense;
use regex_automata::nfa::thompson::{self, WhichCaptures};
use regex_automata::{dfa::StartKind, MatchKind};
use regex_syntax::hir::{Hir, Look};

use crate::diagnostic::{Code, Diagnostics, Severity};
use crate::public_suffix;
use automaton::{accepts, Dfa, Factor, Search, ORIGIN_BYTES};

/// Bytes the Thompson NFA of one regex may use: `a{1000}{1000}` stops here, at once.
const NFA_SIZE_LIMIT: usize = 4 << 20;
/// Bytes the final DFA may use (it is embedded in binaries).
const DFA_SIZE_LIMIT: usize = 2 << 20;
/// Bytes determinization may use on the way (exponential blow-ups stop here).
const DETERMINIZE_SIZE_LIMIT: usize = 8 << 20;
/// Tuples of states one product search may visit before giving up.
const SEARCH_BUDGET: usize = 500_000;
/// How deeply groups and repetitions may nest.
const NEST_LIMIT: u32 = 64;

/// What the regex rules need to know about the rest of the policy.
#[derive(Clone, Copy, Debug)]
pub(crate) struct RegexContext {
    /// `credentials: true`: `regex-matches-any-origin` is an error, and `http://`
    /// witnesses are `insecure-origin-with-credentials`.
    pub credentials: bool,
    /// `dangerously_allow_insecure_origins`.
    pub allow_insecure: bool,
    /// `dangerously_allow_public_suffix_wildcards`.
    pub allow_public_suffix_wildcards: bool,
}

/// Builds the DFA of a regex origin (anchored at both ends) and reports every finding
/// about it at `span`. Returns the DFA when the regex compiles to a DFA that matches
/// some origin (`None` exactly when a `regex-invalid` error was reported).
pub(crate) fn check_regex<S: Copy>(
    source: &str,
    span: S,
    ctx: &RegexContext,
    diags: &mut Diagnostics<S>,
) -> Option<dense::DFA<Vec<u32>>> {
    let (dfa, findings) = analyze(source, ctx);
    for f in findings {
        diags.push(f.code, f.severity, span, f.message, f.help);
    }
    dfa
}

/// The one builder of regex-origin DFAs: `source` matched against the whole input
/// (`\A(?:source)\z`, whatever anchors it has), as bytes (no Unicode classes, `.`
/// matches any byte but `\n`), anchored start states only, all matches (the language
/// is what counts), minimized. Errors are one line: the parser's reason and offset,
/// an unsupported feature, or an exceeded size limit.
pub(crate) fn build_dfa(source: &str) -> Result<dense::DFA<Vec<u32>>, String> {
    build_from_hir(&parse(source)?)
}

/// The DFA of the union of regexes (`cors-policy diff` compares sets of origins):
/// each source is parsed on its own and the syntax trees are joined, so no `)` or
/// `(?x)` comment of one source can reach another.
pub(crate) fn build_union_dfa(sources: &[String]) -> Result<Dfa, String> {
    let trees = sources
        .iter()
        .map(|s| parse(s))
        .collect::<Result<Vec<_>, _>>()?;
    build_from_hir(&Hir::alternation(trees))
}

/// A regex origin's syntax tree, as bytes (no Unicode).
fn parse(source: &str) -> Result<Hir, String> {
    regex_syntax::ParserBuilder::new()
        .unicode(false)
        .utf8(false)
        .nest_limit(NEST_LIMIT)
        .build()
        .parse(source)
        .map_err(|e| syntax_reason(&e))
}

/// [`build_dfa`] from a parsed regex.
fn build_from_hir(hir: &Hir) -> Result<Dfa, String> {
    // Wrapping the syntax tree (not the text) is what makes the anchoring
    // unconditional: no `)`, `|` or `(?x)` comment in the source can escape it.
    let whole = Hir::concat(vec![
        Hir::look(Look::Start),
        hir.clone(),
        Hir::look(Look::End),
    ]);
    let nfa = thompson::Compiler::new()
        .configure(
            thompson::Config::new()
                .utf8(false)
                .which_captures(WhichCaptures::None)
                .nfa_size_limit(Some(NFA_SIZE_LIMIT)),
        )
        .build_from_hir(&whole)
        .map_err(|e| error_chain(&e))?;
    dense::Builder::new()
        .configure(
            dense::Config::new()
                .start_kind(StartKind::Anchored)
                .match_kind(MatchKind::All)
                .minimize(true)
                .dfa_size_limit(Some(DFA_SIZE_LIMIT))
                .determinize_size_limit(Some(DETERMINIZE_SIZE_LIMIT)),
        )
        .build_from_nfa(&nfa)
        .map_err(|e| error_chain(&e))
}

/// Whether a DFA built by [`build_dfa`] (or deserialized from its bytes) accepts the
/// whole of `origin`.
#[allow(dead_code)] // for the engine and compiler stages
pub(crate) fn dfa_accepts<A: regex_automata::dfa::Automaton>(dfa: &A, origin: &[u8]) -> bool {
    accepts(dfa, origin)
}

/// A one-line reason from regex-syntax: the kind of error and where.
fn syntax_reason(e: &regex_syntax::Error) -> String {
    match e {
        regex_syntax::Error::Parse(e) => {
            format!("{} (at offset {})", e.kind(), e.span().start.offset)
        }
        regex_syntax::Error::Translate(e) => {
            format!("{} (at offset {})", e.kind(), e.span().start.offset)
        }
        other => one_line(&other.to_string()),
    }
}

/// An error and its sources on one line: `error building NFA: attempted to ...`.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    one_line(&out)
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One finding about a regex, with the origin that proves it (if any).
#[derive(Clone, Debug)]
pub(crate) struct Finding {
    pub code: Code,
    pub severity: Severity,
    pub message: String,
    pub help: String,
    /// The origin the DFA accepts that shows the problem.
    pub counterexample: Option<String>,
}

impl Finding {
    fn new(code: Code, severity: Severity, message: String, help: String) -> Finding {
        Finding {
            code,
            severity,
            message,
            help,
            counterexample: None,
        }
    }

    fn with(mut self, counterexample: &str) -> Finding {
        self.counterexample = Some(counterexample.to_owned());
        self
    }
}

/// Characters of one host label that the URL Standard lets through (it forbids only
/// `NUL TAB LF CR SP # / : < > ? @ [ \ ] ^ |`, C0, `%`, DEL): the special characters
/// are real browser origins in some engines, so a search must try them too.
const LABEL: &str = r#"[a-z0-9_!$&'()*+,;=~`{}"\-]+"#;
/// An optional port.
const PORT: &str = r"(?::[0-9]{1,5})?";

fn host_re() -> String {
    format!(r"(?:{LABEL}(?:\.{LABEL})*|\[[0-9a-f:.]+\])")
}

fn shape(cell: &'static OnceLock<Dfa>, pattern: impl FnOnce() -> String) -> &'static Dfa {
    cell.get_or_init(|| build_dfa(&pattern()).expect("built-in origin shape compiles"))
}

/// Every syntactically valid serialized origin `scheme://host[:port]`.
pub(crate) fn origin_shape() -> &'static Dfa {
    static CELL: OnceLock<Dfa> = OnceLock::new();
    shape(&CELL, || {
        format!(r"[a-z][a-z0-9+.\-]*://{}{PORT}", host_re())
    })
}

/// Every `http://` origin.
fn http_shape() -> &'static Dfa {
    static CELL: OnceLock<Dfa> = OnceLock::new();
    shape(&CELL, || format!(r"http://{}{PORT}", host_re()))
}

/// The `http://` origins that are loopback: `localhost`, `*.localhost`, 127/8, `[::1]`.
fn loopback_shape() -> &'static Dfa {
    static CELL: OnceLock<Dfa> = OnceLock::new();
    shape(&CELL, || {
        format!(
            r"http://(?:(?:{LABEL}\.)*localhost|127\.[0-9]{{1,3}}\.[0-9]{{1,3}}\.[0-9]{{1,3}}|\[::1\]){PORT}"
        )
    })
}

/// A serialized origin split into its parts; `port` is `""` or `":8080"`.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Origin {
    scheme: String,
    host: String,
    port: String,
}

impl Origin {
    /// Parses a string the origin shape accepts; `None` for anything else.
    fn parse(s: &str) -> Option<Origin> {
        if !accepts(origin_shape(), s.as_bytes()) {
            return None;
        }
        let (scheme, rest) = s.split_once("://")?;
        let (host, port) = if rest.starts_with('[') {
            let end = rest.find(']')? + 1;
            rest.split_at(end)
        } else {
            match rest.find(':') {
                Some(i) => rest.split_at(i),
                None => (rest, ""),
            }
        };
        Some(Origin {
            scheme: scheme.to_owned(),
            host: host.to_owned(),
            port: port.to_owned(),
        })
    }

    fn with_host(&self, host: &str) -> String {
        format!("{}://{}{}", self.scheme, host, self.port)
    }
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}://{}{}", self.scheme, self.host, self.port)
    }
}

fn is_ipv4(host: &str) -> bool {
    let labels: Vec<&str> = host.split('.').collect();
    labels.len() == 4
        && labels
            .iter()
            .all(|l| !l.is_empty() && l.len() <= 3 && l.bytes().all(|b| b.is_ascii_digit()))
}

/// A domain a regex names, from one of its witnesses.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Named {
    /// A registrable domain (or a host that has none: `localhost`, `[::1]`, a public
    /// suffix itself); it and its subdomains are in scope.
    Domain(String),
    /// A host that is itself a public suffix (`github.io`, `com`): only that host,
    /// since the names under it belong to strangers.
    Exact(String),
    /// An IPv4 witness names its /24 (`10.0.0.`), so a regex over a range of
    /// addresses is not flagged for the addresses it was written for.
    Ipv4Net(String),
}

impl Named {
    fn of(host: &str) -> Named {
        if is_ipv4(host) {
            let net = &host[..host.rfind('.').map_or(0, |i| i + 1)];
            return Named::Ipv4Net(net.to_owned());
        }
        if host.starts_with('[') {
            return Named::Domain(host.to_owned());
        }
        if public_suffix::is_public_suffix(host) {
            return Named::Exact(host.to_owned());
        }
        if let Some(r) = public_suffix::registrable_domain(host) {
            return Named::Domain(r.to_owned());
        }
        // A suffix the list does not know (`corp.internal`): its default rule, the
        // last two labels, as browsers' cookie code would.
        match psl::domain(host.as_bytes()) {
            Some(d) => Named::Domain(String::from_utf8_lossy(d.as_bytes()).into_owned()),
            None => Named::Domain(host.to_owned()),
        }
    }

    fn contains(&self, host: &str) -> bool {
        match self {
            Named::Domain(d) => is_same_or_subdomain(host, d),
            Named::Exact(d) => host == d,
            Named::Ipv4Net(net) => is_ipv4(host) && host.starts_with(net.as_str()),
        }
    }

    fn describe(&self) -> String {
        match self {
            Named::Domain(d) | Named::Exact(d) => d.clone(),
            Named::Ipv4Net(net) => format!("{net}0/24"),
        }
    }
}

fn is_same_or_subdomain(host: &str, domain: &str) -> bool {
    host == domain
        || host
            .strip_suffix(domain)
            .is_some_and(|prefix| prefix.ends_with('.'))
}

/// The hosts a regex is entitled to accept: the domains it names and, when it is a
/// (reported or allowed) public-suffix wildcard, everything under that suffix.
#[derive(Default)]
struct Scope {
    named: Vec<Named>,
    covered_suffixes: Vec<String>,
}

impl Scope {
    fn contains(&self, host: &str) -> bool {
        self.named.iter().any(|n| n.contains(host))
            || self
                .covered_suffixes
                .iter()
                .any(|p| is_same_or_subdomain(host, p))
    }

    /// The DFA of every valid origin whose host is in scope.
    fn dfa(&self) -> Result<Dfa, String> {
        let mut domains: Vec<String> = Vec::new();
        let mut nets: Vec<String> = Vec::new();
        let mut exact: Vec<String> = Vec::new();
        for n in &self.named {
            match n {
                Named::Domain(d) => domains.push(regex_syntax::escape(d)),
                Named::Exact(d) => exact.push(regex_syntax::escape(d)),
                Named::Ipv4Net(net) => nets.push(regex_syntax::escape(net)),
            }
        }
        domains.extend(
            self.covered_suffixes
                .iter()
                .map(|p| regex_syntax::escape(p)),
        );
        let mut alternatives = Vec::new();
        if !domains.is_empty() {
            alternatives.push(format!(r"(?:{LABEL}\.)*(?:{})", domains.join("|")));
        }
        alternatives.extend(exact);
        for net in nets {
            alternatives.push(format!("{net}[0-9]{{1,3}}"));
        }
        if alternatives.is_empty() {
            alternatives.push(r"[^\x00-\xff]".to_owned()); // nothing
        }
        build_dfa(&format!(
            r"[a-z][a-z0-9+.\-]*://(?:{}){PORT}",
            alternatives.join("|")
        ))
    }

    /// "not example.com or a subdomain of it" / "not one of a.com, b.org or their
    /// subdomains".
    fn describe(&self) -> String {
        let mut names: Vec<String> = self.named.iter().map(Named::describe).collect();
        names.dedup();
        match names.len() {
            0 => "not a domain the regex names".to_owned(),
            1 => format!("not {} or a subdomain of it", names[0]),
            2 => format!("not one of {}, {} or their subdomains", names[0], names[1]),
            n => format!(
                "not one of {}, {}, {} other domains or their subdomains",
                names[0],
                names[1],
                n - 2
            ),
        }
    }
}

/// Labels an attacker could register directly under a public suffix.
const PROBE_LABELS: &[&str] = &["evil", "attacker", "x", "q", "0", "z9"];

/// A probe made from a witness.
struct Probe {
    origin: String,
    /// Made by replacing dots of the witness host.
    dot: bool,
}

/// The scanners' mutations (security-and-spec.md §1e) of one witness, dot
/// replacements first, then the rest in order of how plainly they show the problem.
fn probes(w: &Origin, named: &Named) -> Vec<Probe> {
    let h = w.host.as_str();
    let r = match named {
        Named::Domain(d) => d.as_str(),
        Named::Exact(_) | Named::Ipv4Net(_) => h,
    };
    let mut out = Vec::new();
    let mut push = |origin: String, dot: bool| out.push(Probe { origin, dot });
    // P-dot: each dot replaced, one at a time, then all at once.
    for (i, _) in h.match_indices('.') {
        for c in ["x", "a", "-"] {
            push(w.with_host(&format!("{}{c}{}", &h[..i], &h[i + 1..])), true);
        }
    }
    if h.contains('.') {
        push(w.with_host(&h.replace('.', "x")), true);
    }
    // P-prefix, P-suffix, P-substr, P-reflect, P-special.
    push(w.with_host(&format!("{h}.evil.com")), false);
    push(w.with_host(&format!("evil{h}")), false);
    push(w.with_host(&format!("evil-{h}")), false);
    push(w.with_host(&format!("evil{r}")), false);
    push(w.with_host(&format!("evil-{r}")), false);
    push(w.with_host("evil.com"), false);
    push("https://evil.com".to_owned(), false);
    push("http://evil.com".to_owned(), false);
    push(w.with_host("localhost.evil.com"), false);
    for c in "_-!~$&'()*+,;=`{}\"".chars() {
        push(w.with_host(&format!("{h}{c}.evil.com")), false);
    }
    for s in [r, h] {
        if s.len() > 1 {
            push(w.with_host(&s[1..]), false);
            push(w.with_host(&s[..s.len() - 1]), false);
        }
    }
    // Fuzz: one character of the host inserted or replaced (dots: see P-dot).
    for i in 0..=h.len() {
        for c in ["x", "-"] {
            push(w.with_host(&format!("{}{c}{}", &h[..i], &h[i..])), false);
            if i < h.len() && h.as_bytes()[i] != b'.' {
                push(
                    w.with_host(&format!("{}{c}{}", &h[..i], &h[i + 1..])),
                    false,
                );
            }
        }
    }
    out
}

/// A product search ran out of budget: the regex cannot be proved safe.
struct TooComplex;

fn search(factors: &[Factor<'_>]) -> Result<Option<String>, TooComplex> {
    match automaton::shortest(factors, ORIGIN_BYTES, SEARCH_BUDGET) {
        Search::Found(s) => Ok(Some(String::from_utf8_lossy(&s).into_owned())),
        Search::Empty => Ok(None),
        Search::OverBudget => Err(TooComplex),
    }
}

fn invalid(message: String, help: &str) -> Finding {
    Finding::new(
        Code::RegexInvalid,
        Severity::Error,
        message,
        help.to_owned(),
    )
}

/// Error with credentials, warning without: the rules that are fatal only when the
/// browser would send cookies along.
fn severity_by_credentials(ctx: &RegexContext) -> Severity {
    if ctx.credentials {
        Severity::Error
    } else {
        Severity::Warning
    }
}

/// Every finding about `source`, and its DFA unless it is invalid.
pub(crate) fn analyze(source: &str, ctx: &RegexContext) -> (Option<Dfa>, Vec<Finding>) {
    let mut findings = Vec::new();
    // regex-invalid: the request-time engine only runs DFAs, so a regex that cannot
    // be one (or is too big to embed) cannot be enforced at all.
    let dfa = match build_dfa(source) {
        Ok(dfa) => dfa,
        Err(reason) => {
            let help = if reason.contains("limit") {
                "simplify the regex, or list the origins as exact entries and https://*.domain patterns"
            } else {
                r"write a plain regex over the whole origin (no look-around, backreferences or Unicode classes), e.g. ^https://(eu|us)\.example\.com$"
            };
            findings.push(invalid(format!("regex does not compile: {reason}"), help));
            return (None, findings);
        }
    };
    // regex-invalid: a regex that matches nothing is a mistake, never an intent.
    if !automaton::is_nonempty(&dfa) {
        findings.push(invalid(
            "regex matches no string at all".to_owned(),
            r"write the origins it should match, e.g. ^https://(eu|us)\.example\.com$",
        ));
        return (None, findings);
    }
    match prove(&dfa, ctx, &mut findings) {
        Ok(true) => (Some(dfa), findings),
        Ok(false) => (None, findings),
        Err(TooComplex) => {
            findings.push(invalid(
                format!("regex is too complex to verify (over {SEARCH_BUDGET} search states)"),
                "split it into several simpler regexes, or list the origins",
            ));
            (None, findings)
        }
    }
}

/// Every rule after compilation; `Ok(false)` when the regex is invalid after all.
fn prove(dfa: &Dfa, ctx: &RegexContext, findings: &mut Vec<Finding>) -> Result<bool, TooComplex> {
    // null-origin: sandboxed iframes, file: and data: pages all send `null`, so
    // allowing it allows any site that frames itself in a sandbox. Reported below,
    // unless the regex matches any origin: then, like `origins: "*"`, it is the
    // matches-any finding that says so.
    let accepts_null = accepts(dfa, b"null");
    let null_finding = accepts_null.then(|| {
        Finding::new(
            Code::NullOrigin,
            Severity::Error,
            r#"regex accepts "null", the origin of sandboxed iframes and file: or data: pages, which any site can produce"#.to_owned(),
            "remove the alternative of the regex that matches null".to_owned(),
        )
        .with("null")
    });
    let raw =
        automaton::witnesses(dfa, origin_shape(), ORIGIN_BYTES, SEARCH_BUDGET).ok_or(TooComplex)?;
    let witnesses: Vec<Origin> = raw
        .iter()
        .filter_map(|w| Origin::parse(std::str::from_utf8(w).ok()?))
        .collect();
    // regex-invalid: an Origin header is always `scheme://host[:port]` (or `null`);
    // a regex accepting none of those never matches a real request.
    if witnesses.is_empty() {
        if accepts_null {
            findings.extend(null_finding);
            return Ok(true);
        }
        let example = match automaton::shortest(
            &[Factor::is(dfa)],
            &all_bytes_preferring_origin(),
            SEARCH_BUDGET,
        ) {
            Search::Found(s) => format!(", only strings like {:?}", String::from_utf8_lossy(&s)),
            _ => String::new(),
        };
        findings.push(invalid(
            format!("regex matches no origin a browser sends (scheme://host[:port]){example}"),
            "an Origin is scheme://host[:port] in lower case, with no path or trailing slash",
        ));
        return Ok(false);
    }

    let any_schemes = matches_any(dfa, &witnesses)?;
    if let Some(scheme) = any_schemes.first() {
        let example = format!("{scheme}://evil.com");
        let and_null = if accepts_null { " and null" } else { "" };
        findings.push(
            Finding::new(
                Code::RegexMatchesAnyOrigin,
                severity_by_credentials(ctx),
                format!("regex accepts every {scheme} origin{and_null}, e.g. {example:?}"),
                r"list the origins to allow, or match one domain and its subdomains, e.g. ^https://([a-z0-9-]+\.)*example\.com$".to_owned(),
            )
            .with(&example),
        );
    } else {
        findings.extend(null_finding);
    }
    // With every http origin accepted, the matches-any finding already says it all.
    if ctx.credentials && !ctx.allow_insecure && !any_schemes.iter().any(|s| s == "http") {
        findings.extend(insecure(dfa, &witnesses)?);
    }
    if !any_schemes.is_empty() {
        return Ok(true);
    }
    let mut scope = Scope::default();
    for w in &witnesses {
        let n = Named::of(&w.host);
        if !scope.named.contains(&n) {
            scope.named.push(n);
        }
    }
    findings.extend(public_suffix_wildcard(dfa, ctx, &witnesses, &mut scope));
    findings.extend(unbounded(dfa, &witnesses, &scope)?);
    Ok(true)
}

/// regex-matches-any-origin, decided exactly: for `https`, `http` and each witness
/// scheme, whether (complement of the regex) × `scheme://` + any dotted host is
/// empty. Returns the schemes of which the regex accepts every host.
fn matches_any(dfa: &Dfa, witnesses: &[Origin]) -> Result<Vec<String>, TooComplex> {
    let mut schemes: Vec<&str> = vec!["https", "http"];
    for w in witnesses {
        if !schemes.contains(&w.scheme.as_str()) {
            schemes.push(&w.scheme);
        }
    }
    let mut out = Vec::new();
    for scheme in schemes {
        let all_hosts = build_dfa(&format!(
            r"{}://[a-z0-9\-]+(?:\.[a-z0-9\-]+)*",
            regex_syntax::escape(scheme)
        ))
        .map_err(|_| TooComplex)?;
        if search(&[Factor::not(dfa), Factor::is(&all_hosts)])?.is_none() {
            out.push(scheme.to_owned());
        }
    }
    Ok(out)
}

/// insecure-origin-with-credentials: anyone on the network path can inject script
/// into a plain-http origin, and credentials would hand it the user's session.
/// A witness if one shows it, else the exact search
/// regex × `http://` origins × complement of loopback.
fn insecure(dfa: &Dfa, witnesses: &[Origin]) -> Result<Option<Finding>, TooComplex> {
    let from_witness = witnesses
        .iter()
        .map(Origin::to_string)
        .find(|w| w.starts_with("http://") && !accepts(loopback_shape(), w.as_bytes()));
    let found = match from_witness {
        Some(w) => Some(w),
        None => search(&[
            Factor::is(dfa),
            Factor::is(http_shape()),
            Factor::not(loopback_shape()),
        ])?,
    };
    Ok(found.map(|cx| {
        Finding::new(
            Code::InsecureOriginWithCredentials,
            Severity::Error,
            format!("regex accepts {cx:?}, a plain-http origin, while credentials are allowed"),
            "require https:// in the regex (http:// only for localhost or 127.0.0.1), or set dangerously_allow_insecure_origins: true".to_owned(),
        )
        .with(&cx)
    }))
}

/// public-suffix-wildcard: a name directly under a public suffix (`x.github.io`,
/// `x.co.uk`) is open to anyone's registration, so accepting arbitrary ones trusts
/// strangers. Probed on each witness by swapping that label for attacker labels.
/// Every suffix found wildcarded (reported or allowed) joins `scope`, so that its
/// names are not reported again as unbounded hosts.
fn public_suffix_wildcard(
    dfa: &Dfa,
    ctx: &RegexContext,
    witnesses: &[Origin],
    scope: &mut Scope,
) -> Option<Finding> {
    let mut finding: Option<Finding> = None;
    for w in witnesses {
        let Some(r) = public_suffix::registrable_domain(&w.host) else {
            continue;
        };
        let Some((_, suffix)) = r.split_once('.') else {
            continue;
        };
        if scope.covered_suffixes.iter().any(|p| p == suffix) {
            continue;
        }
        let sub = &w.host[..w.host.len() - r.len()];
        // "Arbitrary" labels: at least two unrelated ones must be accepted, so a
        // regex that merely names `evil.com` among others is not a wildcard.
        let hits: Vec<String> = PROBE_LABELS
            .iter()
            .filter_map(|label| {
                [
                    format!("{label}.{suffix}"),
                    format!("{sub}{label}.{suffix}"),
                ]
                .into_iter()
                .find(|host| !scope.contains(host) && accepts(dfa, w.with_host(host).as_bytes()))
                .map(|host| w.with_host(&host))
            })
            .collect();
        if hits.len() < 2 {
            continue;
        }
        scope.covered_suffixes.push(suffix.to_owned());
        if finding.is_none() && !ctx.allow_public_suffix_wildcards {
            let cx = &hits[0];
            finding = Some(
                Finding::new(
                    Code::PublicSuffixWildcard,
                    severity_by_credentials(ctx),
                    format!("regex accepts {cx:?}: anyone can register a name directly under the public suffix {suffix}"),
                    format!(
                        "name your own domain under {suffix} (e.g. {}), or set dangerously_allow_public_suffix_wildcards: true",
                        regex_syntax::escape(&w.host)
                    ),
                )
                .with(cx),
            );
        }
    }
    finding
}

/// regex-unescaped-dot / regex-unbounded-host: the regex must accept only the
/// domains it names and their subdomains; anything else is a host an attacker can
/// register. Probes first (they give the clearest counterexample), then, if none
/// hit, the exact search regex × valid origins × complement of the scope.
fn unbounded(dfa: &Dfa, witnesses: &[Origin], scope: &Scope) -> Result<Vec<Finding>, TooComplex> {
    let mut dot_hit: Option<(String, &Origin)> = None;
    let mut other_hit: Option<String> = None;
    for w in witnesses {
        for p in probes(w, &Named::of(&w.host)) {
            if (p.dot && dot_hit.is_some()) || (!p.dot && other_hit.is_some()) {
                continue;
            }
            let Some(o) = Origin::parse(&p.origin) else {
                continue;
            };
            if scope.contains(&o.host) || !accepts(dfa, p.origin.as_bytes()) {
                continue;
            }
            if p.dot {
                dot_hit = Some((p.origin, w));
            } else {
                other_hit = Some(p.origin);
            }
        }
    }
    let mut findings = Vec::new();
    if let Some((cx, w)) = &dot_hit {
        findings.push(
            Finding::new(
                Code::RegexUnescapedDot,
                Severity::Error,
                format!("regex accepts {cx:?}: a \".\" in the host matches any character, not only a dot"),
                format!("escape the dot: {}", regex_syntax::escape(&w.host)),
            )
            .with(cx),
        );
    }
    if other_hit.is_none() && dot_hit.is_none() {
        let in_scope = scope.dfa().map_err(|_| TooComplex)?;
        other_hit = search(&[
            Factor::is(dfa),
            Factor::is(origin_shape()),
            Factor::not(&in_scope),
        ])?;
    }
    if let Some(cx) = &other_hit {
        // The first witness is the regex's most direct reading: show the fix on it.
        let w = &witnesses[0];
        let host = match Named::of(&w.host) {
            Named::Domain(d) => format!(r"([a-z0-9-]+\.)*{}", regex_syntax::escape(&d)),
            Named::Exact(_) | Named::Ipv4Net(_) => regex_syntax::escape(&w.host),
        };
        let example = format!("^{}://{host}{}$", w.scheme, regex_syntax::escape(&w.port));
        findings.push(
            Finding::new(
                Code::RegexUnboundedHost,
                Severity::Error,
                format!("regex accepts {cx:?}, whose host is {}", scope.describe()),
                format!("match whole labels of the domain and end the host there, e.g. {example}"),
            )
            .with(cx),
        );
    }
    Ok(findings)
}

/// Every byte, the origin bytes first (for readable examples).
fn all_bytes_preferring_origin() -> Vec<u8> {
    let mut out = ORIGIN_BYTES.to_vec();
    out.extend((0..=255u8).filter(|b| !ORIGIN_BYTES.contains(b)));
    out
}
