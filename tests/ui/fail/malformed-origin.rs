use cors_policy::cors_policy;

static API: cors_policy::Policy = cors_policy! {
    origins: ["app.example.com", "https://api.example.com:99999"],
};

fn main() {
    let _ = &API;
}
