//! A small HTTP/1.1 client over one kept-alive connection, sending header lines exactly
//! as given (repeated, odd bytes, hostile values): what the proxy tests need and a
//! library client would normalize away.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use crate::fetch_check::Response;

/// One request: method, and header lines besides `Host` and `Content-Length`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawRequest {
    /// The method, sent as is.
    pub method: String,
    /// Header lines, in order.
    pub headers: Vec<(String, String)>,
}

impl RawRequest {
    /// A request with no header lines.
    pub fn new(method: &str) -> Self {
        RawRequest {
            method: method.to_owned(),
            headers: Vec::new(),
        }
    }

    /// Adds a header line.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// The values of every line named `name` (ignoring case).
    pub fn values(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

/// A kept-alive connection to one server, reopened when the server closes it.
pub struct Client {
    addr: SocketAddr,
    conn: Option<BufReader<TcpStream>>,
}

impl Client {
    /// A client for `addr` (connects on first use).
    pub fn new(addr: SocketAddr) -> Self {
        Client { addr, conn: None }
    }

    /// Sends `request` for `path` and reads the whole response; retries once on a
    /// fresh connection if the kept-alive one was closed.
    pub fn send(&mut self, path: &str, request: &RawRequest) -> io::Result<Response> {
        match self.try_send(path, request) {
            Ok(r) => Ok(r),
            Err(_) => {
                self.conn = None;
                self.try_send(path, request)
            }
        }
    }

    fn try_send(&mut self, path: &str, request: &RawRequest) -> io::Result<Response> {
        if self.conn.is_none() {
            let stream = TcpStream::connect_timeout(&self.addr, Duration::from_secs(5))?;
            stream.set_read_timeout(Some(Duration::from_secs(10)))?;
            stream.set_nodelay(true)?;
            self.conn = Some(BufReader::new(stream));
        }
        let conn = self.conn.as_mut().expect("connected above");
        let mut head = format!("{} {path} HTTP/1.1\r\nHost: localhost\r\n", request.method);
        for (name, value) in &request.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        if !matches!(request.method.as_str(), "GET" | "HEAD" | "OPTIONS") {
            head.push_str("Content-Length: 0\r\n");
        }
        head.push_str("\r\n");
        conn.get_mut().write_all(head.as_bytes())?;
        let (response, keep) = read_response(conn, request.method == "HEAD")?;
        if !keep {
            self.conn = None;
        }
        Ok(response)
    }
}

fn bad(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, what.to_owned())
}

fn read_line(r: &mut impl BufRead) -> io::Result<String> {
    let mut line = String::new();
    if r.read_line(&mut line)? == 0 {
        return Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "connection closed",
        ));
    }
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

/// Reads one response; returns it and whether the connection stays open.
fn read_response(r: &mut BufReader<TcpStream>, head_only: bool) -> io::Result<(Response, bool)> {
    let status_line = read_line(r)?;
    let status: u16 = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| bad(&status_line))?;
    let mut headers = Vec::new();
    loop {
        let line = read_line(r)?;
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':').ok_or_else(|| bad(&line))?;
        headers.push((name.to_ascii_lowercase(), value.trim().to_owned()));
    }
    let response = Response { status, headers };
    let close = response
        .get("connection")
        .is_some_and(|c| c.eq_ignore_ascii_case("close"));
    let no_body = head_only || status == 204 || status == 304 || status < 200;
    if !no_body {
        if response
            .get("transfer-encoding")
            .is_some_and(|t| t.eq_ignore_ascii_case("chunked"))
        {
            loop {
                let size = read_line(r)?;
                let size = usize::from_str_radix(size.split(';').next().unwrap_or("").trim(), 16)
                    .map_err(|_| bad(&size))?;
                let mut chunk = vec![0; size + 2];
                r.read_exact(&mut chunk)?;
                if size == 0 {
                    break;
                }
            }
        } else if let Some(len) = response.get("content-length") {
            let len: usize = len.parse().map_err(|_| bad(&len))?;
            let mut body = vec![0; len];
            r.read_exact(&mut body)?;
        } else {
            let mut rest = Vec::new();
            r.read_to_end(&mut rest)?;
            return Ok((response, false));
        }
    }
    Ok((response, !close))
}
