//! Rules about `origins`.

use super::Context;
use crate::diagnostic::{Code, Diagnostics};
use crate::model::{HostPattern, OriginPattern, OriginSet, RegexOrigin};
use crate::origin::{is_loopback_host, parse_origin};
use crate::public_suffix::is_public_suffix;
use crate::raw::{RawList, RawOrigin, RawPolicy};
use crate::regex_proof::{self, RegexContext};

/// Checks `origins` and returns the typed set when it can be built.
pub(super) fn check<S: Copy>(
    raw: &RawPolicy<S>,
    ctx: &Context,
    diags: &mut Diagnostics<S>,
) -> Option<OriginSet> {
    // Why: a policy must say who may call; an empty list is almost always a template
    // left unfinished, and "no origins" is better expressed by not installing CORS.
    let Some(origins) = raw.origins.as_ref() else {
        if raw.rejected_keys.contains(&"origins") {
            return None;
        }
        diags.error(
            Code::NoOrigins,
            raw.span,
            "the policy has no `origins`",
            "add `origins:` with the origins allowed to call, e.g. [https://app.example.com]",
        );
        return None;
    };
    let entries = match &origins.value {
        RawList::Wildcard(span) => {
            check_wildcard(*span, ctx, diags);
            return Some(OriginSet::Any);
        }
        RawList::Items(entries) => entries,
    };
    if entries.is_empty() {
        diags.error(
            Code::NoOrigins,
            origins.span,
            "`origins` is empty: no origin would be allowed",
            "list the origins allowed to call, e.g. [https://app.example.com]",
        );
        return None;
    }

    let wildcard = entries
        .iter()
        .position(|e| matches!(e, RawOrigin::Text(t) if t.value == "*"));
    if let Some(i) = wildcard {
        check_wildcard(entries[i].span(), ctx, diags);
    }

    let regex_ctx = RegexContext {
        credentials: ctx.credentials,
        allow_insecure: ctx.allow_insecure,
        allow_public_suffix_wildcards: ctx.allow_public_suffix_wildcards,
    };
    let mut patterns: Vec<(OriginPattern, S)> = Vec::new();
    let mut regexes: Vec<RegexOrigin> = Vec::new();
    let mut regex_sources: Vec<&str> = Vec::new();
    let mut ok = true;
    for (i, entry) in entries.iter().enumerate() {
        match entry {
            RawOrigin::Text(t) if t.value == "*" => {
                if wildcard != Some(i) {
                    duplicate(diags, t.span, "*");
                }
            }
            RawOrigin::Text(t) => match parse_origin(&t.value) {
                Ok(pattern) => {
                    check_pattern(&pattern, t.span, ctx, diags);
                    if patterns.iter().any(|(p, _)| *p == pattern) {
                        duplicate(diags, t.span, &t.value);
                    } else {
                        patterns.push((pattern, t.span));
                    }
                }
                Err(e) => {
                    diags.error(e.code, t.span, e.message, e.help);
                    ok = false;
                }
            },
            RawOrigin::Regex(r) => {
                if regex_sources.contains(&r.value.as_str()) {
                    duplicate(diags, r.span, &r.value);
                    continue;
                }
                regex_sources.push(&r.value);
                match regex_proof::check_regex(&r.value, r.span, &regex_ctx, diags) {
                    Some(dfa) => regexes.push(RegexOrigin {
                        source: r.value.clone(),
                        dfa,
                    }),
                    None => ok = false,
                }
            }
        }
    }
    if wildcard.is_some() {
        for (pattern, span) in &patterns {
            shadowed(diags, *span, &pattern.to_policy_string(), "\"*\"");
        }
        return Some(OriginSet::Any);
    }
    check_shadowed(&patterns, &regexes, diags);
    ok.then(|| OriginSet::List {
        patterns: patterns.into_iter().map(|(p, _)| p).collect(),
        regexes,
    })
}

