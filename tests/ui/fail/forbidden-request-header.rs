use cors_policy::cors_policy;

static API: cors_policy::Policy = cors_policy! {
    origins: ["https://app.example.com"],
    allow_headers: ["authorization", "Cookie"],
};

fn main() {
    let _ = &API;
}
