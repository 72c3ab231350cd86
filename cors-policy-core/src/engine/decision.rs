//! The outcome of a decision: kind, verdict, reason and response headers, with no
//! allocation.

use super::reason::Reason;
use super::VarySet;

/// What kind of request the engine saw.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// No `Origin` header: not a CORS request; pass it to the application untouched
    /// (but merge [`Decision::vary`] into its `Vary`).
    NotCors,
    /// `OPTIONS` + `Origin` + `Access-Control-Request-Method`: answer it without calling
    /// the application, with [`Decision::status`] and [`Decision::headers`].
    Preflight,
    /// Any other request with an `Origin` (including an `OPTIONS` without
    /// `Access-Control-Request-Method`): call the application and add
    /// [`Decision::headers`] to its response.
    Actual,
}

impl Kind {
    /// `not-cors`, `preflight` or `actual`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::NotCors => "not-cors",
            Kind::Preflight => "preflight",
            Kind::Actual => "actual",
        }
    }
}

/// Where a response header's value comes from, so that an adapter can build its own
/// header value type without parsing bytes per request: a [`Source::Static`] value is
/// a `&'static str` (`HeaderValue::from_static`), a [`Source::Policy`] value is the
/// same for every request (prepare it once, see [`Policy::precomputed`]), and the
/// request sources are the request's own header values, which an adapter can reuse
/// (e.g. clone the request's `http::HeaderValue`, a reference count).
///
/// [`Policy::precomputed`]: crate::table::Policy::precomputed
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Source {
    /// Fixed text: `true`, `*`, a `Vary` list.
    Static(&'static str),
    /// One of the policy's precomputed values.
    Policy(PolicyValue),
    /// The request's `Origin`, byte for byte (its only line).
    RequestOrigin,
    /// The request's `Access-Control-Request-Method`, byte for byte (its only line).
    RequestMethod,
    /// Names echoed from the request's `Access-Control-Request-Headers`: the value is
    /// line `line` of that header when `whole` (trimmed of optional whitespace), or one
    /// item of it otherwise (a line with empty items is echoed item by item).
    RequestHeaders {
        /// The index of the request line the value comes from.
        line: usize,
        /// Whether the value is that whole line, trimmed.
        whole: bool,
    },
}

/// The header values a policy precomputes (see [`Source::Policy`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PolicyValue {
    /// `Access-Control-Expose-Headers`.
    ExposeHeaders,
    /// `Access-Control-Max-Age`.
    MaxAge,
    /// `Access-Control-Allow-Headers` of a preflight that asked for headers.
    AllowHeaders,
}

/// One response header: a lower-case name, its value bytes, and where the value comes
/// from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Header<'a> {
    /// The lower-case header name, e.g. `access-control-allow-origin`.
    pub name: &'static str,
    /// The value, borrowed from the policy or the request (always visible ASCII).
    pub value: &'a [u8],
    /// Where [`Header::value`] comes from.
    pub source: Source,
}

impl Header<'_> {
    const EMPTY: Header<'static> = Header {
        name: "",
        value: b"",
        source: Source::Static(""),
    };

    /// The value as text (every value the engine produces is ASCII).
    pub fn value_str(&self) -> &str {
        std::str::from_utf8(self.value).unwrap_or("")
    }
}

/// The most headers a decision holds besides echoed `Access-Control-Allow-Headers`
/// values: allow-origin, allow-credentials, allow-methods, allow-headers, max-age,
/// allow-private-network and vary.
pub(crate) const MAX_HEADERS: usize = 7;

/// What the engine decided for one request. Holds no heap memory.
#[derive(Clone, Copy, Debug)]
pub struct Decision<'a> {
    pub(crate) kind: Kind,
    pub(crate) reason: Reason<'a>,
    pub(crate) headers: [Header<'a>; MAX_HEADERS],
    pub(crate) len: usize,
    /// `Access-Control-Allow-Headers` echoed from these request lines, inserted before
    /// `headers[at]`.
    pub(crate) echo: Option<(usize, &'a [&'a [u8]])>,
    pub(crate) vary: VarySet,
    pub(crate) private_network_refused: bool,
}

impl<'a> Decision<'a> {
    #[inline(always)]
    pub(crate) fn new(kind: Kind, reason: Reason<'a>, vary: VarySet) -> Self {
        Decision {
            kind,
            reason,
            headers: [Header::EMPTY; MAX_HEADERS],
            len: 0,
            echo: None,
            vary,
            private_network_refused: false,
        }
    }

    #[inline(always)]
    pub(crate) fn push(&mut self, name: &'static str, value: &'a [u8], source: Source) {
        // MAX_HEADERS is the number of distinct names the engine ever pushes.
        if let Some(slot) = self.headers.get_mut(self.len) {
            *slot = Header {
                name,
                value,
                source,
            };
            self.len += 1;
        }
    }

