//! `cors-policy emit` on real servers: the generated nginx and Apache configuration
//! loads (`nginx -t`, `apache2 -t`), and answers every request of a corpus the way the
//! Rust engine does, judged by the Fetch standard's CORS checks as a browser applies
//! them ([`cors_policy_tests::fetch_check`]).
//!
//! Each server is started once per policy (loopback, ephemeral port, its own temporary
//! directory) and requests reuse one kept-alive connection. Without nginx or apache2
//! the tests print why and skip; with `CI=true` they fail.

use std::path::{Path, PathBuf};
use std::time::Instant;

use cors_policy::compiler::emit::{self, NginxContext};
use cors_policy::compiler::load::load_yaml;
use cors_policy::compiler::model::{HostPattern, OriginSet, PortPattern, ValidPolicy};
use cors_policy_tests::engine_answer::engine_answer;
use cors_policy_tests::fetch_check::{
    actual_verdict, normalize_method, preflight_verdict, Fetch, Response,
};
use cors_policy_tests::http1::{Client, RawRequest};
use cors_policy_tests::servers::{
    apache_preamble, nginx_http_paths, nginx_preamble, require_tool, start_apache_config,
    start_nginx_config, Apache, ApacheContext, Nginx, Server,
};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// One policy under test, and origins it allows (beside its exact ones).
struct Case {
    label: String,
    policy: ValidPolicy,
    witnesses: Vec<String>,
}

/// Every valid policy of a YAML file.
fn cases(path: &Path, extra_witnesses: &[&str]) -> Vec<Case> {
    let text = std::fs::read_to_string(path).unwrap();
    let file = load_yaml(&text);
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    file.policies
        .iter()
        .filter_map(|p| {
            let policy = p.valid.clone()?;
            let mut witnesses = witnesses(&policy);
            witnesses.extend(extra_witnesses.iter().map(|s| s.to_string()));
            Some(Case {
                label: match &p.name {
                    Some(n) => format!("{name}#{n}"),
                    None => name.clone(),
                },
                policy,
                witnesses,
            })
        })
        .collect()
}

