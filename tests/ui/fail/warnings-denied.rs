//! Warning-severity findings surface as `deprecated` warnings on the offending token;
//! a crate that denies warnings sees them as errors.
#![deny(warnings)]

use cors_policy::cors_policy;

static PUBLIC_SUFFIX: cors_policy::Policy = cors_policy! {
    origins: ["https://*.github.io", "https://app.example.com", "https://app.example.com"],
    allow_headers: "*",
};

fn main() {
    let _ = &PUBLIC_SUFFIX;
}
