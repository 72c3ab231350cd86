use cors_policy::cors_policy;

const API: cors_policy::Policy = cors_policy! {};

fn main() {
    let _ = API;
}