/// Origins a policy allows, derived from its exact origins and patterns (regexes need
/// witnesses given by hand).
fn witnesses(policy: &ValidPolicy) -> Vec<String> {
    let OriginSet::List { patterns, .. } = &policy.origins else {
        return vec![
            "https://anything.example".into(),
            "http://localhost:3000".into(),
        ];
    };
    let mut out = Vec::new();
    // A sample of long lists: the first, the last and a few between.
    let step = (patterns.len() / 8).max(1);
    for p in patterns.iter().step_by(step).chain(patterns.last()) {
        let hosts = match &p.host {
            HostPattern::Exact(h) => vec![h.clone()],
            HostPattern::Subdomains(parent) => {
                vec![format!("a.{parent}"), format!("x-1.y_2.{parent}")]
            }
        };
        let ports: Vec<String> = match p.port {
            PortPattern::Default => vec![String::new()],
            PortPattern::Exact(n) => vec![format!(":{n}")],
            PortPattern::Any => vec![String::new(), ":1".into(), ":8080".into(), ":65535".into()],
        };
        for h in &hosts {
            for port in &ports {
                out.push(format!("{}://{h}{port}", p.scheme));
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The scanners' attacker origins around one allowed origin (security-and-spec §1e).
fn mutations(origin: &str) -> Vec<String> {
    let Some((scheme, rest)) = origin.split_once("://") else {
        return vec![];
    };
    let (host, port) = match rest.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(']') || rest.starts_with('[') => (h, Some(p)),
        _ => (rest, None),
    };
    let other_scheme = if scheme == "https" { "http" } else { "https" };
    let mut out = vec![
        format!("{origin}.evil.com"),
        format!("{scheme}://evil{host}"),
        format!("{scheme}://evil.{host}"),
        format!("{scheme}://{host}_.evil.com"),
        format!("{scheme}://{host}%60.evil.com"),
        format!("{scheme}://{host}`.evil.com"),
        format!("{other_scheme}://{rest}"),
        format!("{origin}/"),
        origin.to_ascii_uppercase(),
        format!("{scheme}://{}", capitalize(rest)),
        format!("{scheme}://{host}:443"),
        format!("{scheme}://{host}:80"),
        format!("{scheme}://{host}:8443"),
        format!("{scheme}://{host}:08080"),
        format!("{scheme}://{}{}", "a".repeat(4100), host),
        "null".into(),
        // Not visible ASCII: never a serialized origin.
        format!("{scheme}://{host}\u{e9}"),
        format!("{origin}\tx"),
    ];
    if port.is_some() {
        out.push(format!("{scheme}://{host}"));
    }
    if let Some(i) = host.find('.') {
        out.push(format!("{scheme}://{}x{}", &host[..i], &host[i + 1..]));
    }
    if let Some(i) = host.rfind('.') {
        out.push(format!("{scheme}://{}a{}", &host[..i], &host[i + 1..]));
    }
    out
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
        .unwrap_or_default()
}

fn preflight(origin: &str, method: &str, headers: Option<&str>) -> RawRequest {
    let mut r = RawRequest::new("OPTIONS")
        .header("Origin", origin)
        .header("Access-Control-Request-Method", method);
    if let Some(h) = headers {
        r = r.header("Access-Control-Request-Headers", h);
    }
    r
}

/// The request corpus of a case: requests without Origin, every witness with actual
/// requests and a matrix of preflights, every attacker origin with a few requests.
fn corpus(case: &Case, full: bool) -> Vec<RawRequest> {
    let mut out = vec![
        RawRequest::new("GET"),
        RawRequest::new("OPTIONS"),
        RawRequest::new("OPTIONS").header("Access-Control-Request-Method", "PUT"),
    ];
    let methods = ["GET", "PUT", "DELETE", "PATCH", "patch", "X-CUSTOM"];
    let headers: [Option<&str>; 8] = [
        None,
        Some("x-trace"),
        Some("content-type,x-trace"),
        Some("authorization"),
        Some("x-evil"),
        Some("X-Trace , Content-Type"),
        Some("x-trace,,content-type"),
        Some("x trace"),
    ];
    let mut attackers = Vec::new();
    for w in &case.witnesses {
        out.push(RawRequest::new("GET").header("Origin", w));
        out.push(RawRequest::new("PUT").header("Origin", w));
        out.push(RawRequest::new("OPTIONS").header("Origin", w));
        out.push(
            preflight(w, "PUT", Some("x-trace"))
                .header("Access-Control-Request-Private-Network", "true"),
        );
        if full {
            for m in methods {
                for h in headers {
                    out.push(preflight(w, m, h));
                }
            }
        } else {
            out.push(preflight(w, "PUT", None));
            out.push(preflight(w, "DELETE", Some("content-type")));
            out.push(preflight(w, "GET", Some("authorization")));
        }
        attackers.extend(mutations(w));
    }
    attackers.sort();
    attackers.dedup();
    attackers.retain(|a| !case.witnesses.contains(a));
    for a in &attackers {
        out.push(RawRequest::new("GET").header("Origin", a));
        out.push(preflight(a, "PUT", Some("x-trace")));
        out.push(preflight(a, "GET", None));
    }
    out
}

/// Everything a browser (and a cache) takes from one answer.
fn fingerprint(request: &RawRequest, response: &Response, with_status: bool) -> String {
    let origin = request.values("origin");
    let acrm = request.values("access-control-request-method");
    let is_preflight = request.method == "OPTIONS" && !origin.is_empty() && !acrm.is_empty();
    let mut verdicts = Vec::new();
    if let [origin] = origin[..] {
        for credentials in [false, true] {
            let verdict = if is_preflight {
                let unsafe_headers = request
                    .values("access-control-request-headers")
                    .iter()
                    .flat_map(|l| l.split(','))
                    .map(|h| h.trim().to_ascii_lowercase())
                    .filter(|h| !h.is_empty())
                    .collect();
                let fetch = Fetch {
                    origin: origin.to_owned(),
                    credentials,
                    method: normalize_method(acrm[0]),
                    unsafe_headers,
                };
                preflight_verdict(&fetch, response)
            } else {
                let fetch = Fetch {
                    origin: origin.to_owned(),
                    credentials,
                    method: request.method.clone(),
                    unsafe_headers: vec![],
                };
                actual_verdict(&fetch, response)
            };
            verdicts.push(format!("{verdict:?}"));
        }
    }
    let mut vary = response.vary();
    vary.retain(|v| v != "accept-encoding");
    let get = |n: &str| response.get(n).unwrap_or_default();
    let any_cors = response
        .headers
        .iter()
        .any(|(n, _)| n.to_ascii_lowercase().starts_with("access-control-"));
    let status = if with_status || is_preflight {
        response.status.to_string()
    } else {
        "-".into()
    };
    format!(
        "verdicts {verdicts:?}; status {status}; acao {:?}; acac {:?}; acam {:?}; acma {:?}; aceh {:?}; acapn {:?}; vary {vary:?}; any access-control-* {any_cors}",
        get("access-control-allow-origin"),
        get("access-control-allow-credentials"),
        get("access-control-allow-methods"),
        get("access-control-max-age"),
        get("access-control-expose-headers"),
        get("access-control-allow-private-network"),
    )
}

/// The configuration of a case for both servers.
struct Configs {
    nginx_http: String,
    nginx_server: String,
    apache: String,
}

fn configs(case: &Case) -> Configs {
    Configs {
        nginx_http: emit::nginx(&case.policy, NginxContext::Http).unwrap(),
        nginx_server: emit::nginx(&case.policy, NginxContext::Server).unwrap(),
        apache: emit::apache(&case.policy).unwrap(),
    }
}

struct Tools {
    nginx: PathBuf,
    apache: PathBuf,
}

fn tools() -> Option<Tools> {
    let nginx = require_tool("nginx");
    let apache = require_tool("apache2");
    Some(Tools {
        nginx: nginx?,
        apache: apache?,
    })
}

/// Sends the corpus to the engine, nginx and Apache; returns how many requests went
/// to each and every difference, described with the request and the three answers.
fn differential(
    case: &Case,
    tools: &Tools,
    full: bool,
    apache_context: ApacheContext,
) -> (usize, Vec<String>) {
    let c = configs(case);
    let nginx = Nginx {
        http_part: &c.nginx_http,
        server_part: &c.nginx_server,
        server_block: None,
    };
    let apache = Apache {
        snippet: &c.apache,
        context: apache_context,
        virtual_host: None,
    };
    let nginx_server = started(case, nginx.start(&tools.nginx), "nginx");
    let apache_server = started(case, apache.start(&tools.apache), "apache2");
    let proxied = apache_context == ApacheContext::VirtualHost;
    compare(
        case,
        &nginx_server,
        &apache_server,
        &corpus(case, full),
        |i| {
            // Static files: every other request misses, and Apache answers it through
            // `ErrorDocument 404 /x`, an internal redirect.
            if proxied || i % 2 == 0 {
                "/x"
            } else {
                "/missing"
            }
        },
        proxied,
    )
}

fn started(case: &Case, server: Result<Server, String>, what: &str) -> Server {
    server.unwrap_or_else(|e| panic!("{}: {what} did not start: {e}", case.label))
}

/// Sends `requests` to both servers (at `path(i)`) and compares their answers with
/// the engine's; `proxied`: Apache's answers come from the upstream, so their status
/// is compared too.
fn compare(
    case: &Case,
    nginx_server: &Server,
    apache_server: &Server,
    requests: &[RawRequest],
    path: impl Fn(usize) -> &'static str,
    proxied: bool,
) -> (usize, Vec<String>) {
    let compiled = cors_policy::compiler::compile::compile(&case.policy);
    let engine = compiled.engine().unwrap();
    let mut to_nginx = Client::new(nginx_server.addr);
    let mut to_apache = Client::new(apache_server.addr);
    let mut failures = Vec::new();
    let (mut allowed, mut blocked) = (0, 0);
    for (i, request) in requests.iter().enumerate() {
        let from_engine = engine_answer(&engine, request);
        let from_nginx = to_nginx
            .send(path(i), request)
            .unwrap_or_else(|e| panic!("{}: nginx: {e}: {}", case.label, nginx_server.error_log()));
        let from_apache = to_apache.send(path(i), request).unwrap_or_else(|e| {
            panic!("{}: apache: {e}: {}", case.label, apache_server.error_log())
        });
        let want = fingerprint(request, &from_engine, true);
        if want.starts_with("verdicts [\"Blocked\"") {
            blocked += 1;
        } else if !want.starts_with("verdicts []") {
            allowed += 1;
        }
        let got_nginx = fingerprint(request, &from_nginx, true);
        let got_apache = fingerprint(request, &from_apache, proxied);
        let want_apache = fingerprint(request, &from_engine, proxied);
        if want != got_nginx || want_apache != got_apache {
            failures.push(format!(
                "{}: {} {:?}\n  engine: {want}\n  nginx:  {got_nginx}\n  apache: {got_apache}\n  raw engine: {from_engine:?}\n  raw nginx:  {from_nginx:?}\n  raw apache: {from_apache:?}",
                case.label, request.method, request.headers
            ));
        }
    }
    // A corpus that the engine answers all one way would prove nothing.
    assert!(
        allowed > 0 && blocked > 0,
        "{}: {allowed} allowed, {blocked} blocked",
        case.label
    );
    (requests.len(), failures)
}

fn report(results: Vec<(usize, Vec<String>)>, at_least: usize, started: Instant) {
    let total: usize = results.iter().map(|r| r.0).sum();
    let failures: Vec<String> = results.into_iter().flat_map(|r| r.1).collect();
    eprintln!(
        "{total} requests x 3 backends in {:.1} s, {} differences",
        started.elapsed().as_secs_f64(),
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {total} answers differ:\n{}",
        failures.len(),
        failures
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(total >= at_least, "{total} requests");
}

#[test]
fn engine_nginx_and_apache_give_browsers_the_same_verdicts() {
    let Some(tools) = tools() else { return };
    let started = Instant::now();
    let dir = root().join("tests/fixtures/proxies");
    let mut all = Vec::new();
    all.extend(cases(&dir.join("exact.yaml"), &[]));
    all.extend(cases(&dir.join("subdomains.yaml"), &[]));
    all.extend(cases(&dir.join("ports.yaml"), &[]));
    all.extend(cases(
        &dir.join("regex.yaml"),
        &[
            "https://eu-1.api.example.com",
            "https://us-42.api.example.com",
            "https://t.tenants.example.net",
            "https://a-b-c.tenants.example.net",
            "https://shop.example.io",
            "https://www.shop.example.io:8443",
        ],
    ));
    all.extend(cases(
        &dir.join("regex-syntax.yaml"),
        &[
            "https://app.example.com",
            "HTTPS://APP.EXAMPLE.COM",
            "https://App.Example.Com",
            "https://x_y.neg.example.com",
            "https://a.example.com",
            "https://b.example.com",
            "https://c.example.com",
            "https://d.example.com",
            "https://e.example.com",
            "https://ff.example.com",
            "https://fff.example.com:8080",
            "https://h.example.com",
            "https://gh.example.com",
            "https://a-b-c.k.example.com",
            "http://l.example.com:8080",
            "https://l.example.com",
        ],
    ));
    all.extend(cases(&dir.join("public.yaml"), &[]));
    all.extend(cases(&dir.join("thousand.yaml"), &[]));
    assert_eq!(all.len(), 7);
    let results: Vec<_> = all
        .iter()
        .map(|case| differential(case, &tools, true, ApacheContext::VirtualHost))
        .collect();
    report(results, 500 * 7, started);
}

#[test]
fn example_and_fixture_policies_load_and_answer_like_the_engine() {
    let Some(tools) = tools() else { return };
    let started = Instant::now();
    let mut all = Vec::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("examples/policies"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    for f in ["api.yaml", "multi.yaml", "large.yaml"] {
        files.push(root().join("tests/fixtures").join(f));
    }
    for f in &files {
        all.extend(cases(
            f,
            &[
                "https://eu-1.example.com",
                "https://us-7.partner.example.com",
            ],
        ));
    }
    assert!(all.len() >= 9, "{} policies", all.len());
    for case in &all {
        let c = configs(case);
        let nginx = Nginx {
            http_part: &c.nginx_http,
            server_part: &c.nginx_server,
            server_block: None,
        };
        nginx
            .test(&tools.nginx)
            .unwrap_or_else(|e| panic!("{}: nginx -t: {e}", case.label));
        for context in [
            ApacheContext::VirtualHost,
            ApacheContext::Directory,
            ApacheContext::Htaccess,
        ] {
            let apache = Apache {
                snippet: &c.apache,
                context,
                virtual_host: None,
            };
            apache
                .test(&tools.apache)
                .unwrap_or_else(|e| panic!("{}: apache2 -t ({context:?}): {e}", case.label));
        }
    }
    let results: Vec<_> = all
        .iter()
        .map(|case| differential(case, &tools, false, ApacheContext::VirtualHost))
        .collect();
    report(results, 9 * 50, started);
}

#[test]
fn apache_directory_and_htaccess_answer_like_the_engine_on_static_files_and_error_pages() {
    let Some(tools) = tools() else { return };
    let started = Instant::now();
    let case = cases(&root().join("examples/policies/spa-api.yaml"), &[]).remove(0);
    let results = vec![
        differential(&case, &tools, false, ApacheContext::Directory),
        differential(&case, &tools, false, ApacheContext::Htaccess),
    ];
    report(results, 100, started);
}

/// The README's complete examples, loaded as they are (only the paths, the port and the
/// application's address changed), answer like the engine.
#[test]
fn readme_examples_load_and_answer_like_the_engine() {
    let Some(tools) = tools() else { return };
    let started_at = Instant::now();
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let nginx_example =
        std::fs::read_to_string(root().join("examples/servers/nginx.conf")).unwrap();
    let apache_example =
        std::fs::read_to_string(root().join("examples/servers/apache.conf")).unwrap();
    assert!(readme.contains(&format!("```nginx\n{nginx_example}```")));
    assert!(readme.contains(&format!("```apache\n{apache_example}```")));
    let case = cases(&root().join("examples/policies/spa-api.yaml"), &[]).remove(0);
    let c = configs(&case);
    let upstream = cors_policy_tests::servers::upstream().to_string();
    let nginx = started(
        &case,
        start_nginx_config(
            &tools.nginx,
            &[
                ("spa-api.http.conf", &c.nginx_http),
                ("spa-api.server.conf", &c.nginx_server),
            ],
            |dir, port| {
                let d = dir.display().to_string();
                let config = nginx_example
                    .replace("/etc/nginx/cors/", &format!("{d}/"))
                    .replace("listen 8080;", &format!("listen 127.0.0.1:{port};"))
                    .replace("127.0.0.1:3000", &upstream)
                    .replace(
                        "http {\n",
                        &format!("http {{\n    {}\n", nginx_http_paths(dir)),
                    );
                format!("{}{config}", nginx_preamble(dir))
            },
        ),
        "nginx (README example)",
    );
    let apache = started(
        &case,
        start_apache_config(
            &tools.apache,
            &[("spa-api.conf", &c.apache)],
            |dir, port| {
                let d = dir.display().to_string();
                let config = apache_example
                    .replace("/etc/apache2/cors/", &format!("{d}/"))
                    .replace("Listen 8080", &format!("Listen 127.0.0.1:{port}"))
                    .replace("*:8080", &format!("127.0.0.1:{port}"))
                    .replace("127.0.0.1:3000", &upstream);
                format!("{}{config}", apache_preamble(dir))
            },
        ),
        "apache2 (README example)",
    );
    let results = vec![compare(
        &case,
        &nginx,
        &apache,
        &corpus(&case, false),
        |_| "/api/x",
        true,
    )];
    report(results, 100, started_at);
}

/// Named policies get their own variables, so several share one `http {}`: each
/// `location` answers with its own policy.
#[test]
fn named_policies_share_one_nginx_http_block() {
    let Some(tools) = tools() else { return };
    let all = cases(&root().join("examples/policies/multi.yaml"), &[]);
    assert_eq!(all.len(), 3);
    let mut http = String::new();
    let mut locations = String::new();
    let mut files = Vec::new();
    for case in &all {
        let name = case.label.rsplit('#').next().unwrap().to_owned();
        let c = configs(case);
        http.push_str(&c.nginx_http);
        files.push((format!("{name}.conf"), c.nginx_server));
        locations.push_str(&format!(
            "  location /{name}/ {{\n    include {{DIR}}/{name}.conf;\n    proxy_pass http://{{UPSTREAM}};\n  }}\n"
        ));
    }
    let block = format!("server {{\n  listen 127.0.0.1:{{PORT}};\n{locations}}}");
    let nginx = Nginx {
        http_part: &http,
        server_part: "",
        server_block: Some(&block),
    };
    let server = start_nginx_config(
        &tools.nginx,
        &files
            .iter()
            .map(|(n, t)| (n.as_str(), t.as_str()))
            .chain([("http.conf", http.as_str())])
            .collect::<Vec<_>>(),
        |dir, port| nginx.config_for(dir, port),
    )
    .unwrap_or_else(|e| panic!("nginx with three policies: {e}"));
    let mut client = Client::new(server.addr);
    let get = |client: &mut Client, path: &str, origin: &str| {
        let r = client
            .send(path, &RawRequest::new("GET").header("Origin", origin))
            .unwrap();
        r.get("access-control-allow-origin")
    };
    assert_eq!(
        get(&mut client, "/public/x", "https://any.example").as_deref(),
        Some("*")
    );
    assert_eq!(
        get(&mut client, "/app/x", "https://app.example.com").as_deref(),
        Some("https://app.example.com")
    );
    assert_eq!(get(&mut client, "/app/x", "https://any.example"), None);
    assert_eq!(
        get(
            &mut client,
            "/partners/x",
            "https://eu-1.partner.example.com"
        )
        .as_deref(),
        Some("https://eu-1.partner.example.com")
    );
    assert_eq!(
        get(&mut client, "/partners/x", "https://app.example.com"),
        None
    );
}
