use cors_policy::cors_policy;

static API: cors_policy::Policy = cors_policy! {
    origins: ["https://app.example.com"],
    max_age: 99999999999999999999,
};

fn main() {
    let _ = &API;
}
