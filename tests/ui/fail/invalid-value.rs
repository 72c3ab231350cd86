use cors_policy::cors_policy;

static API: cors_policy::Policy = cors_policy! {
    origins: "https://app.example.com",
    credentials: "yes",
    methods: PUT,
    allow_headers: [x_request_id],
    max_age: 10m,
    allow_private_network: 1,
};

fn main() {
    let _ = &API;
}
