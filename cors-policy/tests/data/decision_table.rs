//! Reading the engine's data-driven decision table, `decisions.yaml` (next to this
//! file): its policies, and each case's request as an `engine::Request`.
//!
//! Shared by `cors-policy/tests/decisions.rs` (expected decisions against runtime-built
//! tables) and `tests/tests/macro_vs_runtime.rs` (macro-built and runtime-built tables
//! decide alike), which include it with `#[path = "..."] mod decision_table;`. What a
//! case expects (`want`, `h`, `reason`) is read by the test that checks it.

use cors_policy::engine::{Request, Values};
use serde_yaml::Value;

/// The data file, read at compile time.
const TEXT: &str = include_str!("decisions.yaml");

/// The parsed data file.
pub struct Table {
    data: Value,
}

impl Table {
    /// Parses `decisions.yaml`.
    pub fn load() -> Self {
        let data = serde_yaml::from_str(TEXT).expect("decisions.yaml parses");
        Self { data }
    }

    /// Each policy of the file: its name and its YAML text, in file order.
    pub fn policies(&self) -> impl Iterator<Item = (&str, &str)> {
        self.data["policies"]
            .as_mapping()
            .expect("policies")
            .iter()
            .map(|(name, text)| {
                (
                    name.as_str().expect("policy name"),
                    text.as_str().expect("policy text"),
                )
            })
    }

    /// Every case of the file, in file order.
    pub fn cases(&self) -> Vec<Case<'_>> {
        self.data["cases"]
            .as_sequence()
            .expect("cases")
            .iter()
            .map(|row| Case {
                policy: row["p"].as_str().expect("p"),
                request: RequestParts::of(row),
                row,
            })
            .collect()
    }
}

/// One case: the policy it runs against and the request, with the row itself for what
/// the case expects and for messages.
pub struct Case<'a> {
    /// The name of the policy (`p`).
    pub policy: &'a str,
    /// The request (`m`, `o`, `acrm`, `acrh`, `pna`), expanded.
    pub request: RequestParts,
    /// The whole row.
    pub row: &'a Value,
}

/// The owned parts of a case's request; `None` is an absent header, `Some` its lines.
pub struct RequestParts {
    /// The method (`m`, default `GET`).
    pub method: Vec<u8>,
    /// `Origin` lines (`o`).
    pub origin: Option<Vec<Vec<u8>>>,
    /// `Access-Control-Request-Method` lines (`acrm`).
    pub request_method: Option<Vec<Vec<u8>>>,
    /// `Access-Control-Request-Headers` lines (`acrh`).
    pub request_headers: Option<Vec<Vec<u8>>>,
    /// The `Access-Control-Request-Private-Network` line (`pna`).
    pub private_network: Option<Vec<Vec<u8>>>,
}

impl RequestParts {
    /// The request of a row of the table.
    fn of(row: &Value) -> Self {
        Self {
            method: row.get("m").map_or(b"GET".to_vec(), |m| expand(&scalar(m))),
            origin: lines(row.get("o")),
            request_method: lines(row.get("acrm")),
            request_headers: lines(row.get("acrh")),
            private_network: row.get("pna").map(|v| vec![expand(&scalar(v))]),
        }
    }

    /// The header lines as slices, from which `Borrowed::request` builds the request.
    pub fn borrowed(&self) -> Borrowed<'_> {
        fn borrow(l: &Option<Vec<Vec<u8>>>) -> Option<Vec<&[u8]>> {
            l.as_ref().map(|l| l.iter().map(Vec::as_slice).collect())
        }
        Borrowed {
            method: &self.method,
            origin: borrow(&self.origin),
            request_method: borrow(&self.request_method),
            request_headers: borrow(&self.request_headers),
            private_network: borrow(&self.private_network),
        }
    }
}

/// `RequestParts` with each header's lines as a slice of slices, as `Values::Many` wants.
pub struct Borrowed<'a> {
    method: &'a [u8],
    origin: Option<Vec<&'a [u8]>>,
    request_method: Option<Vec<&'a [u8]>>,
    request_headers: Option<Vec<&'a [u8]>>,
    private_network: Option<Vec<&'a [u8]>>,
}

impl Borrowed<'_> {
    /// The `engine::Request` of the case.
    pub fn request(&self) -> Request<'_> {
        Request {
            method: self.method,
            origin: values(self.origin.as_deref()),
            request_method: values(self.request_method.as_deref()),
            request_headers: values(self.request_headers.as_deref()),
            request_private_network: values(self.private_network.as_deref()),
        }
    }
}

/// Expands `{rep:N:T}` (T repeated N times) and `{x:HH}` (the byte 0xHH).
fn expand(s: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(open) = rest.find('{') {
        out.extend_from_slice(&rest.as_bytes()[..open]);
        let after = &rest[open..];
        if let Some(body) = after.strip_prefix("{rep:") {
            let close = body.find('}').expect("closed {rep}");
            let (n, text) = body[..close].split_once(':').expect("{rep:N:T}");
            out.extend(text.as_bytes().repeat(n.parse().expect("count")));
            rest = &body[close + 1..];
        } else if let Some(body) = after.strip_prefix("{x:") {
            out.push(u8::from_str_radix(&body[..2], 16).expect("hex byte"));
            rest = &body[3..];
        } else {
            out.push(b'{');
            rest = &after[1..];
        }
    }
    out.extend_from_slice(rest.as_bytes());
    out
}

/// A scalar of the file (string, bool or number) as text.
pub fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        other => panic!("not a scalar: {other:?}"),
    }
}

/// The header lines of a request key: absent, one string, a list, or `{lines, text}`.
fn lines(v: Option<&Value>) -> Option<Vec<Vec<u8>>> {
    match v? {
        Value::Sequence(items) => Some(items.iter().map(|i| expand(&scalar(i))).collect()),
        Value::Mapping(m) => {
            let n = usize::try_from(m["lines"].as_u64().expect("lines")).expect("small");
            Some(vec![expand(&scalar(&m["text"])); n])
        }
        other => Some(vec![expand(&scalar(other))]),
    }
}

/// One line is `Values::One`, several (or none) `Values::Many`.
fn values<'a>(lines: Option<&'a [&'a [u8]]>) -> Values<'a> {
    match lines {
        None => Values::Absent,
        Some([one]) => Values::One(one),
        Some(many) => Values::Many(many),
    }
}
