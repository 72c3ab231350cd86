use cors_policy::cors_policy;

// A regex copied from YAML into a normal Rust string: `\.` is no Rust escape.
static API: cors_policy::Policy = cors_policy! {
    origins: [regex("^https://api\.example\.com$")],
};

fn main() {
    let _ = &API;
}