    /// `Access-Control-Allow-Origin` (the origin, or `*`), then
    /// `-Allow-Credentials: true` when the policy is credentialed: how every allowed
    /// answer starts.
    #[inline(always)]
    pub(crate) fn allow_origin(&mut self, (value, source): (&'a [u8], Source), credentials: bool) {
        self.push("access-control-allow-origin", value, source);
        if credentials {
            self.push(
                "access-control-allow-credentials",
                b"true",
                Source::Static("true"),
            );
        }
    }

    /// Finishes the decision: `Vary` (when there is one) goes last.
    #[inline(always)]
    pub(crate) fn finish(&mut self) {
        if !self.vary.value.is_empty() {
            self.push(
                "vary",
                self.vary.value.as_bytes(),
                Source::Static(self.vary.value),
            );
        }
    }

    /// The kind of request.
    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// Whether the CORS request is allowed: `false` for a denied request and for a
    /// request that is not a CORS request at all.
    pub fn is_allowed(&self) -> bool {
        self.kind != Kind::NotCors && !self.reason.is_denial()
    }

    /// The status to answer a preflight with (204 allowed, 403 denied); `None` for
    /// other requests, which go to the application.
    pub fn status(&self) -> Option<u16> {
        match self.kind {
            Kind::Preflight if self.is_allowed() => Some(204),
            Kind::Preflight => Some(403),
            Kind::NotCors | Kind::Actual => None,
        }
    }

    /// Why: the origin rule that allowed the request, or what denied it.
    pub fn reason(&self) -> Reason<'a> {
        self.reason
    }

    /// The `Vary` names this response depends on, to merge into the application's
    /// `Vary` with [`crate::vary::merge`]. Empty when nothing varies.
    pub fn vary(&self) -> &'static [&'static str] {
        self.vary.names
    }

    /// The `Vary` value this decision adds (the names of [`Decision::vary`] joined), as
    /// a `&'static str` an adapter can hand to `HeaderValue::from_static`; `None` when
    /// nothing varies.
    pub fn vary_value(&self) -> Option<&'static str> {
        (!self.vary.value.is_empty()).then_some(self.vary.value)
    }

    /// Whether the request asked for Private Network Access
    /// (`Access-Control-Request-Private-Network: true`) and the policy does not allow
    /// it: the preflight is still answered, without `-Allow-Private-Network`.
    pub fn private_network_refused(&self) -> bool {
        self.private_network_refused
    }

    /// Every response header to add, in order, `vary` last (merge it into an existing
    /// `Vary` instead of appending a second one). `access-control-allow-headers` may
    /// occur several times when it echoes several request lines.
    pub fn headers(&self) -> Headers<'_, 'a> {
        Headers {
            decision: self,
            next: 0,
            echo: None,
            echo_done: false,
            skip_vary: false,
        }
    }

    /// [`Decision::headers`] without `vary`: what to set when `Vary` is merged
    /// separately from [`Decision::vary`].
    pub fn cors_headers(&self) -> Headers<'_, 'a> {
        Headers {
            skip_vary: true,
            ..self.headers()
        }
    }
}

/// The response headers of a [`Decision`], in order.
#[derive(Clone, Debug)]
pub struct Headers<'d, 'a> {
    decision: &'d Decision<'a>,
    next: usize,
    echo: Option<Echo<'a>>,
    echo_done: bool,
    skip_vary: bool,
}

impl<'a> Iterator for Headers<'_, 'a> {
    type Item = Header<'a>;

    fn next(&mut self) -> Option<Header<'a>> {
        let d = self.decision;
        loop {
            if let Some(echo) = &mut self.echo {
                if let Some((value, line, whole)) = echo.next() {
                    return Some(Header {
                        name: "access-control-allow-headers",
                        value,
                        source: Source::RequestHeaders { line, whole },
                    });
                }
                self.echo = None;
            }
            if let Some((at, lines)) = d.echo {
                if self.next == at && !self.echo_done {
                    self.echo_done = true;
                    self.echo = Some(Echo::new(lines));
                    continue;
                }
            }
            let header = *d.headers[..d.len].get(self.next)?;
            self.next += 1;
            if self.skip_vary && header.name == "vary" {
                continue;
            }
            return Some(header);
        }
    }
}

