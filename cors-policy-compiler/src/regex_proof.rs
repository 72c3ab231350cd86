//! Regex origins: build the whole-origin DFA and search it for counterexamples.
//!
//! A regex origin is compiled once, here, into an anchored dense DFA over bytes
//! (`\A(?:regex)\z`, no Unicode), and every rule about it is decided on that DFA: each
//! finding names a concrete origin the DFA accepts, in the form a browser sends it
//! (`shapes`). The method (see `docs/regex-proof.md`):
//!
//! 1. *Witnesses*: for every DFA state reachable by a prefix of an origin, the first
//!    such prefix (bytes tried `.` first, then letters, digits, ...) and its shortest
//!    completion to an accepted origin.
//! 2. *Named domains*: the registrable domains (eTLD+1) of the witnesses' hosts, and
//!    those spelled out in the regex's text; loopback is always in scope.
//! 3. *Public suffixes*: a registrable label the regex does not spell out, under a
//!    public suffix, that other labels can replace; or a public suffix below a named
//!    domain whose names the regex accepts.
//! 4. *Probes*: the scanners' mutations of every witness; an accepted probe outside
//!    the named domains is a counterexample.
//! 5. *Exact searches* on products of the DFA with small DFAs of origin shapes.
//!
//! All of it is paid for from one [`Budget`] per policy.

pub(crate) mod automaton;
mod scope;
pub(crate) mod shapes;
#[cfg(test)]
mod tests;

use regex_automata::dfa::dense;
use regex_automata::nfa::thompson::{self, WhichCaptures};
use regex_automata::{dfa::StartKind, MatchKind};
use regex_syntax::hir::{Hir, Look};

use crate::diagnostic::{Code, Diagnostics, Severity};
use crate::public_suffix;
pub(crate) use automaton::Budget;
use automaton::{accepts, accepts_paid, Dfa, Factor, OverBudget, ORIGIN_BYTES};
use scope::{dns_name, is_loopback, Named, Scope};

/// Bytes the Thompson NFA of one regex may use: `a{1000}{1000}` stops here, at once.
const NFA_SIZE_LIMIT: usize = 4 << 20;
/// Bytes the final DFA may use (it is embedded in binaries).
const DFA_SIZE_LIMIT: usize = 2 << 20;
/// Bytes determinization may use on the way (exponential blow-ups stop here).
const DETERMINIZE_SIZE_LIMIT: usize = 8 << 20;
/// Steps (DFA transitions taken, bytes of DFAs built) the regexes of one policy may
/// cost in all: well under a second of analysis in a release build.
pub(crate) const POLICY_BUDGET: u64 = 20_000_000;
/// Bytes of DFA up to which the DFA is minimized.
const MINIMIZE_LIMIT: u64 = 256 << 10;
/// Steps per DFA byte that minimizing costs.
const MINIMIZE_COST: u64 = 8;
/// Witnesses whose probes are tried (the exact search covers all of them).
const PROBED_WITNESSES: usize = 32;
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

/// What the analysis of one regex found out, besides its findings.
#[derive(Debug, Default)]
pub(crate) struct Verdict {
    /// The DFA, unless the regex is invalid.
    pub dfa: Option<Dfa>,
    /// An origin proving that the regex accepts every origin of a scheme or names
    /// under a public suffix (reported or allowed): Private Network Access must not
    /// be granted to it.
    pub opens_to_strangers: Option<String>,
}

/// Builds the DFA of a regex origin (anchored at both ends) and reports every finding
/// about it at `span`, paying from `budget`.
pub(crate) fn check_regex<S: Copy>(
    source: &str,
    span: S,
    ctx: &RegexContext,
    budget: &mut Budget,
    diags: &mut Diagnostics<S>,
) -> Verdict {
    let (verdict, findings) = analyze(source, ctx, budget);
    for f in findings {
        diags.push(f.code, f.severity, span, f.message, f.help);
    }
    verdict
}

