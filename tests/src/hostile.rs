//! The hostile-socket suite: requests no browser sends, written byte for byte on raw
//! TCP to a server on loopback (`cors-policy serve`, or an adapter in a real server),
//! and what must hold whatever the server's HTTP library makes of them:
//!
//! - every request gets an answer within [`DEADLINE`], or the connection is closed by
//!   the HTTP library (which may also answer 4xx itself, e.g. 431 for a huge header);
//! - a denied request never carries an `Access-Control-*` header, so a denied origin
//!   never gets `Access-Control-Allow-Origin`;
//! - afterwards the server is still up and answers a burst of ordinary requests
//!   (allowed and denied, actual and preflight) on keep-alive connections, every one
//!   correctly.
//!
//! The server's policy must allow [`Target::allowed`] (an exact origin, not `"*"`),
//! the preflight method [`Target::method`] with the header [`Target::header`], and
//! must deny `https://evil.example.com`.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use crate::raw_http::{exchange, request, Conn, Outcome, Response};

/// How long any one answer may take.
pub const DEADLINE: Duration = Duration::from_secs(10);

/// An origin every target's policy denies.
pub const DENIED: &str = "https://evil.example.com";

/// The server under test and what its policy allows.
#[derive(Clone, Debug)]
pub struct Target<'a> {
    /// For messages.
    pub name: &'a str,
    /// Where it listens.
    pub addr: SocketAddr,
    /// An exact origin the policy allows.
    pub allowed: &'a str,
    /// A non-safelisted method the policy allows in a preflight.
    pub method: &'a str,
    /// A request header the policy allows.
    pub header: &'a str,
    /// A path the application answers on.
    pub path: &'a str,
}

/// What a hostile request must get.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Want {
    /// No `Access-Control-*` header (or no answer but a close by the HTTP library).
    Denied,
    /// An allowed preflight: 204 with the origin echoed.
    AllowedPreflight,
    /// Not a preflight: the application's answer, with the origin echoed (it is
    /// allowed) and no preflight headers.
    ActualAllowed,
}

struct Hostile {
    name: String,
    method: &'static str,
    bytes: Vec<u8>,
    want: Want,
}

/// Header lines as raw bytes.
type Lines = Vec<(Vec<u8>, Vec<u8>)>;

fn build(method: &'static str, path: &str, lines: &Lines) -> Vec<u8> {
    let refs: Vec<(&[u8], &[u8])> = lines
        .iter()
        .map(|(n, v)| (n.as_slice(), v.as_slice()))
        .collect();
    request(method, path, &refs)
}

fn line(name: &str, value: impl Into<Vec<u8>>) -> (Vec<u8>, Vec<u8>) {
    (name.as_bytes().to_vec(), value.into())
}

