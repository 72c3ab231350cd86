use cors_policy::cors_policy;

static API: cors_policy::Policy = cors_policy! {
    origins: ["https://app.example.com"],
    origins: ["https://other.example.com"],
};

fn main() {
    let _ = &API;
}