/// Parses a regex alone (not pasted into a wrapper string), bytes, no Unicode. The
/// emitters print PCRE from this same tree, so nginx and Apache match the language the
/// DFA was proved on.
pub(crate) fn parse(source: &str) -> Result<Hir, String> {
    regex_syntax::ParserBuilder::new()
        .unicode(false)
        .utf8(false)
        .nest_limit(NEST_LIMIT)
        .build()
        .parse(source)
        .map_err(|e| syntax_reason(&e))
}

/// The one builder of regex-origin DFAs: `source` matched against the whole input
/// (`\A(?:source)\z`, whatever anchors it has), as bytes (no Unicode classes, `.`
/// matches any byte but `\n`), anchored start states only, all matches (the language
/// is what counts), minimized. Errors are one line: the parser's reason and offset,
/// an unsupported feature, or an exceeded size limit.
pub(crate) fn build_dfa(source: &str) -> Result<Dfa, String> {
    build_from_hir(&parse(source)?, true)
}

/// The DFA of the union of regexes (`cors-policy diff` compares sets of origins):
/// each source is parsed on its own and the syntax trees are joined, so no `)` or
/// `(?x)` comment of one source can reach another.
pub(crate) fn build_union_dfa(sources: &[String]) -> Result<Dfa, String> {
    let trees = sources
        .iter()
        .map(|s| parse(s))
        .collect::<Result<Vec<_>, _>>()?;
    build_from_hir(&Hir::alternation(trees), true)
}

/// [`build_dfa`] from a parsed regex; `minimize: false` skips minimization, whose
/// cost grows faster than the DFA (it is what a huge DFA spends most time on).
fn build_from_hir(hir: &Hir, minimize: bool) -> Result<Dfa, String> {
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
                .minimize(minimize)
                .dfa_size_limit(Some(DFA_SIZE_LIMIT))
                .determinize_size_limit(Some(DETERMINIZE_SIZE_LIMIT)),
        )
        .build_from_nfa(&nfa)
        .map_err(|e| error_chain(&e))
}

/// [`build_dfa`], paid for from `budget`: one step per transition-table entry.
fn build_paid(source: &str, budget: &mut Budget) -> Result<Dfa, OverBudget> {
    let dfa = build_dfa(source).map_err(|_| OverBudget)?;
    budget.spend(dfa.memory_usage() as u64)?;
    Ok(dfa)
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

/// A serialized origin split into its parts; `port` is `""` or `":8080"`; `host`
/// keeps a trailing dot.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Origin {
    scheme: String,
    host: String,
    port: String,
}

impl Origin {
    /// Parses an origin a browser can send; `None` for anything else.
    fn parse(s: &str) -> Option<Origin> {
        if !shapes::is_origin(s) {
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

    /// The trailing dot of the host, if it has one (kept on mutated hosts).
    fn dot(&self) -> &'static str {
        if self.host.ends_with('.') {
            "."
        } else {
            ""
        }
    }
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}://{}{}", self.scheme, self.host, self.port)
    }
}

/// A probe made from a witness.
struct Probe {
    origin: String,
    /// Made by replacing dots of the witness host.
    dot: bool,
}

/// The scanners' mutations (security-and-spec.md §1e) of one witness, dot
/// replacements first, then the rest in order of how plainly they show the problem.
fn probes(w: &Origin, named: &Named) -> Vec<Probe> {
    let h = dns_name(&w.host);
    let end = w.dot();
    let r = match named {
        Named::Domain(d) => d.as_str(),
        Named::Exact(_) | Named::Ipv4Net(_) => h,
    };
    let mut out = Vec::new();
    let mut push = |host: String, dot: bool| {
        out.push(Probe {
            origin: w.with_host(&format!("{host}{end}")),
            dot,
        })
    };
    // P-dot: each dot replaced, one at a time, then all at once.
    for (i, _) in h.match_indices('.') {
        for c in ["x", "a", "-"] {
            push(format!("{}{c}{}", &h[..i], &h[i + 1..]), true);
        }
    }
    if h.contains('.') {
        push(h.replace('.', "x"), true);
    }
    // P-prefix, P-suffix, P-substr, P-reflect, P-special.
    push(format!("{h}.evil.com"), false);
    push(format!("evil{h}"), false);
    push(format!("evil-{h}"), false);
    push(format!("evil{r}"), false);
    push(format!("evil-{r}"), false);
    push("evil.com".to_owned(), false);
    push("localhost.evil.com".to_owned(), false);
    for c in "_-!~$&'()*+,;=`{}\"".chars() {
        push(format!("{h}{c}.evil.com"), false);
    }
    for s in [r, h] {
        if s.len() > 1 {
            push(s[1..].to_owned(), false);
            push(s[..s.len() - 1].to_owned(), false);
        }
    }
    // Fuzz: one character of the host inserted or replaced (dots: see P-dot).
    for i in 0..=h.len() {
        for c in ["x", "-"] {
            push(format!("{}{c}{}", &h[..i], &h[i..]), false);
            if i < h.len() && h.as_bytes()[i] != b'.' {
                push(format!("{}{c}{}", &h[..i], &h[i + 1..]), false);
            }
        }
    }
    out.push(Probe {
        origin: "https://evil.com".to_owned(),
        dot: false,
    });
    out.push(Probe {
        origin: "http://evil.com".to_owned(),
        dot: false,
    });
    out
}

