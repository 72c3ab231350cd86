use cors_policy::cors_policy;

static API: cors_policy::Policy = cors_policy! {
    origins: ["https://*.github.io"],
    credentials: true,
};

fn main() {
    let _ = &API;
}
