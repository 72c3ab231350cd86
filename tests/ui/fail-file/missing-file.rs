use cors_policy::cors_policy;

static API: cors_policy::Policy = cors_policy!(file = "fixtures/does-not-exist.yaml");

fn main() {
    let _ = &API;
}
