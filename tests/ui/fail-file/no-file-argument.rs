use cors_policy::cors_policy;

static API: cors_policy::Policy = cors_policy!(policy = "app");

fn main() {
    let _ = &API;
}
