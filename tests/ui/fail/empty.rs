use cors_policy_macros::cors_policy;

const API: cors_policy::Policy = cors_policy! {};

fn main() {
    let _ = API;
}
