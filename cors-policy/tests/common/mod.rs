//! Shared helpers of the integration tests: building a compiled policy from YAML text.

use cors_policy::Policy;

/// Loads, validates and compiles a one-policy YAML document with
/// `cors_policy::from_yaml`; an invalid test policy fails the test with its diagnostics.
pub fn policy(yaml: &str) -> Policy {
    match cors_policy::from_yaml(yaml) {
        Ok(p) => p,
        Err(e) => panic!("test policy is invalid: {e}\n{yaml}"),
    }
}
