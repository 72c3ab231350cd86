//! `cors-policy check`: what a policy answers to one request, and why.
//!
//! The request is built the way a browser builds it: with `--preflight`, an `OPTIONS`
//! with `Origin`, `Access-Control-Request-Method: M` and, when `--header` is given,
//! `Access-Control-Request-Headers` listing the names lower-cased, sorted and joined
//! with `,`; without it, an actual request with method M (default `GET`). The answer
//! comes from the same [`cors_policy::engine`] the Rust adapters use.
//!
//! Exit status: 0 allowed, 1 denied, 2 for a usage or I/O error, a policy that cannot
//! be selected, or an invalid policy (its error diagnostics go to stderr: `check` only
//! answers for a policy that would load).

use std::fmt::Write as _;
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use cors_policy::compiler::diagnostic::Severity;
use cors_policy::compiler::load::load_yaml;
use cors_policy::engine::{Decision, Kind, Request, Values};

use crate::output;

/// Output formats of `check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A short readable verdict and the response headers.
    Human,
    /// One JSON object: allowed, kind, reason, status (preflight only), headers.
    Json,
}

/// Arguments of `cors-policy check`.
#[derive(Args, Debug)]
pub struct CheckArgs {
    /// The policy to use, in a file with several `policies:`.
    #[arg(long, value_name = "NAME")]
    pub policy: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// The policy file (YAML).
    pub file: PathBuf,
    /// The request's `Origin`, e.g. `https://app.example.com`.
    #[arg(long, value_name = "ORIGIN")]
    pub origin: String,
    /// The method: of the actual request, or the one a preflight asks for.
    #[arg(long, value_name = "M", default_value = "GET")]
    pub method: String,
    /// A request header the preflight asks for (repeatable; used with --preflight).
    #[arg(long = "header", value_name = "NAME")]
    pub headers: Vec<String>,
    /// Send a preflight (`OPTIONS` with `Access-Control-Request-Method`) instead of
    /// the actual request.
    #[arg(long)]
    pub preflight: bool,
}

/// Runs `check`; returns the exit code.
pub fn run(args: &CheckArgs) -> u8 {
    let shown = args.file.display();
    let text = match std::fs::read(&args.file) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(_) => {
                output::error(&format!("{shown}: the file is not UTF-8"));
                return 2;
            }
        },
        Err(e) => {
            output::error(&format!("cannot read {shown}: {e}"));
            return 2;
        }
    };
    let file = load_yaml(&text);
    let chosen = match file.select(args.policy.as_deref()) {
        Ok(p) => p,
        Err(e) => {
            output::error(&select_error(&shown.to_string(), &e));
            return 2;
        }
    };
    let Some(valid) = &chosen.valid else {
        for d in file
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
        {
            output::error(&format!(
                "{shown}:{}: error[{}]: {}\n  help: {}",
                d.span, d.code, d.message, d.help
            ));
        }
        output::error(&format!(
            "{shown}: the policy is invalid; run `cors-policy lint {shown}` for details"
        ));
        return 2;
    };
    let policy = cors_policy::compiler::compile::compile(valid);
    let engine = match policy.engine() {
        Ok(e) => e,
        Err(e) => {
            output::error(&format!("{shown}: {e}"));
            return 2;
        }
    };

    let mut names: Vec<String> = args
        .headers
        .iter()
        .map(|h| h.to_ascii_lowercase())
        .collect();
    names.sort();
    names.dedup();
    let acrh = names.join(",");
    let request = if args.preflight {
        let mut r = Request::new(b"OPTIONS")
            .origin(args.origin.as_bytes())
            .request_method(args.method.as_bytes());
        if !names.is_empty() {
            r = r.request_headers(Values::One(acrh.as_bytes()));
        }
        r
    } else {
        Request::new(args.method.as_bytes()).origin(args.origin.as_bytes())
    };
    let decision = engine.decide(&request);
    let out = match args.format {
        Format::Json => json(&decision),
        Format::Human => human(&decision, args),
    };
    if !output::stdout(&out) {
        return 2;
    }
    if decision.is_allowed() {
        0
    } else {
        1
    }
}

/// `FILE: the file holds several policies: a, b; choose one with --policy NAME`.
pub fn select_error(file: &str, e: &cors_policy::compiler::load::SelectError) -> String {
    if e.available().is_empty() {
        format!("{file}: {e}")
    } else {
        format!("{file}: {e}; choose one with --policy NAME")
    }
}

/// `{"allowed":..,"kind":..,"reason":..,"status":..,"headers":[[name,value],..]}`.
fn json(d: &Decision<'_>) -> String {
    let s = |v: &str| serde_json::to_string(v).unwrap_or_else(|_| "\"\"".to_owned());
    let mut out = format!(
        "{{\"allowed\":{},\"kind\":{},\"reason\":{}",
        d.is_allowed(),
        s(d.kind().as_str()),
        s(&d.reason().to_string())
    );
    if let Some(status) = d.status() {
        let _ = write!(out, ",\"status\":{status}");
    }
    out.push_str(",\"headers\":[");
    for (i, h) in d.headers().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let value = String::from_utf8_lossy(h.value);
        let _ = write!(out, "[{},{}]", s(h.name), s(&value));
    }
    out.push_str("]}\n");
    out
}

/// A short verdict, the headers, and notes on what the request does not show.
fn human(d: &Decision<'_>, args: &CheckArgs) -> String {
    let verdict = if d.is_allowed() { "allowed" } else { "denied" };
    let mut out = match d.status() {
        Some(status) => format!(
            "{verdict}: {} ({status}): {}\n",
            d.kind().as_str(),
            d.reason()
        ),
        None => format!("{verdict}: {} request: {}\n", d.kind().as_str(), d.reason()),
    };
    let mut headers = d.headers().peekable();
    if headers.peek().is_none() {
        out.push_str("no response headers added\n");
    }
    for h in headers {
        let _ = writeln!(out, "  {}: {}", h.name, String::from_utf8_lossy(h.value));
    }
    if d.kind() == Kind::Actual {
        if !matches!(args.method.as_str(), "GET" | "HEAD" | "POST") {
            let _ = writeln!(
                out,
                "note: a browser sends a preflight before a {} request; add --preflight to check it",
                args.method
            );
        }
        if !args.headers.is_empty() {
            out.push_str("note: --header is only used with --preflight\n");
        }
    }
    out
}
