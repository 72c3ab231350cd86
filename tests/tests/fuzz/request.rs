//! Generated requests: origins near a policy's own entries (so the matcher's edges are
//! hit), mutations of them, and raw bytes; header lines of every shape.

use cors_policy::engine::{Request, Values};
use proptest::prelude::*;

use crate::spec::{List, OriginEntry, Spec, HEADERS, HOSTS};

/// The lines of one request header, owned.
#[derive(Clone, Debug)]
pub enum Lines {
    Absent,
    One(Vec<u8>),
    Many(Vec<Vec<u8>>),
    /// More lines than the adapter's buffer holds.
    TooMany,
}

impl Lines {
    /// Every line (`None` for too many).
    pub fn lines(&self) -> Option<Vec<&[u8]>> {
        match self {
            Lines::Absent => Some(vec![]),
            Lines::One(v) => Some(vec![v]),
            Lines::Many(v) => Some(v.iter().map(Vec::as_slice).collect()),
            Lines::TooMany => None,
        }
    }

    /// The only line, if there is exactly one.
    pub fn single(&self) -> Option<&[u8]> {
        match self.lines()?.as_slice() {
            [one] => Some(one),
            _ => None,
        }
    }

    pub fn is_absent(&self) -> bool {
        self.lines().is_some_and(|l| l.is_empty())
    }
}

/// One request, owned.
#[derive(Clone, Debug)]
pub struct Req {
    pub method: Vec<u8>,
    pub origin: Lines,
    pub request_method: Lines,
    pub request_headers: Lines,
    pub private_network: Lines,
}

fn values<'a>(lines: &'a Lines, buf: &'a [&'a [u8]]) -> Values<'a> {
    match lines {
        Lines::Absent => Values::Absent,
        Lines::One(v) => Values::One(v),
        Lines::Many(_) => Values::Many(buf),
        Lines::TooMany => Values::TooMany,
    }
}

impl Req {
    /// Runs `f` on the engine's view of this request.
    pub fn with<T>(&self, f: impl FnOnce(&Request<'_>) -> T) -> T {
        let bufs: [Vec<&[u8]>; 4] = [
            &self.origin,
            &self.request_method,
            &self.request_headers,
            &self.private_network,
        ]
        .map(|l| l.lines().unwrap_or_default());
        let request = Request {
            method: &self.method,
            origin: values(&self.origin, &bufs[0]),
            request_method: values(&self.request_method, &bufs[1]),
            request_headers: values(&self.request_headers, &bufs[2]),
            request_private_network: values(&self.private_network, &bufs[3]),
        };
        f(&request)
    }
}

fn label() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("a".to_owned()),
        Just("www".to_owned()),
        Just("eu-1".to_owned()),
        Just("us-42".to_owned()),
        Just("pr-7".to_owned()),
        Just("app".to_owned()),
        Just("api".to_owned()),
        Just("x_y".to_owned()),
        Just("A".to_owned()),
        Just("".to_owned()),
        "[a-z0-9-]{1,6}",
    ]
}

fn port() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "", "", "", ":8080", ":3000", ":8443", ":443", ":80", ":1", ":65535", ":65536", ":99999",
        ":08080", ":", ":0", ":*",
    ])
    .prop_map(str::to_owned)
}

fn mutate(o: String, how: usize) -> String {
    match how {
        0 => o.to_ascii_uppercase(),
        1 => format!("{o}/"),
        2 => format!("{o}."),
        3 => format!("{o}.evil.com"),
        4 => o.replacen("://", "://evil", 1),
        5 => o.replacen('.', "x", 1),
        6 => o.replacen("https://", "http://", 1),
        7 => format!("{o},{o}"),
        8 => format!(" {o}"),
        9 => o.replacen("://", "://a.", 1),
        10 => format!("{o}%60"),
        _ => o,
    }
}

/// Concrete origins the spec's entries could match.
fn instances(spec: &Spec) -> Vec<String> {
    let mut out = Vec::new();
    if let List::Items(items) = &spec.origins {
        for item in items {
            match item {
                OriginEntry::Text(t) => {
                    out.push(t.clone());
                    out.push(t.replace("*.", "a.").replace(":*", ""));
                    out.push(t.replace("*.", "b.c.").replace(":*", ":3000"));
                }
                OriginEntry::Regex(r) => {
                    // The regex's domain, unescaped, under a few hosts.
                    let d = r
                        .rsplit_once(r"\.")
                        .map(|(a, b)| {
                            let before = a.rsplit(['.', ')', '+', '}', '/']).next().unwrap_or("");
                            format!("{before}.{}", b.trim_end_matches(['$', ')', '?']))
                        })
                        .unwrap_or_default()
                        .replace('\\', "");
                    for h in ["eu-1", "app", "pr-12.preview", "ab", "api"] {
                        out.push(format!("https://{h}.{d}"));
                    }
                }
            }
        }
    }
    out
}