fn check_wildcard<S: Copy>(span: S, ctx: &Context, diags: &mut Diagnostics<S>) {
    // Why: browsers reject `Access-Control-Allow-Origin: *` on credentialed requests,
    // and the usual "fix", reflecting any origin with credentials, hands every site
    // the user's session.
    if ctx.credentials {
        diags.error(
            Code::CredentialsWithWildcardOrigin,
            span,
            "origins \"*\" with credentials: browsers refuse it, and reflecting every origin instead would let any site act as the user",
            "list the origins that may send credentials, or set credentials: false for a public API",
        );
    }
}

/// The rules that judge one parsed origin or pattern in the light of the policy.
fn check_pattern<S: Copy>(
    pattern: &OriginPattern,
    span: S,
    ctx: &Context,
    diags: &mut Diagnostics<S>,
) {
    let written = pattern.to_policy_string();
    // Why: anyone on the network path can inject script into a plain-HTTP page, and
    // that script would then read the user's credentialed responses ("reverse mixed
    // content"). Loopback cannot be intercepted, so local development stays easy.
    let host = match &pattern.host {
        HostPattern::Exact(h) | HostPattern::Subdomains(h) => h,
    };
    let loopback = match &pattern.host {
        HostPattern::Exact(h) => is_loopback_host(h),
        HostPattern::Subdomains(h) => h == "localhost" || h.ends_with(".localhost"),
    };
    if ctx.credentials
        && !ctx.allow_insecure
        && matches!(pattern.scheme.as_str(), "http" | "ws")
        && !loopback
    {
        diags.error(
            Code::InsecureOriginWithCredentials,
            span,
            format!("{written:?} is plain HTTP: a network attacker can inject script into it and read credentialed responses"),
            format!(
                "use \"https{}\", or set dangerously_allow_insecure_origins: true if you accept the risk",
                &written[pattern.scheme.len()..]
            ),
        );
    }
    // Why: anyone can register a name under a public suffix, so `*.github.io` or
    // `*.co.uk` allows origins the author does not control.
    if let HostPattern::Subdomains(parent) = &pattern.host {
        if !ctx.allow_public_suffix_wildcards && is_public_suffix(parent) {
            let message = format!(
                "{written:?}: {parent:?} is a public suffix, so anyone can register a matching origin"
            );
            let help = format!(
                "list your own domains (e.g. https://*.yours.{host}), or set dangerously_allow_public_suffix_wildcards: true"
            );
            if ctx.credentials {
                diags.error(Code::PublicSuffixWildcard, span, message, help);
            } else {
                diags.warning(Code::PublicSuffixWildcard, span, message, help);
            }
        }
    }
}

/// Why: an exact origin already allowed by a pattern or regex of the same list is dead
/// weight, and often a sign that the pattern is broader than intended.
fn check_shadowed<S: Copy>(
    patterns: &[(OriginPattern, S)],
    regexes: &[RegexOrigin],
    diags: &mut Diagnostics<S>,
) {
    use regex_automata::dfa::Automaton;
    use regex_automata::{Anchored, Input};
    for (exact, span) in patterns.iter().filter(|(p, _)| p.is_exact()) {
        let written = exact.to_policy_string();
        if let Some((by, _)) = patterns
            .iter()
            .find(|(p, _)| !p.is_exact() && p.covers(exact))
        {
            shadowed(diags, *span, &written, &by.to_policy_string());
            continue;
        }
        let input = Input::new(&written).anchored(Anchored::Yes);
        if let Some(by) = regexes
            .iter()
            .find(|r| matches!(r.dfa.try_search_fwd(&input), Ok(Some(_))))
        {
            shadowed(diags, *span, &written, &format!("regex {:?}", by.source));
        }
    }
}

fn shadowed<S: Copy>(diags: &mut Diagnostics<S>, span: S, written: &str, by: &str) {
    diags.warning(
        Code::ShadowedOrigin,
        span,
        format!("{written:?} is already allowed by {by}"),
        "remove it, or narrow the pattern if it allows more than you meant",
    );
}

/// Why: a repeated entry is harmless but usually a copy-paste slip hiding a missing one.
pub(super) fn duplicate<S: Copy>(diags: &mut Diagnostics<S>, span: S, what: &str) {
    diags.warning(
        Code::DuplicateEntry,
        span,
        format!("{what:?} is listed twice"),
        "remove the repetition",
    );
}
