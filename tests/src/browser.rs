//! The real-browser suite: headless Chromium loads a page from one loopback origin and
//! `fetch`es an API on another, and we record what the browser itself allowed or
//! blocked. Any backend can be put behind it (the Rust adapters, `cors-policy serve`,
//! nginx, Apache): start the API with [`POLICY_FILE`], then call [`assert_verdicts`]
//! with its base URL and [`fixture_verdicts`].
//!
//! The API under test must answer every path (any method) `200` with the header
//! `X-Request-Id: 1`, as `cors-policy serve` does; the CORS part is the backend's.
//!
//! How it runs: a page server on `127.0.0.1:P` serves the main page, loaded as
//! `http://127.0.0.1:P/` (an origin the policy lists), and a second page loaded as
//! `http://localhost:P/other` (an origin it does not list). The pages run every
//! [`Case`] with `fetch` and write the outcomes into the DOM; Chromium is started with
//! `--headless --dump-dom --virtual-time-budget` (virtual time stands still while a
//! fetch is pending, so the dump comes after the last answer) and exits by itself.
//! A fetch that resolves is [`Verdict::Allowed`]; one that rejects (the `TypeError`
//! a browser gives for a CORS failure) is [`Verdict::Blocked`].
//!
//! Chromium is found as `$CORS_POLICY_CHROMIUM`, else `chromium` or
//! `chromium-browser` on `PATH`. When it is missing, [`assert_verdicts`] prints why and
//! returns, except under `CI=true`, where it fails.

use std::fmt;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

/// The policy the suite's expectations are written for ([`fixture_verdicts`]): the
/// page's origin `http://127.0.0.1:*` with credentials, `PUT`, `Authorization` and
/// `Content-Type`, exposing `X-Request-Id`.
pub const POLICY_FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/browser.yaml");

/// How long one Chromium run may take before it is killed and the suite fails.
const CHROMIUM_TIMEOUT: Duration = Duration::from_secs(90);

/// One `fetch` the page makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Case {
    /// `GET`, no credentials: a simple request, no preflight.
    SimpleGet,
    /// `GET` with `credentials: "include"`: needs the echoed origin and
    /// `Access-Control-Allow-Credentials: true`.
    CredentialedGet,
    /// `GET`, then reading `X-Request-Id` from the response: allowed when the script
    /// can read the header (`Access-Control-Expose-Headers`), blocked when it reads
    /// `null` or the fetch fails.
    ExposedHeader,
    /// `PUT` with `Content-Type: application/json` and a body: preflighted.
    PreflightedPut,
    /// `GET` with `Authorization: Bearer ...`: preflighted, and never covered by `*`.
    Authorization,
    /// `GET` from `http://localhost:P`, an origin the policy does not list.
    OriginNotListed,
    /// A preflighted `PUT` from the origin the policy does not list.
    OriginNotListedPut,
    /// `DELETE`, a method the policy does not list.
    MethodNotListed,
    /// `GET` with `X-Not-Listed: 1`, a header the policy does not list.
    HeaderNotListed,
}

impl Case {
    /// Every case, in the order the page runs and reports them.
    pub const ALL: [Case; 9] = [
        Case::SimpleGet,
        Case::CredentialedGet,
        Case::ExposedHeader,
        Case::PreflightedPut,
        Case::Authorization,
        Case::OriginNotListed,
        Case::OriginNotListedPut,
        Case::MethodNotListed,
        Case::HeaderNotListed,
    ];

    /// The case's name on the page and in reports.
    pub fn name(self) -> &'static str {
        match self {
            Case::SimpleGet => "simple-get",
            Case::CredentialedGet => "credentialed-get",
            Case::ExposedHeader => "exposed-header",
            Case::PreflightedPut => "preflighted-put",
            Case::Authorization => "authorization",
            Case::OriginNotListed => "origin-not-listed",
            Case::OriginNotListedPut => "origin-not-listed-put",
            Case::MethodNotListed => "method-not-listed",
            Case::HeaderNotListed => "header-not-listed",
        }
    }

    fn from_name(name: &str) -> Option<Case> {
        Case::ALL.into_iter().find(|c| c.name() == name)
    }
}