/// An `Origin` value for `spec`.
pub fn origin_for(spec: &Spec) -> BoxedStrategy<Vec<u8>> {
    let inst = instances(spec);
    let near = if inst.is_empty() {
        Just(b"https://example.com".to_vec()).boxed()
    } else {
        (prop::sample::select(inst), 0..16usize)
            .prop_map(|(o, how)| mutate(o, how).into_bytes())
            .boxed()
    };
    let built = (
        prop::sample::select(vec!["https", "http", "wss", "capacitor", "HTTPS", ""]),
        prop::collection::vec(label(), 0..3),
        prop::sample::select(HOSTS),
        port(),
    )
        .prop_map(|(s, labels, h, p)| {
            let mut host = labels.join(".");
            if !host.is_empty() {
                host.push('.');
            }
            format!("{s}://{host}{h}{p}").into_bytes()
        });
    prop_oneof![
        6 => near,
        4 => built,
        1 => "[ -~]{0,40}".prop_map(String::into_bytes),
        1 => prop::collection::vec(any::<u8>(), 0..48),
        1 => prop::sample::select(vec![
            b"null".to_vec(),
            b"*".to_vec(),
            vec![b'a'; 5000],
            [b"https://".as_slice(), &[b'a'; 4100], b".example.com"].concat(),
            b"https://example.com\r\nx: y".to_vec(),
            b"https://example.com\0".to_vec(),
        ]),
    ]
    .boxed()
}

/// The lines of a header whose single value comes from `one`.
pub fn lines(one: impl Strategy<Value = Vec<u8>> + Clone + 'static) -> BoxedStrategy<Lines> {
    prop_oneof![
        3 => Just(Lines::Absent),
        8 => one.clone().prop_map(Lines::One),
        2 => prop::collection::vec(one, 0..4).prop_map(Lines::Many),
        1 => Just(Lines::TooMany),
    ]
    .boxed()
}

pub fn method() -> impl Strategy<Value = Vec<u8>> + Clone {
    prop_oneof![
        6 => prop::sample::select(vec![
            "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "PURGE", "X-CUSTOM", "put", "Put",
            "OPTIONS", "CONNECT",
        ])
        .prop_map(|m| m.as_bytes().to_vec()),
        1 => prop::sample::select(vec![
            b"PUT ".to_vec(),
            b"P\x01T".to_vec(),
            b"PUT\r\n".to_vec(),
            b"".to_vec(),
            vec![b'A'; 200],
            b"P\xc3\x9cT".to_vec(),
        ]),
        1 => prop::collection::vec(any::<u8>(), 0..8),
    ]
}

/// One `Access-Control-Request-Headers` line.
pub fn header_line() -> impl Strategy<Value = Vec<u8>> + Clone {
    let name = prop_oneof![
        8 => prop::sample::select(HEADERS).prop_map(|h| h.as_bytes().to_vec()),
        1 => prop::sample::select(vec!["x-other", "cookie", "*", "AUTHORIZATION", "x y", "x\u{e9}"])
            .prop_map(|h| h.as_bytes().to_vec()),
        1 => prop::collection::vec(any::<u8>(), 0..6),
    ];
    let sep = prop::sample::select(vec![",", ", ", " , ", ",,", ",\t", "\t,"]);
    (prop::collection::vec((name, sep), 0..6), any::<bool>()).prop_map(|(items, pad)| {
        let mut line = Vec::new();
        if pad {
            line.push(b' ');
        }
        for (i, (name, sep)) in items.iter().enumerate() {
            if i > 0 {
                line.extend_from_slice(sep.as_bytes());
            }
            line.extend_from_slice(name);
        }
        line
    })
}

/// Header lines at and beyond the engine's limits.
pub fn huge_header_lines() -> impl Strategy<Value = Lines> {
    prop_oneof![
        (60usize..70).prop_map(|n| Lines::Many(vec![b"x-a".to_vec(); n])),
        (250usize..260).prop_map(|n| Lines::One(vec!["x-a"; n].join(",").into_bytes())),
        (8180usize..8200).prop_map(|n| {
            let mut v = b"x-a,".repeat(n / 4);
            v.truncate(n);
            Lines::One(v)
        }),
        (2040usize..2060).prop_map(|n| Lines::One(b",".repeat(n * 4))),
    ]
}

pub fn request_for(spec: &Spec) -> impl Strategy<Value = Req> {
    let pna = prop::sample::select(vec![
        b"true".to_vec(),
        b" true ".to_vec(),
        b"false".to_vec(),
        b"TRUE".to_vec(),
    ]);
    let acrh = prop_oneof![8 => lines(header_line()), 1 => huge_header_lines()];
    (
        prop_oneof![
            3 => Just(b"OPTIONS".to_vec()),
            2 => method(),
            1 => Just(b"options".to_vec()),
        ],
        lines(origin_for(spec)),
        lines(method()),
        acrh,
        lines(pna),
    )
        .prop_map(
            |(method, origin, request_method, request_headers, private_network)| Req {
                method,
                origin,
                request_method,
                request_headers,
                private_network,
            },
        )
}
