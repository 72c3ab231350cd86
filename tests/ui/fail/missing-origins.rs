use cors_policy::cors_policy;

static API: cors_policy::Policy = cors_policy! {
    methods: [PUT],
};

fn main() {
    let _ = &API;
}
