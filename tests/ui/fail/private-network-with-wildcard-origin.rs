use cors_policy::cors_policy;

static API: cors_policy::Policy = cors_policy! {
    origins: "*",
    allow_private_network: true,
};

fn main() {
    let _ = &API;
}
