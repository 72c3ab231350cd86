use cors_policy::cors_policy;

static API: cors_policy::Policy = cors_policy! {
    origins: ["https://app.example.com"],
    methods: [PUT, M-SEARCH],
    allow_headers: [authorization, content-type, x-request-id],
};

fn main() {
    let _ = &API;
}