/// Every hostile request of the issue, as an actual request and as a preflight where
/// both make sense.
fn hostile(t: &Target<'_>) -> Vec<Hostile> {
    let allowed = t.allowed;
    let mut out = Vec::new();
    let mut both = |name: &str, origin_lines: Lines| {
        out.push(Hostile {
            name: format!("{name} (GET)"),
            method: "GET",
            bytes: build("GET", t.path, &origin_lines),
            want: Want::Denied,
        });
        let mut pre = origin_lines;
        pre.push(line("Access-Control-Request-Method", t.method));
        out.push(Hostile {
            name: format!("{name} (preflight)"),
            method: "OPTIONS",
            bytes: build("OPTIONS", t.path, &pre),
            want: Want::Denied,
        });
    };
    let huge_host = "a".repeat(100 * 1024);
    both(
        "100 KiB Origin",
        vec![line("Origin", format!("https://{huge_host}.example.org"))],
    );
    both(
        "non-UTF-8 Origin",
        vec![line("Origin", [allowed.as_bytes(), b"\xff\xfe"].concat())],
    );
    both(
        "Origin of invalid UTF-8 only",
        vec![line("Origin", b"\xc3\x28\xa0".to_vec())],
    );
    both(
        "two Origin headers",
        vec![line("Origin", allowed), line("Origin", allowed)],
    );
    both(
        "an allowed and a denied Origin",
        vec![line("Origin", allowed), line("Origin", DENIED)],
    );
    both(
        "fifty Origin headers",
        (0..50).map(|_| line("Origin", allowed)).collect(),
    );
    both(
        "a comma list in Origin",
        vec![line("Origin", format!("{allowed}, {DENIED}"))],
    );
    both(
        "the allowed origin twice in one Origin",
        vec![line("Origin", format!("{allowed},{allowed}"))],
    );
    both("Origin: *", vec![line("Origin", "*")]);
    both("Origin: null", vec![line("Origin", "null")]);
    both(
        "a literal wildcard origin",
        vec![line("Origin", "https://*.example.org")],
    );
    both(
        "an empty label",
        vec![line("Origin", "https://.example.org")],
    );
    both(
        "port 99999",
        vec![line("Origin", format!("{allowed}:99999"))],
    );
    both(
        "a NUL byte in Origin",
        vec![line("Origin", [allowed.as_bytes(), b"\0"].concat())],
    );
    both(
        "the denied origin in odd case",
        vec![line("oRiGiN", DENIED)],
    );

    let preflight = |name: &str, lines: Lines, want: Want| {
        let mut all = vec![line("Origin", allowed)];
        all.extend(lines);
        Hostile {
            name: name.to_owned(),
            method: "OPTIONS",
            bytes: build("OPTIONS", t.path, &all),
            want,
        }
    };
    let acrm = "Access-Control-Request-Method";
    let acrh = "Access-Control-Request-Headers";
    out.push(preflight(
        "control bytes in Access-Control-Request-Method",
        vec![line(acrm, [t.method.as_bytes(), b"\x01\x7f"].concat())],
        Want::Denied,
    ));
    out.push(preflight(
        "obs-fold in Access-Control-Request-Method",
        vec![line(acrm, format!("{}\r\n\tDELETE", t.method))],
        Want::Denied,
    ));
    out.push(preflight(
        "two Access-Control-Request-Method headers",
        vec![line(acrm, t.method), line(acrm, t.method)],
        Want::Denied,
    ));
    out.push(preflight(
        "a 1 KiB method",
        vec![line(acrm, "P".repeat(1024))],
        Want::Denied,
    ));
    for n in [80, 300] {
        let mut lines = vec![line(acrm, t.method)];
        lines.extend((0..n).map(|_| line(acrh, t.header)));
        out.push(preflight(
            &format!("{n} Access-Control-Request-Headers lines"),
            lines,
            Want::Denied,
        ));
    }
    let mut items = format!("{},", t.header).repeat((1 << 20) / (t.header.len() + 1));
    items.truncate(1 << 20);
    out.push(preflight(
        "1 MiB of Access-Control-Request-Headers items",
        vec![line(acrm, t.method), line(acrh, items)],
        Want::Denied,
    ));
    out.push(preflight(
        "a header name that is not a token",
        vec![
            line(acrm, t.method),
            line(acrh, format!("{}, x y", t.header)),
        ],
        Want::Denied,
    ));
    out.push(Hostile {
        name: "header names in odd case".into(),
        method: "OPTIONS",
        bytes: build(
            "OPTIONS",
            t.path,
            &vec![
                line("oRIGIN", allowed),
                line("aCCESS-cONTROL-rEQUEST-mETHOD", t.method),
                line(
                    "ACCESS-CONTROL-REQUEST-HEADERS",
                    t.header.to_ascii_uppercase(),
                ),
            ],
        ),
        want: Want::AllowedPreflight,
    });
    out.push(preflight(
        "a preflight without Access-Control-Request-Method",
        vec![],
        Want::ActualAllowed,
    ));
    out
}

/// What happened to the hostile requests of one run.
#[derive(Debug, Default)]
pub struct Report {
    /// Requests sent.
    pub sent: usize,
    /// Answered by the CORS layer or the application.
    pub answered: usize,
    /// Refused by the HTTP library with a 4xx of its own.
    pub library_4xx: usize,
    /// Closed by the server without an answer.
    pub closed: usize,
    /// Ordinary requests answered correctly afterwards.
    pub burst: usize,
    /// Wall time of the whole run.
    pub elapsed: Duration,
    /// One line per hostile request: what it was and what came back.
    pub details: Vec<String>,
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} hostile requests: {} answered, {} refused by the HTTP library (4xx), {} closed; then {} ordinary requests all correct; {:.2} s",
            self.sent,
            self.answered,
            self.library_4xx,
            self.closed,
            self.burst,
            self.elapsed.as_secs_f64()
        )
    }
}

fn check(t: &Target<'_>, h: &Hostile, res: &Response) -> Result<bool, String> {
    let cors = res.cors_headers();
    let echoed = res.all("access-control-allow-origin");
    match h.want {
        Want::Denied => {
            if !cors.is_empty() {
                return Err(format!("denied, but got {cors:?}: {res:?}"));
            }
            // A 4xx without any CORS layer's mark: the HTTP library refused it.
            Ok((400..500).contains(&res.status) && res.status != 403)
        }
        Want::AllowedPreflight => {
            if res.status != 204 || echoed != [t.allowed.as_bytes()] {
                return Err(format!("an allowed preflight was not granted: {res:?}"));
            }
            Ok(false)
        }
        Want::ActualAllowed => {
            if echoed != [t.allowed.as_bytes()]
                || !res.all("access-control-allow-methods").is_empty()
                || res.status == 204
                || res.status == 403
            {
                return Err(format!("not passed on as an actual request: {res:?}"));
            }
            Ok(false)
        }
    }
}