/// Echoes `Access-Control-Request-Headers` lines as `Access-Control-Allow-Headers`
/// values: a line whose items are all non-empty is echoed whole (trimmed); a line with
/// empty items is echoed one item per value, so every value is a clean `#field-name`
/// list. Every item has already been checked to be an allowed token.
#[derive(Clone, Debug)]
struct Echo<'a> {
    lines: &'a [&'a [u8]],
    /// The index of `lines[0]` in the request's lines.
    index: usize,
    /// Position inside the current line when it is being split item by item.
    split: Option<usize>,
}

impl<'a> Echo<'a> {
    fn new(lines: &'a [&'a [u8]]) -> Self {
        Echo {
            lines,
            index: 0,
            split: None,
        }
    }

    /// Moves on to the next request line.
    fn next_line(&mut self, rest: &'a [&'a [u8]]) {
        self.lines = rest;
        self.index += 1;
    }
}

impl<'a> Iterator for Echo<'a> {
    /// The value, the index of its request line, and whether it is that whole line.
    type Item = (&'a [u8], usize, bool);

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let (&line, rest) = self.lines.split_first()?;
            let index = self.index;
            match self.split {
                None => {
                    let trimmed = super::trim_ows(line);
                    if trimmed.is_empty() {
                        self.next_line(rest);
                        continue;
                    }
                    if trimmed
                        .split(|&b| b == b',')
                        .all(|item| !super::trim_ows(item).is_empty())
                    {
                        self.next_line(rest);
                        return Some((trimmed, index, true));
                    }
                    self.split = Some(0);
                }
                Some(pos) => {
                    let tail = line.get(pos..).unwrap_or_default();
                    match tail.iter().position(|&b| b == b',') {
                        Some(comma) => {
                            self.split = Some(pos + comma + 1);
                            let item = super::trim_ows(&tail[..comma]);
                            if !item.is_empty() {
                                return Some((item, index, false));
                            }
                        }
                        None => {
                            self.split = None;
                            self.next_line(rest);
                            let item = super::trim_ows(tail);
                            if !item.is_empty() {
                                return Some((item, index, false));
                            }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn echo(lines: &[&[u8]]) -> Vec<String> {
        Echo::new(lines)
            .map(|(v, ..)| String::from_utf8(v.to_vec()).unwrap())
            .collect()
    }

    #[test]
    fn echo_keeps_clean_lines_and_splits_others() {
        assert_eq!(echo(&[b"a,b", b" c , d "]), ["a,b", "c , d"]);
        assert_eq!(echo(&[b"a,,b,", b"", b"  ", b"c"]), ["a", "b", "c"]);
        assert_eq!(echo(&[b",x"]), ["x"]);
        let lines: [&[u8]; 3] = [b"a,,b", b" ", b" c "];
        let sources: Vec<(usize, bool)> = Echo::new(&lines).map(|(_, i, w)| (i, w)).collect();
        assert_eq!(sources, [(0, false), (0, false), (2, true)]);
        assert!(echo(&[]).is_empty());
    }

    #[test]
    fn headers_iterate_in_order_with_echo_inserted() {
        let lines: [&[u8]; 2] = [b"x-a", b"x-b,,x-c"];
        let mut d = Decision::new(
            Kind::Preflight,
            Reason::ExactOrigin,
            crate::engine::VARY_ORIGIN,
        );
        d.push(
            "access-control-allow-origin",
            b"https://a.com",
            Source::RequestOrigin,
        );
        d.push(
            "access-control-allow-methods",
            b"PUT",
            Source::RequestMethod,
        );
        d.echo = Some((2, &lines));
        d.push(
            "access-control-max-age",
            b"60",
            Source::Policy(PolicyValue::MaxAge),
        );
        d.finish();
        let got: Vec<(&str, &[u8])> = d.headers().map(|h| (h.name, h.value)).collect();
        assert_eq!(
            got,
            [
                ("access-control-allow-origin", &b"https://a.com"[..]),
                ("access-control-allow-methods", b"PUT"),
                ("access-control-allow-headers", b"x-a"),
                ("access-control-allow-headers", b"x-b"),
                ("access-control-allow-headers", b"x-c"),
                ("access-control-max-age", b"60"),
                ("vary", b"Origin"),
            ]
        );
        assert_eq!(d.cors_headers().count(), 6);
        assert_eq!(d.status(), Some(204));
    }

    #[test]
    fn echo_at_the_end() {
        let lines: [&[u8]; 1] = [b"x-a"];
        let mut d = Decision::new(
            Kind::Preflight,
            Reason::ExactOrigin,
            crate::engine::VARY_NONE,
        );
        d.push("access-control-allow-origin", b"*", Source::Static("*"));
        d.echo = Some((1, &lines));
        let names: Vec<&str> = d.headers().map(|h| h.name).collect();
        assert_eq!(
            names,
            [
                "access-control-allow-origin",
                "access-control-allow-headers"
            ]
        );
    }
}
