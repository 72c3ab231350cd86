//! A minimal HTTP/1.1 client over raw TCP, for tests that must send what no HTTP
//! library would (two `Origin` lines, control bytes, obs-fold, a megabyte of header)
//! and check every byte of the answer.
//!
//! It parses what it reads strictly enough to assert on (status, every header line,
//! a `Content-Length` or chunked body) and bounds everything: a deadline per answer,
//! at most 1 MiB of head and 16 MiB of body.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

/// The most bytes of status line and headers read before giving up.
const MAX_HEAD: usize = 1 << 20;
/// The most body bytes read.
const MAX_BODY: usize = 16 << 20;

/// One parsed response.
#[derive(Clone, Debug, Default)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// Every header line, in order: lower-case name, raw value (trimmed).
    pub headers: Vec<(String, Vec<u8>)>,
    /// The body (de-chunked).
    pub body: Vec<u8>,
}

impl Response {
    /// Every value of header `name` (lower-case).
    pub fn all(&self, name: &str) -> Vec<&[u8]> {
        self.headers
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_slice())
            .collect()
    }

    /// The value of header `name` when it occurs once; `None` when absent.
    ///
    /// # Panics
    /// When the header occurs more than once.
    pub fn one(&self, name: &str) -> Option<&[u8]> {
        let all = self.all(name);
        assert!(
            all.len() <= 1,
            "{name} occurs {} times: {self:?}",
            all.len()
        );
        all.first().copied()
    }

    /// The names of `access-control-*` headers in the response.
    pub fn cors_headers(&self) -> Vec<&str> {
        self.headers
            .iter()
            .map(|(n, _)| n.as_str())
            .filter(|n| n.starts_with("access-control-"))
            .collect()
    }

    /// The comma-separated items of every `Vary` line, lower-cased.
    pub fn vary(&self) -> Vec<String> {
        self.all("vary")
            .iter()
            .flat_map(|v| v.split(|&b| b == b','))
            .map(|i| String::from_utf8_lossy(i).trim().to_ascii_lowercase())
            .filter(|i| !i.is_empty())
            .collect()
    }

    /// Whether the server will close the connection after this response.
    pub fn closes(&self) -> bool {
        self.all("connection")
            .iter()
            .any(|v| v.eq_ignore_ascii_case(b"close"))
    }
}

/// How an exchange ended.
#[derive(Debug)]
pub enum Outcome {
    /// A whole response arrived.
    Answered(Response),
    /// The server closed (or reset) the connection without a whole response.
    Closed,
    /// Nothing complete arrived before the deadline.
    TimedOut,
}

/// A request with a `Host` header and these header lines, written byte for byte.
pub fn request(method: &str, path: &str, headers: &[(&[u8], &[u8])]) -> Vec<u8> {
    let mut out = format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n").into_bytes();
    for (name, value) in headers {
        out.extend_from_slice(name);
        out.extend_from_slice(b": ");
        out.extend_from_slice(value);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"\r\n");
    out
}

/// A keep-alive connection.
pub struct Conn {
    stream: TcpStream,
    buf: Vec<u8>,
}

impl Conn {
    /// Connects, with `timeout` on every read and write.
    pub fn connect(addr: SocketAddr, timeout: Duration) -> io::Result<Conn> {
        let stream = TcpStream::connect_timeout(&addr, timeout)?;
        stream.set_read_timeout(Some(timeout))?;
        stream.set_write_timeout(Some(timeout))?;
        stream.set_nodelay(true)?;
        Ok(Conn {
            stream,
            buf: Vec::with_capacity(4096),
        })
    }

    /// Sends `bytes` and reads one response to a request of method `method`, within
    /// `deadline` from now.
    pub fn exchange(&mut self, method: &str, bytes: &[u8], deadline: Duration) -> Outcome {
        let end = Instant::now() + deadline;
        match self.stream.write_all(bytes) {
            Ok(()) => {}
            // The server may close or reset while a huge request is still being
            // written, and answer before that: read what it sent anyway.
            Err(e) if is_closed(&e) => {}
            Err(e) if is_timeout(&e) => return Outcome::TimedOut,
            Err(_) => return Outcome::Closed,
        }
        self.read_response(method == "HEAD", end)
    }

