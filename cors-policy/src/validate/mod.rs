//! Every semantic rule of the policy language, implemented once and used by the YAML
//! loader, the CLI and the macro alike. One function per rule, each with the reason it
//! exists.

use crate::diagnostic::Diagnostics;
use crate::model::ValidPolicy;
use crate::raw::RawPolicy;

/// Checks every rule on `raw`, reporting all findings into `diags`.
///
/// Returns the typed policy when nothing prevents building one. The caller decides
/// what errors mean; a policy is usable only when `diags` holds no error.
pub fn validate<S: Copy>(raw: &RawPolicy<S>, diags: &mut Diagnostics<S>) -> Option<ValidPolicy> {
    let _ = (raw, diags);
    todo!("validate")
}
