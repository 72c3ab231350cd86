use cors_policy::cors_policy;

static API: cors_policy::Policy = cors_policy! {
    origins: ["https://app.example.com"],
    expose_headers: ["x-request-id", "Set-Cookie"],
};

fn main() {
    let _ = &API;
}