    /// Reads one response (`head_only`: the request was a HEAD).
    pub fn read_response(&mut self, head_only: bool, end: Instant) -> Outcome {
        let head_end = loop {
            if let Some(i) = find(&self.buf, b"\r\n\r\n") {
                break i + 4;
            }
            if self.buf.len() > MAX_HEAD {
                return Outcome::Closed;
            }
            match self.fill(end) {
                Ok(true) => {}
                Ok(false) => return Outcome::Closed,
                Err(e) if is_timeout(&e) => return Outcome::TimedOut,
                Err(_) => return Outcome::Closed,
            }
        };
        let Some(mut response) = parse_head(&self.buf[..head_end]) else {
            return Outcome::Closed;
        };
        self.buf.drain(..head_end);
        let no_body = head_only
            || response.status / 100 == 1
            || response.status == 204
            || response.status == 304;
        let length = response
            .one("content-length")
            .and_then(|v| std::str::from_utf8(v).ok()?.trim().parse::<usize>().ok());
        let chunked = response.all("transfer-encoding").iter().any(|v| {
            String::from_utf8_lossy(v)
                .to_ascii_lowercase()
                .contains("chunked")
        });
        let body = if no_body {
            Ok(Vec::new())
        } else if chunked {
            self.chunked(end)
        } else if let Some(n) = length {
            self.exact(n.min(MAX_BODY), end)
        } else {
            self.until_close(end)
        };
        match body {
            Ok(b) => {
                response.body = b;
                Outcome::Answered(response)
            }
            Err(e) if is_timeout(&e) => Outcome::TimedOut,
            Err(_) => Outcome::Closed,
        }
    }

    /// Reads more bytes; `Ok(false)` at end of stream.
    fn fill(&mut self, end: Instant) -> io::Result<bool> {
        let left = end.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(io::ErrorKind::TimedOut.into());
        }
        self.stream.set_read_timeout(Some(left))?;
        let mut chunk = [0u8; 16 * 1024];
        let n = self.stream.read(&mut chunk)?;
        self.buf.extend_from_slice(&chunk[..n]);
        Ok(n > 0)
    }

    fn exact(&mut self, n: usize, end: Instant) -> io::Result<Vec<u8>> {
        while self.buf.len() < n {
            if !self.fill(end)? {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
        }
        Ok(self.buf.drain(..n).collect())
    }

    fn until_close(&mut self, end: Instant) -> io::Result<Vec<u8>> {
        while self.buf.len() <= MAX_BODY && self.fill(end)? {}
        Ok(std::mem::take(&mut self.buf))
    }

    fn chunked(&mut self, end: Instant) -> io::Result<Vec<u8>> {
        let mut body = Vec::new();
        loop {
            let line_end = loop {
                if let Some(i) = find(&self.buf, b"\r\n") {
                    break i;
                }
                if !self.fill(end)? {
                    return Err(io::ErrorKind::UnexpectedEof.into());
                }
            };
            let size = std::str::from_utf8(&self.buf[..line_end])
                .ok()
                .and_then(|l| usize::from_str_radix(l.split(';').next()?.trim(), 16).ok())
                .ok_or(io::ErrorKind::InvalidData)?;
            self.buf.drain(..line_end + 2);
            if size == 0 {
                // Trailers end with an empty line.
                loop {
                    if let Some(i) = find(&self.buf, b"\r\n") {
                        let empty = i == 0;
                        self.buf.drain(..i + 2);
                        if empty {
                            return Ok(body);
                        }
                    } else if !self.fill(end)? {
                        return Ok(body);
                    }
                }
            }
            if body.len() + size > MAX_BODY {
                return Err(io::ErrorKind::InvalidData.into());
            }
            body.extend(self.exact(size + 2, end)?.drain(..size));
        }
    }
}

/// Sends one request on a fresh connection and reads one response.
pub fn exchange(addr: SocketAddr, method: &str, bytes: &[u8], deadline: Duration) -> Outcome {
    match Conn::connect(addr, deadline) {
        Ok(mut conn) => conn.exchange(method, bytes, deadline),
        Err(e) if is_timeout(&e) => Outcome::TimedOut,
        Err(_) => Outcome::Closed,
    }
}

fn parse_head(head: &[u8]) -> Option<Response> {
    let mut lines = head
        .split(|&b| b == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l));
    let status_line = lines.next()?;
    let mut parts = status_line.splitn(3, |&b| b == b' ');
    let version = parts.next()?;
    if !version.starts_with(b"HTTP/1.") {
        return None;
    }
    let status = std::str::from_utf8(parts.next()?).ok()?.parse().ok()?;
    let mut headers = Vec::new();
    for line in lines.filter(|l| !l.is_empty()) {
        let colon = line.iter().position(|&b| b == b':')?;
        let name = String::from_utf8_lossy(&line[..colon]).to_ascii_lowercase();
        let value = trim(&line[colon + 1..]).to_vec();
        headers.push((name, value));
    }
    Some(Response {
        status,
        headers,
        body: Vec::new(),
    })
}

fn trim(mut s: &[u8]) -> &[u8] {
    while let [b' ' | b'\t', rest @ ..] = s {
        s = rest;
    }
    while let [rest @ .., b' ' | b'\t'] = s {
        s = rest;
    }
    s
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn is_timeout(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
    )
}

fn is_closed(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::BrokenPipe
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionAborted
    )
}
