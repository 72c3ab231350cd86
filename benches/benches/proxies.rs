//! Emitted nginx and Apache configuration at scale: does a 1,000-origin policy load and
//! answer as fast as a 1-origin one? Real servers on loopback (see
//! `tests/src/servers.rs`); a preflight is answered by the server itself, so its round
//! trip is the CORS work plus one loopback HTTP exchange. Skips a server that is not
//! installed. Results in `docs/emit.md`.

// criterion's macros generate undocumented public functions.
#![allow(missing_docs)]

use std::path::Path;
use std::time::Duration;

use cors_policy::compiler::emit::{self, NginxContext};
use cors_policy::compiler::load::load_yaml;
use cors_policy::compiler::model::ValidPolicy;
use cors_policy_tests::http1::{Client, RawRequest};
use cors_policy_tests::servers::{find_tool, Apache, ApacheContext, Nginx, Server, APACHE_MODULES};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};

fn policy(origins: usize) -> ValidPolicy {
    let mut yaml = String::from("origins:\n");
    // The origin the requests use is the last one written.
    for i in (0..origins).rev() {
        yaml.push_str(&format!("  - https://app-{i:04}.example.com\n"));
    }
    yaml.push_str("credentials: true\nmethods: [PUT]\nallow_headers: [X-Trace]\n");
    let file = load_yaml(&yaml);
    file.select(None)
        .expect("one policy")
        .valid
        .clone()
        .expect("bench policy is valid")
}

struct Configs {
    http: String,
    server: String,
    apache: String,
}

fn configs(p: &ValidPolicy) -> Configs {
    Configs {
        http: emit::nginx(p, NginxContext::Http).expect("emits"),
        server: emit::nginx(p, NginxContext::Server).expect("emits"),
        apache: emit::apache(p).expect("emits"),
    }
}

fn nginx<'a>(c: &'a Configs) -> Nginx<'a> {
    Nginx {
        http_part: &c.http,
        server_part: &c.server,
        server_block: None,
    }
}

fn apache<'a>(c: &'a Configs) -> Apache<'a> {
    Apache {
        snippet: &c.apache,
        context: ApacheContext::VirtualHost,
        virtual_host: None,
    }
}

fn preflight(origin: &str) -> RawRequest {
    RawRequest::new("OPTIONS")
        .header("Origin", origin)
        .header("Access-Control-Request-Method", "PUT")
        .header("Access-Control-Request-Headers", "x-trace")
}

fn answer(c: &mut Criterion, server: &str, start: &dyn Fn(&Configs) -> Server) {
    let mut group = c.benchmark_group(format!("{server}/preflight"));
    for origins in [1, 1000] {
        let configs = configs(&policy(origins));
        let running = start(&configs);
        let mut client = Client::new(running.addr);
        for (what, origin) in [
            ("allowed", "https://app-0000.example.com"),
            ("denied", "https://evil.example.com"),
        ] {
            let request = preflight(origin);
            let expected = if what == "allowed" { 204 } else { 403 };
            let status = client.send("/", &request).expect("answer").status;
            assert_eq!(status, expected, "{server} {origins} {what}");
            group.bench_function(BenchmarkId::new(what, format!("{origins} origins")), |b| {
                b.iter(|| client.send("/", &request).expect("answer"))
            });
        }
    }
    group.finish();
}

fn load(c: &mut Criterion, server: &str, test: &dyn Fn(&Configs)) {
    let mut group = c.benchmark_group(format!("{server}/load (-t)"));
    group.sample_size(10);
    for origins in [1, 1000] {
        let configs = configs(&policy(origins));
        group.bench_function(format!("{origins} origins"), |b| b.iter(|| test(&configs)));
    }
    group.finish();
}

fn bench(c: &mut Criterion) {
    if let Some(bin) = find_tool("nginx") {
        answer(c, "nginx", &|cf| {
            nginx(cf).start(&bin).expect("nginx starts")
        });
        load(c, "nginx", &|cf| {
            nginx(cf).test(&bin).expect("nginx -t");
        });
    } else {
        eprintln!("SKIPPED: nginx is not installed");
    }
    match find_tool("apache2") {
        Some(bin) if Path::new(APACHE_MODULES).is_dir() => {
            answer(c, "apache", &|cf| {
                apache(cf).start(&bin).expect("apache2 starts")
            });
            load(c, "apache", &|cf| {
                apache(cf).test(&bin).expect("apache2 -t");
            });
        }
        _ => eprintln!("SKIPPED: apache2 is not installed"),
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    targets = bench
}
criterion_main!(benches);
