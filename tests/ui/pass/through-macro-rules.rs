//! Values passed through `macro_rules!` arrive in invisible groups; they still parse.
#![deny(warnings)]

use cors_policy::Policy;
use cors_policy::cors_policy;

macro_rules! api_policy {
    ($origin:expr, $credentials:expr, $age:expr) => {
        cors_policy! { origins: [$origin], credentials: $credentials, max_age: $age }
    };
}

static API: Policy = api_policy!("https://app.example.com", true, 60);

fn main() {
    assert!(API.credentials);
    assert_eq!(API.max_age.as_deref(), Some("60"));
    // In expression position too, not only in items.
    let local: Policy = cors_policy! { origins: ["https://a.example.com"] };
    assert_eq!(local.exact_origins.len(), 1);
}