/// What the browser let the page do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// The fetch resolved (for [`Case::ExposedHeader`]: and the header was readable).
    Allowed,
    /// The browser refused: the fetch rejected with a `TypeError`, or (for
    /// [`Case::ExposedHeader`]) the header read as `null`.
    Blocked,
}

/// What the browser did for one case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// The case.
    pub case: Case,
    /// Allowed or blocked, as the browser decided.
    pub verdict: Verdict,
    /// What the page saw: the status and `X-Request-Id`, or the error.
    pub detail: String,
}

/// The verdicts a correct backend gives with [`POLICY_FILE`]: everything from the
/// listed origin allowed, and the three denials blocked.
pub fn fixture_verdicts() -> Vec<(Case, Verdict)> {
    Case::ALL
        .into_iter()
        .map(|case| {
            let verdict = match case {
                Case::OriginNotListed
                | Case::OriginNotListedPut
                | Case::MethodNotListed
                | Case::HeaderNotListed => Verdict::Blocked,
                _ => Verdict::Allowed,
            };
            (case, verdict)
        })
        .collect()
}

/// Why the suite could not run.
#[derive(Debug)]
pub enum Error {
    /// No Chromium binary was found (the suite is skipped locally).
    ChromiumMissing,
    /// Anything else: the page server, Chromium, or the page's report.
    Failed(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::ChromiumMissing => f.write_str(
                "chromium not found (set CORS_POLICY_CHROMIUM, or install Debian's `chromium`)",
            ),
            Error::Failed(why) => f.write_str(why),
        }
    }
}

impl std::error::Error for Error {}

/// Runs every case in Chromium against the API at `api_base` (e.g.
/// `http://localhost:8787`, no trailing slash) and checks the verdicts against
/// `expected`. Panics with every mismatch (and what the page saw) when one differs.
///
/// Without Chromium it prints why and returns, unless `CI=true`, where it panics.
pub fn assert_verdicts(api_base: &str, expected: &[(Case, Verdict)]) {
    let outcomes = match run(api_base) {
        Ok(outcomes) => outcomes,
        Err(Error::ChromiumMissing) if std::env::var("CI").as_deref() != Ok("true") => {
            eprintln!("skipping the browser suite: {}", Error::ChromiumMissing);
            return;
        }
        Err(e) => panic!("browser suite against {api_base}: {e}"),
    };
    let mut mismatches = Vec::new();
    for &(case, want) in expected {
        let got = outcomes.iter().find(|o| o.case == case);
        match got {
            Some(o) if o.verdict == want => {}
            Some(o) => mismatches.push(format!(
                "{}: expected {want:?}, the browser said {:?} ({})",
                case.name(),
                o.verdict,
                o.detail
            )),
            None => mismatches.push(format!("{}: no outcome reported", case.name())),
        }
    }
    let report: Vec<String> = outcomes
        .iter()
        .map(|o| format!("  {:<22} {:?}: {}", o.case.name(), o.verdict, o.detail))
        .collect();
    assert!(
        mismatches.is_empty(),
        "browser verdicts against {api_base} differ:\n{}\nall outcomes:\n{}",
        mismatches.join("\n"),
        report.join("\n")
    );
    eprintln!(
        "browser suite against {api_base}: {} cases as expected\n{}",
        expected.len(),
        report.join("\n")
    );
}

