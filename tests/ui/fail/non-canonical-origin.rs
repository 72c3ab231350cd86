use cors_policy::cors_policy;

static API: cors_policy::Policy = cors_policy! {
    origins: ["https://App.Example.com", "https://api.example.com:443"],
};

fn main() {
    let _ = &API;
}
