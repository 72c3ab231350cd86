//! The request parts the decision reads, borrowed from the caller's request.

/// The values of one request header, as the caller's HTTP library holds them.
///
/// A header may be absent, sent once, or repeated on several lines; the engine treats
/// each case explicitly (two `Origin` headers are a deny, several
/// `Access-Control-Request-Headers` lines are one list). Nothing is copied: build a
/// [`Values::Many`] over a slice you already have, or over a stack buffer with
/// [`Values::collect_into`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Values<'r> {
    /// The header is not in the request.
    #[default]
    Absent,
    /// Exactly one header line with this value.
    One(&'r [u8]),
    /// These lines, in order (an empty slice is the same as [`Values::Absent`]).
    Many(&'r [&'r [u8]]),
    /// More lines than the caller's buffer could hold (see [`Values::collect_into`]).
    /// The engine denies such a request without looking at any value.
    TooMany,
}

impl<'r> Values<'r> {
    /// Collects the values yielded by `lines` into `buf`, without allocating.
    ///
    /// Returns [`Values::TooMany`] when `lines` yields more values than `buf` holds:
    /// `http::HeaderMap::get_all(..).iter().map(|v| v.as_bytes())` with a buffer of a
    /// few dozen entries is the intended use.
    pub fn collect_into<'b, I>(lines: I, buf: &'b mut [&'r [u8]]) -> Values<'b>
    where
        I: IntoIterator<Item = &'r [u8]>,
        'r: 'b,
    {
        let mut n = 0;
        for line in lines {
            match buf.get_mut(n) {
                Some(slot) => *slot = line,
                None => return Values::TooMany,
            }
            n += 1;
        }
        let filled: &'b [&'r [u8]] = &buf[..n];
        match filled {
            [] => Values::Absent,
            [one] => Values::One(one),
            many => Values::Many(many),
        }
    }

    /// Whether the header is absent (no line at all).
    pub fn is_absent(&self) -> bool {
        match self {
            Values::Absent => true,
            Values::Many(lines) => lines.is_empty(),
            Values::One(_) | Values::TooMany => false,
        }
    }

    /// The lines, or `None` for [`Values::TooMany`].
    pub fn lines(&self) -> Option<&[&'r [u8]]> {
        match self {
            Values::Absent => Some(&[]),
            Values::One(v) => Some(std::slice::from_ref(v)),
            Values::Many(lines) => Some(lines),
            Values::TooMany => None,
        }
    }

    /// The only value: `Ok(None)` when absent, `Err(())` when repeated.
    pub(crate) fn single(&self) -> Result<Option<&'r [u8]>, ()> {
        match self.lines() {
            Some([]) => Ok(None),
            Some([one]) => Ok(Some(one)),
            _ => Err(()),
        }
    }
}

/// The parts of an HTTP request that a CORS decision depends on, borrowed.
///
/// ```
/// use cors_policy_core::engine::{Request, Values};
///
/// // An actual request.
/// let get = Request::new(b"GET").origin(b"https://app.example.com");
/// // A preflight with two `Access-Control-Request-Headers` lines.
/// let lines: [&[u8]; 2] = [b"content-type", b"x-trace"];
/// let preflight = Request::new(b"OPTIONS")
///     .origin(b"https://app.example.com")
///     .request_method(b"PUT")
///     .request_headers(Values::Many(&lines));
/// # let _ = (get, preflight);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Request<'r> {
    /// The request method, as sent (methods are case-sensitive).
    pub method: &'r [u8],
    /// `Origin`.
    pub origin: Values<'r>,
    /// `Access-Control-Request-Method`.
    pub request_method: Values<'r>,
    /// `Access-Control-Request-Headers` (every line).
    pub request_headers: Values<'r>,
    /// `Access-Control-Request-Private-Network`.
    pub request_private_network: Values<'r>,
}

impl<'r> Request<'r> {
    /// A request with this method and none of the CORS request headers.
    pub fn new(method: &'r [u8]) -> Self {
        Request {
            method,
            ..Request::default()
        }
    }

    /// Sets one `Origin` header.
    pub fn origin(mut self, origin: &'r [u8]) -> Self {
        self.origin = Values::One(origin);
        self
    }

    /// Sets the `Origin` header lines.
    pub fn origins(mut self, origins: Values<'r>) -> Self {
        self.origin = origins;
        self
    }

    /// Sets one `Access-Control-Request-Method` header.
    pub fn request_method(mut self, method: &'r [u8]) -> Self {
        self.request_method = Values::One(method);
        self
    }

    /// Sets the `Access-Control-Request-Headers` lines.
    pub fn request_headers(mut self, lines: Values<'r>) -> Self {
        self.request_headers = lines;
        self
    }

    /// Sets `Access-Control-Request-Private-Network: true`.
    pub fn private_network(mut self) -> Self {
        self.request_private_network = Values::One(b"true");
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collect_into_a_stack_buffer() {
        let mut buf: [&[u8]; 2] = [b""; 2];
        let src: [&[u8]; 0] = [];
        assert_eq!(Values::collect_into(src, &mut buf), Values::Absent);
        let mut buf: [&[u8]; 2] = [b""; 2];
        let v = Values::collect_into([&b"a"[..]], &mut buf);
        assert_eq!(v, Values::One(b"a"));
        let mut buf: [&[u8]; 2] = [b""; 2];
        let v = Values::collect_into([&b"a"[..], b"b"], &mut buf);
        assert_eq!(v.lines(), Some(&[&b"a"[..], b"b"][..]));
        let mut buf: [&[u8]; 2] = [b""; 2];
        let v = Values::collect_into([&b"a"[..], b"b", b"c"], &mut buf);
        assert_eq!(v, Values::TooMany);
        assert_eq!(v.lines(), None);
    }

    #[test]
    fn single_and_absent() {
        assert!(Values::Absent.is_absent());
        assert!(Values::Many(&[]).is_absent());
        assert!(!Values::TooMany.is_absent());
        assert_eq!(Values::One(b"x").single(), Ok(Some(&b"x"[..])));
        assert_eq!(Values::Many(&[b"x", b"y"]).single(), Err(()));
        assert_eq!(Values::TooMany.single(), Err(()));
        assert_eq!(Values::Absent.single(), Ok(None));
    }
}
