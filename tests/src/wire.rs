//! A minimal HTTP/1.1 client for tests that talk to a real server on loopback: one
//! request per connection (`Connection: close`), the raw response read to the end.
//! Header names and order are kept as the server sent them, so a test can compare
//! them with `cors-policy check --format json`.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

/// A response as it came over the wire.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawResponse {
    /// The status code.
    pub status: u16,
    /// Every header line, names lower-cased, values trimmed, in order.
    pub headers: Vec<(String, String)>,
    /// The body (the server's `Content-Length` bytes; no chunked decoding).
    pub body: String,
}

impl RawResponse {
    /// The values of header `name` (lower case), in order.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The `Access-Control-*` and `Vary` headers, in order: what a CORS layer adds,
    /// as `cors-policy check --format json` lists them.
    pub fn cors_headers(&self) -> Vec<(String, String)> {
        self.headers
            .iter()
            .filter(|(n, _)| n.starts_with("access-control-") || n == "vary")
            .cloned()
            .collect()
    }
}

/// Sends `method path` with `headers` (and `Host`, `Connection: close`) to `addr` and
/// reads the whole response. Panics on an I/O error or an unreadable response: these
/// are test servers on loopback.
pub fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
) -> RawResponse {
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(10))
        .unwrap_or_else(|e| panic!("connect to {addr}: {e}"));
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("read timeout");
    let mut out = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (name, value) in headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str("\r\n");
    stream.write_all(out.as_bytes()).expect("send the request");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read the response");
    parse(&raw).unwrap_or_else(|| {
        panic!(
            "unreadable response from {addr}: {:?}",
            String::from_utf8_lossy(&raw)
        )
    })
}

fn parse(raw: &[u8]) -> Option<RawResponse> {
    let text = std::str::from_utf8(raw).ok()?;
    let (head, body) = text.split_once("\r\n\r\n")?;
    let mut lines = head.split("\r\n");
    let status = lines.next()?.split_whitespace().nth(1)?.parse().ok()?;
    let headers = lines
        .map(|line| {
            let (name, value) = line.split_once(':')?;
            Some((name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        })
        .collect::<Option<Vec<_>>>()?;
    Some(RawResponse {
        status,
        headers,
        body: body.to_owned(),
    })
}
