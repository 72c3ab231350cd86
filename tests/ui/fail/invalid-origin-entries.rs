use cors_policy::cors_policy;

static API: cors_policy::Policy = cors_policy! {
    origins: ["https://app.example.com", 42, regex(), regex("a", "b"), regx("^https://a\\.com$")],
};

fn main() {
    let _ = &API;
}
