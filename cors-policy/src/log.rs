//! What the adapters log, through `tracing` (target `cors_policy`): why a CORS request
//! was denied, at `debug`, with the same [`Reason`](crate::engine::Reason) text that
//! `cors-policy check` prints; and an application header the policy overrode. Nothing
//! is logged for an allowed request, and nothing is formatted unless a subscriber
//! wants the event.

use std::sync::atomic::{AtomicBool, Ordering};

use crate::engine::{Decision, Request};

/// Logs why `decision` denied `request`, at `debug`; nothing when it did not.
pub(crate) fn denial(decision: &Decision<'_>, request: &Request<'_>) {
    if !decision.reason().is_denial() {
        return;
    }
    let origin = request
        .origin
        .lines()
        .and_then(|lines| lines.first().copied())
        .unwrap_or_default();
    tracing::debug!(
        target: "cors_policy",
        kind = decision.kind().as_str(),
        method = %String::from_utf8_lossy(request.method),
        origin = %String::from_utf8_lossy(&origin[..origin.len().min(256)]),
        reason = %decision.reason(),
        "CORS request denied: {}",
        decision.reason()
    );
}

/// Whether an override was already logged at `warn`.
static WARNED: AtomicBool = AtomicBool::new(false);

/// Logs that the application set a CORS response header the policy owns (and so
/// replaced or removed): `warn` the first time in the process (two CORS layers, or an
/// application that sets its own, is a configuration mistake), `debug` after.
pub(crate) fn overridden(name: &str, value: &[u8]) {
    let value = String::from_utf8_lossy(&value[..value.len().min(256)]);
    if !WARNED.swap(true, Ordering::Relaxed) {
        tracing::warn!(
            target: "cors_policy",
            header = name,
            value = %value,
            "the application set {name} on a CORS response; the policy's answer replaces it \
             (logged once at warn, then at debug)"
        );
    } else {
        tracing::debug!(
            target: "cors_policy",
            header = name,
            value = %value,
            "the application set {name} on a CORS response; the policy's answer replaces it"
        );
    }
}
