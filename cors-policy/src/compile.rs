//! Validated policy -> static matcher tables ([`Policy`]).

use crate::model::ValidPolicy;
use crate::table::Policy;

/// Compiles a validated policy into request-time tables.
pub fn compile(valid: &ValidPolicy) -> Policy {
    let _ = valid;
    todo!("compile")
}