/// Runs every case in Chromium against the API at `api_base` and returns what the
/// browser did, one [`Outcome`] per [`Case`] in [`Case::ALL`] order.
pub fn run(api_base: &str) -> Result<Vec<Outcome>, Error> {
    let chromium = find_chromium().ok_or(Error::ChromiumMissing)?;
    let api_base = api_base.trim_end_matches('/').to_owned();
    if api_base.contains(['"', '\'', '<', '>', '\\']) || !api_base.starts_with("http") {
        return Err(Error::Failed(format!("not an API base URL: {api_base:?}")));
    }
    let pages = TestServer::start(move |req| page(req, &api_base))
        .map_err(|e| Error::Failed(format!("cannot start the page server: {e}")))?;
    let port = pages.addr().port();
    // Two page loads, one per page origin: Chromium's virtual time does not wait for
    // the fetches of a cross-site iframe (it runs in another process), so the
    // unlisted origin gets a top-level page of its own.
    let mut outcomes = Vec::new();
    for url in [
        format!("http://127.0.0.1:{port}/"),
        format!("http://localhost:{port}/other"),
    ] {
        outcomes.extend(parse_results(&load_page(&chromium, &url)?)?);
    }
    outcomes.sort_by_key(|o| Case::ALL.iter().position(|c| *c == o.case));
    Ok(outcomes)
}

fn find_chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("CORS_POLICY_CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    let paths = std::env::var_os("PATH")?;
    std::env::split_paths(&paths)
        .flat_map(|dir| ["chromium", "chromium-browser"].map(|name| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

/// How many times Chromium is started for one page when it fails to start.
const CHROMIUM_ATTEMPTS: usize = 3;

/// Loads `url` in a fresh Chromium profile and returns the DOM it dumps. A Chromium
/// that exits without the page's results (under load it sometimes fails to start,
/// e.g. "Failed to create a ProcessSingleton") is started again, up to
/// [`CHROMIUM_ATTEMPTS`] times: a verdict only ever comes from a page that ran.
fn load_page(chromium: &Path, url: &str) -> Result<String, Error> {
    let mut failures = Vec::new();
    for _ in 0..CHROMIUM_ATTEMPTS {
        let profile = TempDir::new("cors-policy-chromium")
            .map_err(|e| Error::Failed(format!("cannot create a profile directory: {e}")))?;
        match run_chromium(chromium, url, profile.path()) {
            Ok(dom) => return Ok(dom),
            Err(Error::Failed(why)) => failures.push(why),
            Err(e) => return Err(e),
        }
    }
    Err(Error::Failed(failures.join("\n--- next attempt:\n")))
}

/// Starts Chromium on `url`, returns the DOM it dumps; kills it after
/// [`CHROMIUM_TIMEOUT`].
fn run_chromium(chromium: &Path, url: &str, profile: &Path) -> Result<String, Error> {
    let mut child = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--virtual-time-budget=60000",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| Error::Failed(format!("cannot start {}: {e}", chromium.display())))?;
    let mut stdout = child.stdout.take().expect("stdout is piped");
    let mut stderr = child.stderr.take().expect("stderr is piped");
    let out = thread::spawn(move || {
        let mut s = String::new();
        let _ = stdout.read_to_string(&mut s);
        s
    });
    let err = thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    let deadline = Instant::now() + CHROMIUM_TIMEOUT;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => thread::sleep(Duration::from_millis(50)),
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(Error::Failed(format!(
                    "chromium did not finish within {CHROMIUM_TIMEOUT:?}; killed"
                )));
            }
            Err(e) => return Err(Error::Failed(format!("waiting for chromium: {e}"))),
        }
    };
    let dom = out.join().unwrap_or_default();
    let log = err.join().unwrap_or_default();
    if !status.success() || !dom.contains("id=\"results\"") {
        let tail: Vec<&str> = log.lines().rev().take(15).collect();
        return Err(Error::Failed(format!(
            "chromium exited with {status} without the page's results; stderr ends:\n{}",
            tail.into_iter().rev().collect::<Vec<_>>().join("\n")
        )));
    }
    Ok(dom)
}

