use cors_policy::cors_policy;

static API: cors_policy::Policy = cors_policy!(file = "/etc/cors/api.yaml");

fn main() {
    let _ = &API;
}
