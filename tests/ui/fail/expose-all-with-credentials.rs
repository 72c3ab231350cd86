use cors_policy::cors_policy;

static API: cors_policy::Policy = cors_policy! {
    origins: ["https://app.example.com"],
    credentials: true,
    expose_headers: "*",
};

fn main() {
    let _ = &API;
}