/// Reads the outcomes the page wrote into `<pre id="results">`, one line per case:
/// `name<TAB>allowed|blocked<TAB>detail`, then a line `done`.
fn parse_results(dom: &str) -> Result<Vec<Outcome>, Error> {
    let start = dom
        .find("<pre id=\"results\">")
        .map(|i| i + "<pre id=\"results\">".len());
    let text = start
        .and_then(|s| dom[s..].find("</pre>").map(|e| &dom[s..s + e]))
        .ok_or_else(|| Error::Failed(format!("no results in the page:\n{dom}")))?;
    // The HTML serializer escapes these in text; nothing else.
    let text = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&");
    if text.lines().last() != Some("done") {
        return Err(Error::Failed(format!(
            "the page did not finish (virtual time ran out?); it wrote:\n{text}"
        )));
    }
    let mut outcomes = Vec::new();
    for line in text.lines().filter(|l| *l != "done") {
        let mut parts = line.splitn(3, '\t');
        let (Some(name), Some(verdict), Some(detail)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(Error::Failed(format!("unreadable result line {line:?}")));
        };
        let case = Case::from_name(name)
            .ok_or_else(|| Error::Failed(format!("unknown case {name:?} in the results")))?;
        let verdict = match verdict {
            "allowed" => Verdict::Allowed,
            "blocked" => Verdict::Blocked,
            other => return Err(Error::Failed(format!("unknown verdict {other:?}"))),
        };
        outcomes.push(Outcome {
            case,
            verdict,
            detail: detail.to_owned(),
        });
    }
    Ok(outcomes)
}

/// The page server's answers: `/` the main page (origin listed), `/other` the page
/// loaded from the origin the policy does not list.
fn page(req: &TestRequest, api: &str) -> TestResponse {
    let body = match req.path.as_str() {
        "/" => MAIN_PAGE,
        "/other" => OTHER_PAGE,
        _ => return TestResponse::new(404, "text/plain", "not found"),
    };
    let body = body
        .replace("SCRIPT_COMMON_HERE", SCRIPT_COMMON)
        .replace("{API}", api);
    TestResponse::new(200, "text/html; charset=utf-8", &body)
}

/// Shared by both pages: `attempt(name, fetchIt, readHeader)` runs one fetch and
/// returns one result line.
const SCRIPT_COMMON: &str = r#"
async function attempt(name, fetchIt, readHeader) {
  try {
    const r = await fetchIt();
    await r.text();
    const id = r.headers.get("x-request-id");
    const detail = "status " + r.status + ", x-request-id " + id;
    const ok = readHeader ? id === "1" : true;
    return name + "\t" + (ok ? "allowed" : "blocked") + "\t" + detail;
  } catch (e) {
    return name + "\tblocked\t" + e.name + ": " + e.message;
  }
}
"#;

/// The main page, from the listed origin: every case but the unlisted-origin ones.
const MAIN_PAGE: &str = r#"<!doctype html>
<html><head><meta charset="utf-8"><title>cors-policy browser suite</title></head>
<body><pre id="results"></pre>
<script>
const API = "{API}";
SCRIPT_COMMON_HERE
(async () => {
  const lines = [];
  lines.push(await attempt("simple-get", () => fetch(API + "/simple-get")));
  lines.push(await attempt("credentialed-get",
    () => fetch(API + "/credentialed-get", { credentials: "include" })));
  lines.push(await attempt("exposed-header", () => fetch(API + "/exposed-header"), true));
  lines.push(await attempt("preflighted-put", () => fetch(API + "/preflighted-put", {
    method: "PUT", headers: { "Content-Type": "application/json" }, body: '{"a":1}' })));
  lines.push(await attempt("authorization", () => fetch(API + "/authorization", {
    headers: { "Authorization": "Bearer suite-token" } })));
  lines.push(await attempt("method-not-listed",
    () => fetch(API + "/method-not-listed", { method: "DELETE" })));
  lines.push(await attempt("header-not-listed", () => fetch(API + "/header-not-listed", {
    headers: { "X-Not-Listed": "1" } })));
  lines.push("done");
  document.getElementById("results").textContent = lines.join("\n");
})();
</script></body></html>
"#;