fn search(factors: &[Factor<'_>], budget: &mut Budget) -> Result<Option<String>, OverBudget> {
    Ok(automaton::shortest(factors, ORIGIN_BYTES, budget)?
        .map(|s| String::from_utf8_lossy(&s).into_owned()))
}

/// `dfa` × every origin a browser sends × `more`.
fn search_origins(
    dfa: &Dfa,
    more: &[Factor<'_>],
    budget: &mut Budget,
) -> Result<Option<String>, OverBudget> {
    let mut factors = vec![Factor::is(dfa)];
    factors.extend(shapes::origin());
    factors.extend_from_slice(more);
    search(&factors, budget)
}

fn invalid(message: String, help: &str) -> Finding {
    Finding::new(
        Code::RegexInvalid,
        Severity::Error,
        message,
        help.to_owned(),
    )
}

fn too_complex() -> Finding {
    invalid(
        format!("regex is too complex to prove safe (the analysis of a file's regexes is limited to {POLICY_BUDGET} steps)"),
        "split it into simpler regexes, or list the origins as exact entries and https://*.domain patterns",
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

/// Every finding about `source`, and what the policy needs to know about it.
pub(crate) fn analyze(
    source: &str,
    ctx: &RegexContext,
    budget: &mut Budget,
) -> (Verdict, Vec<Finding>) {
    let mut findings = Vec::new();
    // regex-invalid: an origin never holds a line break, so a regex ending with one
    // (a YAML `|` block scalar keeps the final newline) matches nothing a browser sends.
    if source.ends_with('\n') {
        findings.push(invalid(
            "regex ends with a line break, which no origin contains (a YAML `|` block scalar keeps the final newline)".to_owned(),
            "write the regex as a quoted string, or use `>-` or `|-`, which drop the final newline",
        ));
        return (Verdict::default(), findings);
    }
    if budget.is_spent() {
        findings.push(invalid(
            format!("regex not checked: earlier regexes of the file used up the analysis budget ({POLICY_BUDGET} steps), so it cannot be proved safe"),
            "simplify the earlier regexes reported as too complex",
        ));
        return (Verdict::default(), findings);
    }
    // regex-invalid: the request-time engine only runs DFAs, so a regex that cannot
    // be one (or is too big to embed) cannot be enforced at all.
    let built = parse(source).and_then(|hir| Ok((build_from_hir(&hir, false)?, hir)));
    let (dfa, hir) = match built {
        Ok(built) => built,
        Err(reason) => {
            let help = if reason.contains("limit") {
                "simplify the regex, or list the origins as exact entries and https://*.domain patterns"
            } else {
                r"write a plain regex over the whole origin (no look-around, backreferences or Unicode classes), e.g. ^https://(eu|us)\.example\.com$"
            };
            findings.push(invalid(format!("regex does not compile: {reason}"), help));
            return (Verdict::default(), findings);
        }
    };
    // Building and checking emptiness cost about one step per byte of the DFA, and
    // minimizing a few times more: only DFAs small enough are minimized (the engine
    // runs the others as they are).
    let size = dfa.memory_usage() as u64;
    if budget.spend(size).is_err() {
        findings.push(too_complex());
        return (Verdict::default(), findings);
    }
    let dfa = if size <= MINIMIZE_LIMIT {
        match build_from_hir(&hir, true) {
            Ok(min) if budget.spend(MINIMIZE_COST * size).is_ok() => min,
            _ => {
                findings.push(too_complex());
                return (Verdict::default(), findings);
            }
        }
    } else {
        dfa
    };
    // regex-invalid: a regex that matches nothing is a mistake, never an intent.
    if !automaton::is_nonempty(&dfa) {
        findings.push(invalid(
            "regex matches no string at all".to_owned(),
            r"write the origins it should match, e.g. ^https://(eu|us)\.example\.com$",
        ));
        return (Verdict::default(), findings);
    }
    let mut proof = Vec::new();
    match prove(&dfa, &hir, ctx, budget, &mut proof) {
        Ok(Some(opens)) => {
            findings.extend(proof);
            let verdict = Verdict {
                dfa: Some(dfa),
                opens_to_strangers: opens,
            };
            (verdict, findings)
        }
        Ok(None) => {
            findings.extend(proof);
            (Verdict::default(), findings)
        }
        Err(OverBudget) => {
            // Half a proof is no proof: only the verdict that it is too complex.
            findings.push(too_complex());
            (Verdict::default(), findings)
        }
    }
}

/// Every rule after compilation. `Ok(None)` when the regex is invalid after all, else
/// `Ok(Some(opens))` with [`Verdict::opens_to_strangers`].
fn prove(
    dfa: &Dfa,
    hir: &Hir,
    ctx: &RegexContext,
    budget: &mut Budget,
    findings: &mut Vec<Finding>,
) -> Result<Option<Option<String>>, OverBudget> {
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
    let raw = automaton::witnesses(dfa, &shapes::origin(), ORIGIN_BYTES, budget)?;
    budget.spend(raw.iter().map(|w| 3 * w.len() as u64).sum())?;
    let witnesses: Vec<Origin> = raw
        .iter()
        .filter_map(|w| Origin::parse(std::str::from_utf8(w).ok()?))
        .collect();
    // regex-invalid: an Origin header is always `scheme://host[:port]` (or `null`);
    // a regex accepting none of those never matches a real request.
    if witnesses.is_empty() {
        if accepts_null {
            findings.extend(null_finding);
            return Ok(Some(None));
        }
        let example = match automaton::shortest(
            &[Factor::is(dfa)],
            &all_bytes_preferring_origin(),
            budget,
        )? {
            Some(s) => format!(", only strings like {:?}", String::from_utf8_lossy(&s)),
            None => String::new(),
        };
        findings.push(invalid(
            format!("regex matches no origin a browser sends (scheme://host[:port]){example}"),
            "an Origin is scheme://host[:port] in lower case, with no path or trailing slash",
        ));
        return Ok(None);
    }

    let any_schemes = matches_any(dfa, &witnesses, budget)?;
    let mut opens = None;
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
        opens = Some(example);
    } else {
        findings.extend(null_finding);
    }
    // With every http origin accepted, the matches-any finding already says it all.
    if ctx.credentials && !ctx.allow_insecure && !any_schemes.iter().any(|s| s == "http") {
        findings.extend(insecure(dfa, &witnesses, budget)?);
    }
    if !any_schemes.is_empty() {
        return Ok(Some(opens));
    }
    let mut scope = Scope::default();
    for w in &witnesses {
        scope.add(Named::of(&w.host));
    }
    let spelled = scope::spelled(hir);
    for d in &spelled {
        scope.add(Named::Domain(d.clone()));
    }
    let suffix = public_suffix_wildcard(dfa, ctx, &witnesses, &spelled, &mut scope, budget)?;
    if let Some((finding, cx)) = suffix {
        findings.extend(finding);
        opens = Some(cx);
    }
    findings.extend(unbounded(dfa, &witnesses, &scope, budget)?);
    Ok(Some(opens))
}

/// regex-matches-any-origin, decided exactly: for `https`, `http` and each witness
/// scheme, whether (complement of the regex) × `scheme://` + any dotted host is
/// empty. Returns the schemes of which the regex accepts every host.
fn matches_any(
    dfa: &Dfa,
    witnesses: &[Origin],
    budget: &mut Budget,
) -> Result<Vec<String>, OverBudget> {
    let mut schemes: Vec<&str> = vec!["https", "http"];
    for w in witnesses {
        if !schemes.contains(&w.scheme.as_str()) {
            schemes.push(&w.scheme);
        }
    }
    let mut out = Vec::new();
    for scheme in schemes {
        // Names whose last label starts with a letter: all of them are origins.
        let all_hosts = build_paid(
            &format!(
                r"{}://(?:[a-z0-9\-]+\.)*[a-z\-][a-z0-9\-]*",
                regex_syntax::escape(scheme)
            ),
            budget,
        )?;
        if search(&[Factor::not(dfa), Factor::is(&all_hosts)], budget)?.is_none() {
            out.push(scheme.to_owned());
        }
    }
    Ok(out)
}

/// insecure-origin-with-credentials: anyone on the network path can inject script
/// into a plain-http origin, and credentials would hand it the user's session.
/// A witness if one shows it, else the exact search
/// regex × `http://` origins × complement of loopback.
fn insecure(
    dfa: &Dfa,
    witnesses: &[Origin],
    budget: &mut Budget,
) -> Result<Option<Finding>, OverBudget> {
    let from_witness = witnesses
        .iter()
        .find(|w| w.scheme == "http" && !is_loopback(&w.host))
        .map(Origin::to_string);
    let found = match from_witness {
        Some(w) => Some(w),
        None => search_origins(
            dfa,
            &[Factor::is(shapes::http()), Factor::not(shapes::loopback())],
            budget,
        )?,
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

/// Labels that replace a witness's registrable label: `evil` inserted at every
/// place, or replacing one character, then plain attacker names.
fn attacker_labels(label: &str) -> Vec<String> {
    let mut out = vec!["evil".to_owned(), "attacker".to_owned()];
    for (i, _) in label.char_indices().chain([(label.len(), ' ')]) {
        out.push(format!("{}evil{}", &label[..i], &label[i..]));
        if i < label.len() {
            out.push(format!("{}evil{}", &label[..i], &label[i + 1..]));
        }
    }
    out
}

/// public-suffix-wildcard: a name directly under a public suffix (`x.github.io`,
/// `x.co.uk`, `x.s3.amazonaws.com`) is open to anyone's registration, so accepting
/// names the author did not spell out trusts strangers. Two searches:
/// - under the suffix of a witness whose registrable domain is not spelled out in the
///   regex (`my-app-[a-z0-9-]+-team\.vercel\.app`): another accepted registrable label;
/// - below a named domain: a name under a public suffix below it
///   (`([a-z0-9-]+\.)*amazonaws\.com` accepts `evil.s3.amazonaws.com`).
///
/// Every suffix found (reported or allowed) joins `scope`, so that its names are not
/// reported again as unbounded hosts. Returns the finding (none when allowed) and the
/// counterexample.
fn public_suffix_wildcard(
    dfa: &Dfa,
    ctx: &RegexContext,
    witnesses: &[Origin],
    spelled: &[String],
    scope: &mut Scope,
    budget: &mut Budget,
) -> Result<Option<(Option<Finding>, String)>, OverBudget> {
    let mut searched: Vec<String> = Vec::new();
    let mut scope_dfa: Option<Dfa> = None;
    for w in witnesses {
        if scope::is_ipv4(&w.host) || w.host.starts_with('[') || is_loopback(&w.host) {
            continue;
        }
        let name = dns_name(&w.host);
        // A host around a spelled-out name (`example.com.a` for `example\.com(\.[a-z]+)?`,
        // `aexample.com` for `[a-z]*example\.com`) is about that name: an unbounded
        // host, not a wildcard under a suffix.
        let dotted = format!(".{name}.");
        if spelled
            .iter()
            .any(|s| dotted.contains(&format!(".{s}.")) || name.ends_with(s.as_str()))
        {
            continue;
        }
        // The suffix whose labels are in question, and the label the witness has there.
        let (suffix, label) = match public_suffix::registrable_domain(name) {
            Some(r) => match r.split_once('.') {
                Some((label, suffix)) => (suffix, label),
                None => continue,
            },
            // A suffix itself (`eu.com`, `com`; not a bare unlisted name such as
            // `intranet`): the labels under it are in question.
            None if public_suffix::is_public_suffix(name)
                && (name.contains('.') || !public_suffix::suffixes_below(name).is_empty()) =>
            {
                (name, "")
            }
            None => continue,
        };
        if searched.iter().any(|s| s == suffix) {
            continue;
        }
        searched.push(suffix.to_owned());
        let sub =
            &name[..name.len() - suffix.len() - if label.is_empty() { 0 } else { label.len() + 1 }];
        let mut hit = None;
        for l in attacker_labels(label) {
            for host in [format!("{l}.{suffix}"), format!("{sub}{l}.{suffix}")] {
                let host = format!("{host}{}", w.dot());
                let o = w.with_host(&host);
                if !scope.contains(&host)
                    && shapes::is_origin(&o)
                    && accepts_paid(dfa, o.as_bytes(), budget)?
                {
                    hit = Some(o);
                    break;
                }
            }
            if hit.is_some() {
                break;
            }
        }
        if hit.is_none() {
            if scope_dfa.is_none() {
                scope_dfa = Some(scope_dfa_paid(scope, budget)?);
            }
            let under = build_paid(
                &format!(
                    r"[a-z][a-z0-9+.\-]*://(?:{l}\.)*{l}\.{}\.?{}",
                    regex_syntax::escape(suffix),
                    shapes::PORT,
                    l = shapes::label()
                ),
                budget,
            )?;
            let in_scope = scope_dfa.as_ref().expect("built above");
            hit = search_origins(dfa, &[Factor::is(&under), Factor::not(in_scope)], budget)?;
        }
        if let Some(cx) = hit {
            let named = if label.is_empty() {
                String::new()
            } else {
                format!(" (the regex does not spell out {label}.{suffix}: anyone can create a name of its shape)")
            };
            let help = format!(
                "match only your own names under {suffix} (e.g. {}), or set dangerously_allow_public_suffix_wildcards: true",
                regex_syntax::escape(name)
            );
            return Ok(Some(suffix_finding(ctx, scope, suffix, &cx, &named, help)));
        }
    }
    // Public suffixes below the named domains: `s3.amazonaws.com` below `amazonaws.com`.
    let mut below: Vec<&'static str> = Vec::new();
    for d in scope.domains() {
        below.extend(public_suffix::suffixes_below(d));
    }
    if below.is_empty() {
        return Ok(None);
    }
    let mut hit = None;
    let mut schemes: Vec<(&str, &str)> = Vec::new();
    for w in witnesses {
        if !schemes.contains(&(w.scheme.as_str(), w.port.as_str())) {
            schemes.push((&w.scheme, &w.port));
        }
    }
    // A probe per suffix first (the plainest counterexample), then the exact walk.
    'probe: for (scheme, port) in &schemes {
        for rule in &below {
            let o = format!("{scheme}://evil.{}{port}", rule.replace('*', "evil"));
            if accepts_paid(dfa, o.as_bytes(), budget)? {
                hit = Some(o);
                break 'probe;
            }
        }
    }
    for (scheme, port) in schemes {
        if hit.is_some() {
            break;
        }
        hit = automaton::under_suffixes(dfa, scheme, port, &below, budget)?;
        if hit.is_some() {
            break;
        }
    }
    let Some(cx) = hit else {
        return Ok(None);
    };
    let host = Origin::parse(&cx).map(|o| o.host).unwrap_or_default();
    let suffix = public_suffix::public_suffix(&host).unwrap_or("").to_owned();
    let parent = scope
        .domains()
        .find(|d| scope::is_same_or_subdomain(&suffix, d))
        .unwrap_or("")
        .to_owned();
    let named = format!(" ({suffix} is a public suffix under {parent})");
    let help = format!(
        "match only your own names under {parent}, not every subdomain, or set dangerously_allow_public_suffix_wildcards: true"
    );
    // Everything below the named domains is reported now.
    for d in scope.domains().map(str::to_owned).collect::<Vec<_>>() {
        scope.covered_suffixes.push(d);
    }
    Ok(Some(suffix_finding(ctx, scope, &suffix, &cx, &named, help)))
}

fn scope_dfa_paid(scope: &Scope, budget: &mut Budget) -> Result<Dfa, OverBudget> {
    let dfa = scope.dfa().map_err(|_| OverBudget)?;
    budget.spend(dfa.memory_usage() as u64)?;
    Ok(dfa)
}

/// The public-suffix-wildcard finding for `cx` under `suffix` (none when allowed); the
/// suffix joins the scope either way.
fn suffix_finding(
    ctx: &RegexContext,
    scope: &mut Scope,
    suffix: &str,
    cx: &str,
    why: &str,
    help: String,
) -> (Option<Finding>, String) {
    scope.covered_suffixes.push(suffix.to_owned());
    let finding = (!ctx.allow_public_suffix_wildcards).then(|| {
        Finding::new(
            Code::PublicSuffixWildcard,
            severity_by_credentials(ctx),
            format!("regex accepts {cx:?}: anyone can register a name directly under the public suffix {suffix}{why}"),
            help,
        )
        .with(cx)
    });
    (finding, cx.to_owned())
}

/// regex-unescaped-dot / regex-unbounded-host: the regex must accept only the
/// domains it names and their subdomains; anything else is a host an attacker can
/// register. Probes first (they give the clearest counterexample), then, if none
/// hit, the exact search regex × origins × complement of the scope.
fn unbounded(
    dfa: &Dfa,
    witnesses: &[Origin],
    scope: &Scope,
    budget: &mut Budget,
) -> Result<Vec<Finding>, OverBudget> {
    let mut dot_hit: Option<(String, &Origin)> = None;
    let mut other_hit: Option<String> = None;
    // The probes only make the counterexample plain; the exact search below is the
    // proof. So a regex with thousands of DFA states pays for a few witnesses' probes.
    for w in witnesses.iter().take(PROBED_WITNESSES) {
        for p in probes(w, &Named::of(&w.host)) {
            if (p.dot && dot_hit.is_some()) || (!p.dot && other_hit.is_some()) {
                continue;
            }
            // Making, parsing and placing a probe: a few walks over it.
            budget.spend(4 * p.origin.len() as u64)?;
            let Some(o) = Origin::parse(&p.origin) else {
                continue;
            };
            if scope.contains(&o.host) || !accepts_paid(dfa, p.origin.as_bytes(), budget)? {
                continue;
            }
            if p.dot {
                dot_hit = Some((p.origin, w));
            } else {
                other_hit = Some(p.origin);
            }
        }
        if dot_hit.is_some() && other_hit.is_some() {
            break;
        }
    }
    let mut findings = Vec::new();
    if let Some((cx, w)) = &dot_hit {
        findings.push(
            Finding::new(
                Code::RegexUnescapedDot,
                Severity::Error,
                format!("regex accepts {cx:?}: a \".\" in the host matches any character, not only a dot"),
                format!("escape the dot: {}", regex_syntax::escape(dns_name(&w.host))),
            )
            .with(cx),
        );
    }
    if other_hit.is_none() && dot_hit.is_none() {
        let in_scope = scope_dfa_paid(scope, budget)?;
        other_hit = search_origins(dfa, &[Factor::not(&in_scope)], budget)?;
    }
    if let Some(cx) = &other_hit {
        // The first witness is the regex's most direct reading: show the fix on it.
        let w = &witnesses[0];
        let host = match Named::of(&w.host) {
            Named::Domain(d) => format!(r"([a-z0-9-]+\.)*{}", regex_syntax::escape(&d)),
            Named::Exact(_) | Named::Ipv4Net(_) => regex_syntax::escape(dns_name(&w.host)),
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