/// Runs every hostile request against `t`, then a burst of `burst` ordinary requests;
/// panics with every failure.
pub fn run(t: &Target<'_>, burst: usize) -> Report {
    let start = Instant::now();
    let mut report = Report::default();
    let mut failures = Vec::new();
    for h in hostile(t) {
        report.sent += 1;
        let begun = Instant::now();
        let outcome = exchange(t.addr, h.method, &h.bytes, DEADLINE);
        report.details.push(format!(
            "{}: {} in {:?}",
            h.name,
            match &outcome {
                Outcome::Answered(res) => format!("{} {:?}", res.status, res.cors_headers()),
                Outcome::Closed => "closed".to_owned(),
                Outcome::TimedOut => "timed out".to_owned(),
            },
            begun.elapsed()
        ));
        match outcome {
            Outcome::Answered(res) => match check(t, &h, &res) {
                Ok(true) => report.library_4xx += 1,
                Ok(false) => report.answered += 1,
                Err(e) => failures.push(format!("{}: {e}", h.name)),
            },
            Outcome::Closed if h.want == Want::Denied => report.closed += 1,
            Outcome::Closed => failures.push(format!("{}: closed without an answer", h.name)),
            Outcome::TimedOut => failures.push(format!(
                "{}: no answer within {:?} (waited {:?})",
                h.name,
                DEADLINE,
                begun.elapsed()
            )),
        }
    }
    match ordinary_burst(t, burst) {
        Ok(n) => report.burst = n,
        Err(e) => failures.push(format!("after the hostile requests: {e}")),
    }
    report.elapsed = start.elapsed();
    assert!(
        failures.is_empty(),
        "{}: {} failures:\n{}",
        t.name,
        failures.len(),
        failures.join("\n")
    );
    report
}

/// One kind of ordinary request: method, bytes, what it is, the preflight status it
/// must get (`None`: an actual request), whether it is allowed.
type Ordinary = (&'static str, Vec<u8>, &'static str, Option<u16>, bool);

/// `n` ordinary requests on 4 keep-alive connections, each checked.
pub fn ordinary_burst(t: &Target<'_>, n: usize) -> Result<usize, String> {
    let kinds: [Ordinary; 4] = [
        (
            "GET",
            build("GET", t.path, &vec![line("Origin", t.allowed)]),
            "allowed actual",
            None,
            true,
        ),
        (
            "GET",
            build("GET", t.path, &vec![line("Origin", DENIED)]),
            "denied actual",
            None,
            false,
        ),
        (
            "OPTIONS",
            build(
                "OPTIONS",
                t.path,
                &vec![
                    line("Origin", t.allowed),
                    line("Access-Control-Request-Method", t.method),
                    line("Access-Control-Request-Headers", t.header),
                ],
            ),
            "allowed preflight",
            Some(204),
            true,
        ),
        (
            "OPTIONS",
            build(
                "OPTIONS",
                t.path,
                &vec![
                    line("Origin", DENIED),
                    line("Access-Control-Request-Method", t.method),
                ],
            ),
            "denied preflight",
            Some(403),
            false,
        ),
    ];
    let mut conns: Vec<Conn> = (0..4)
        .map(|_| Conn::connect(t.addr, DEADLINE).map_err(|e| format!("connect: {e}")))
        .collect::<Result<_, _>>()?;
    for i in 0..n {
        let (method, bytes, what, status, allowed) = &kinds[i % kinds.len()];
        let conn = &mut conns[i % 4];
        let res = match conn.exchange(method, bytes, DEADLINE) {
            Outcome::Answered(res) => res,
            other => return Err(format!("request {i} ({what}): {other:?}")),
        };
        if res.closes() {
            *conn = Conn::connect(t.addr, DEADLINE).map_err(|e| format!("reconnect: {e}"))?;
        }
        let acao = res.all("access-control-allow-origin");
        let ok = match (allowed, status) {
            (true, Some(s)) => {
                res.status == *s
                    && acao == [t.allowed.as_bytes()]
                    && res.all("access-control-allow-methods").iter().any(|m| {
                        m.split(|&b| b == b',')
                            .any(|m| m.trim_ascii() == t.method.as_bytes())
                    })
            }
            (true, None) => res.status < 400 && acao == [t.allowed.as_bytes()],
            (false, Some(s)) => res.status == *s && res.cors_headers().is_empty(),
            (false, None) => res.status < 400 && res.cors_headers().is_empty(),
        };
        if !ok {
            return Err(format!("request {i} ({what}) answered wrongly: {res:?}"));
        }
    }
    Ok(n)
}
