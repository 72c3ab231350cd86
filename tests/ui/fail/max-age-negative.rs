use cors_policy::cors_policy;

static API: cors_policy::Policy = cors_policy! {
    origins: ["https://app.example.com"],
    max_age: -1,
};

fn main() {
    let _ = &API;
}