/// The page loaded from `http://localhost:P`, an origin the policy does not list.
const OTHER_PAGE: &str = r#"<!doctype html>
<html><head><meta charset="utf-8"></head><body><pre id="results"></pre>
<script>
const API = "{API}";
SCRIPT_COMMON_HERE
(async () => {
  const lines = [];
  lines.push(await attempt("origin-not-listed", () => fetch(API + "/origin-not-listed")));
  lines.push(await attempt("origin-not-listed-put", () => fetch(API + "/origin-not-listed-put", {
    method: "PUT", headers: { "Content-Type": "application/json" }, body: '{"a":1}' })));
  lines.push("done");
  document.getElementById("results").textContent = lines.join("\n");
})();
</script></body></html>
"#;

/// A request as the [`TestServer`] hands it to its handler.
#[derive(Clone, Debug)]
pub struct TestRequest {
    /// The method, e.g. `GET`.
    pub method: String,
    /// The path and query, e.g. `/simple-get`.
    pub path: String,
    /// The header lines, names lower-cased, in order.
    pub headers: Vec<(String, String)>,
}

impl TestRequest {
    /// The first value of header `name` (lower case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A response from a [`TestServer`] handler.
#[derive(Clone, Debug)]
pub struct TestResponse {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl TestResponse {
    /// A response with a status, a `Content-Type` and a body.
    pub fn new(status: u16, content_type: &str, body: &str) -> TestResponse {
        TestResponse {
            status,
            headers: vec![("Content-Type".to_owned(), content_type.to_owned())],
            body: body.to_owned(),
        }
    }

    /// Adds a header.
    pub fn header(mut self, name: &str, value: &str) -> TestResponse {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }
}

/// A tiny HTTP/1.1 server on `127.0.0.1:0` for test pages and control APIs: one thread
/// per connection, `Connection: close`, stopped when dropped. Not an adapter: it has
/// no CORS logic of its own.
pub struct TestServer {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
}

impl TestServer {
    /// Starts serving `handler` on an ephemeral loopback port.
    pub fn start<H>(handler: H) -> std::io::Result<TestServer>
    where
        H: Fn(&TestRequest) -> TestResponse + Send + Sync + 'static,
    {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let addr = listener.local_addr()?;
        let stop = Arc::new(AtomicBool::new(false));
        let handler = Arc::new(handler);
        let stopping = Arc::clone(&stop);
        thread::spawn(move || {
            for stream in listener.incoming() {
                if stopping.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let handler = Arc::clone(&handler);
                thread::spawn(move || {
                    let _ = answer(stream, &*handler);
                });
            }
        });
        Ok(TestServer { addr, stop })
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so that it sees the flag.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
    }
}

fn answer(
    stream: TcpStream,
    handler: &dyn Fn(&TestRequest) -> TestResponse,
) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    if reader.read_line(&mut line)? == 0 {
        return Ok(());
    }
    let mut parts = line.split_whitespace();
    let (Some(method), Some(path)) = (parts.next(), parts.next()) else {
        return Ok(());
    };
    let mut request = TestRequest {
        method: method.to_owned(),
        path: path.to_owned(),
        headers: Vec::new(),
    };
    let mut length = 0usize;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 || header.trim_end().is_empty() {
            break;
        }
        if let Some((name, value)) = header.trim_end().split_once(':') {
            let name = name.trim().to_ascii_lowercase();
            let value = value.trim().to_owned();
            if name == "content-length" {
                length = value.parse().unwrap_or(0);
            }
            request.headers.push((name, value));
        }
    }
    let mut body = vec![0; length.min(1 << 20)];
    reader.read_exact(&mut body)?;
    let response = handler(&request);
    let mut out = format!("HTTP/1.1 {} X\r\n", response.status);
    for (name, value) in &response.headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str(&format!(
        "Content-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n{}",
        response.body.len(),
        response.body
    ));
    let mut stream = stream;
    stream.write_all(out.as_bytes())?;
    stream.flush()
}

/// A directory under the system temp dir, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(prefix: &str) -> std::io::Result<TempDir> {
        static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let dir = std::env::temp_dir().join(format!("{prefix}-{}-{n}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        Ok(TempDir(dir))
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
