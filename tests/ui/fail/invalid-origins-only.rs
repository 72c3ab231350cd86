use cors_policy::cors_policy;

// Every origin entry is rejected by the front end: reported once each, and not also
// as `no-origins`.
static API: cors_policy::Policy = cors_policy! {
    origins: [42, app.example.com],
};

fn main() {
    let _ = &API;
}
