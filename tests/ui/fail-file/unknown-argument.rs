use cors_policy::cors_policy;

static API: cors_policy::Policy = cors_policy!(file = "fixtures/multi.yaml", polcy = "app");

fn main() {
    let _ = &API;
}
