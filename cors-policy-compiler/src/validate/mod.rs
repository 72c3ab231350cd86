//! Every semantic rule of the policy language, implemented once and used by the YAML
//! loader, the CLI and the macro alike.
//!
//! The rules are grouped by the key they are about (`origins`, `names` for methods
//! and headers, and the small ones below); each rule is one function or one clearly
//! marked block carrying the reason it exists. All findings are collected; none stops
//! the others.

mod names;
mod origins;

pub(crate) use names::{
    SAFELISTED_METHODS, SAFELISTED_REQUEST_HEADERS, SAFELISTED_RESPONSE_HEADERS,
};

use crate::diagnostic::{Code, Diagnostics};
use crate::model::{OriginSet, ValidPolicy};
use crate::raw::{RawPolicy, Spanned};
use crate::regex_proof::{Budget, POLICY_BUDGET};

/// Checks every rule on `raw`, reporting all findings into `diags`.
///
/// Returns the typed policy when this call reported no error; warnings and notes do
/// not prevent it.
///
/// The regexes are analyzed within one counted budget
/// (a fixed number of steps, see `docs/regex-proof.md`), so that validating a policy costs a
/// bounded amount of work whatever its regexes.
pub fn validate<S: Copy>(raw: &RawPolicy<S>, diags: &mut Diagnostics<S>) -> Option<ValidPolicy> {
    validate_within(raw, &mut Budget::new(POLICY_BUDGET), diags)
}

/// [`validate`], paying for the regex analysis from `budget` (one per file: loading a
/// file of many policies costs at most one budget too).
pub(crate) fn validate_within<S: Copy>(
    raw: &RawPolicy<S>,
    budget: &mut Budget,
    diags: &mut Diagnostics<S>,
) -> Option<ValidPolicy> {
    let errors_before = diags.count(crate::Severity::Error);
    let flag = |v: &Option<Spanned<bool, S>>| v.as_ref().is_some_and(|b| b.value);
    let ctx = Context {
        credentials: flag(&raw.credentials),
        allow_insecure: flag(&raw.dangerously_allow_insecure_origins),
        allow_public_suffix_wildcards: flag(&raw.dangerously_allow_public_suffix_wildcards),
    };

    let checked = origins::check(raw, &ctx, budget, diags);
    let origins = checked.set;
    let methods = raw
        .methods
        .as_ref()
        .map(|m| names::check_methods(&m.value, diags))
        .unwrap_or_default();
    let allow_headers = raw
        .allow_headers
        .as_ref()
        .map(|h| names::check_allow_headers(h, diags))
        .unwrap_or_default();
    let expose_headers = raw
        .expose_headers
        .as_ref()
        .map(|h| names::check_expose_headers(h, &ctx, diags))
        .unwrap_or_default();
    let max_age = raw.max_age.as_ref().and_then(|m| check_max_age(m, diags));
    let allow_private_network = flag(&raw.allow_private_network);
    check_private_network(raw, origins.as_ref(), checked.opens_to_strangers, diags);

    if diags.count(crate::Severity::Error) > errors_before {
        return None;
    }
    Some(ValidPolicy {
        name: raw.name.as_ref().map(|n| n.value.clone()),
        origins: origins?,
        credentials: ctx.credentials,
        methods,
        allow_headers,
        expose_headers,
        max_age,
        allow_private_network,
    })
}

/// The policy-wide settings that change how individual entries are judged.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Context {
    /// `credentials: true`.
    pub credentials: bool,
    /// `dangerously_allow_insecure_origins: true`.
    pub allow_insecure: bool,
    /// `dangerously_allow_public_suffix_wildcards: true`.
    pub allow_public_suffix_wildcards: bool,
}

/// The largest `max_age` any browser honours (Firefox); Chromium caps at 7200, WebKit
/// at 600.
const MAX_AGE_LIMIT: i64 = 86_400;
/// Chromium's cap.
const MAX_AGE_CHROMIUM: i64 = 7_200;

fn check_max_age<S: Copy>(max_age: &Spanned<i64, S>, diags: &mut Diagnostics<S>) -> Option<u32> {
    let value = max_age.value;
    // Why: a negative value is not valid `delta-seconds` (browsers disagree on what it
    // means), and nothing honours more than a day: 1728000 from old guides is a myth.
    if !(0..=MAX_AGE_LIMIT).contains(&value) {
        diags.error(
            Code::MaxAgeOutOfRange,
            max_age.span,
            format!("max_age {value} is outside 0..=86400 seconds"),
            "write at most 86400 (one day); 600 suits every browser, 0 disables preflight caching",
        );
        return None;
    }
    // Why: the author may count on a cache lifetime no browser gives.
    if value > MAX_AGE_CHROMIUM {
        diags.note(
            Code::MaxAgeCappedByBrowsers,
            max_age.span,
            format!("max_age {value}: Chromium caps preflight caching at 7200 seconds and WebKit at 600"),
            "write 7200 or less to get what you ask for in every Chromium browser",
        );
    }
    u32::try_from(value).ok()
}

fn check_private_network<S: Copy>(
    raw: &RawPolicy<S>,
    origins: Option<&OriginSet>,
    opens_to_strangers: Option<(S, String)>,
    diags: &mut Diagnostics<S>,
) {
    let Some(pna) = raw.allow_private_network.as_ref().filter(|p| p.value) else {
        return;
    };
    // Why: Private Network Access exists so that any web page cannot reach devices
    // on the user's network; answering it for every origin undoes the protection
    // (Flask-CORS CVE-2024-6221). So does answering it for every origin of a scheme,
    // or for names under a public suffix, which anyone can register.
    if matches!(origins, Some(OriginSet::Any)) {
        diags.error(
            Code::PrivateNetworkWithWildcardOrigin,
            pna.span,
            "allow_private_network with origins \"*\" lets every web page reach this private-network service",
            "list the origins that may reach it",
        );
    } else if let Some((_, example)) = opens_to_strangers {
        diags.error(
            Code::PrivateNetworkWithWildcardOrigin,
            pna.span,
            format!("allow_private_network with an origin entry that lets in origins anyone can own, such as {example:?}: any such web page could reach this private-network service"),
            "list the exact origins that may reach it (no regex or pattern over a public suffix or every host)",
        );
    }
}
