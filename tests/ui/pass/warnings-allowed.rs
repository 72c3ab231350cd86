//! Warning-severity findings are `deprecated` warnings: `#[allow(deprecated)]` on the
//! item silences them even in a crate that denies warnings.
#![deny(warnings)]

use cors_policy::Policy;
use cors_policy::cors_policy;

#[allow(deprecated)]
static PUBLIC_SUFFIX: Policy = cors_policy! {
    origins: ["https://*.github.io", "https://app.example.com", "https://app.example.com"],
};

fn main() {
    assert_eq!(PUBLIC_SUFFIX.host_patterns.len(), 1);
}
