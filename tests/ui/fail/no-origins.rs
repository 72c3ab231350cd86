use cors_policy::cors_policy;

static API: cors_policy::Policy = cors_policy! {
    origins: [],
    methods: [PUT],
};

fn main() {
    let _ = &API;
}
