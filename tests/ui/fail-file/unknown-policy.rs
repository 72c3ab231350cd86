use cors_policy::cors_policy;

static API: cors_policy::Policy = cors_policy!(file = "fixtures/multi.yaml", policy = "admin");

fn main() {
    let _ = &API;
}
