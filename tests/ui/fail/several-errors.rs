use cors_policy::cors_policy;

static API: cors_policy::Policy = cors_policy! {
    origins: ["https://app.example.com/", "null", "http://api.example.com", "https://*.com"],
    credentials: true,
    methods: [PUT, CONNECT],
    allow_headers: ["cookie", "content-type"],
    expose_headers: "*",
    max_age: 100000,
    allow_privat_network: true,
};

fn main() {
    let _ = &API;
}
