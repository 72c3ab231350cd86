use cors_policy_macros::cors_policy;

static API: cors_policy::Policy = cors_policy!(policy = "app");

fn main() {
    let _ = &API;
}
