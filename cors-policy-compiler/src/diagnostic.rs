//! Findings about a policy: stable codes, severities, and a sink that collects them all.
//!
//! Every front end (the YAML loader, the `cors_policy!` macro) and the validator report
//! into one [`Diagnostics`] sink, so a user sees every problem of a policy at once, never
//! only the first (serde's `Ctxt` pattern). A diagnostic is generic over its span type `S`:
//! the YAML loader uses [`Location`] (line and column), the macro uses
//! `proc_macro2::Span`, and the validator never needs to know which.

use std::fmt;

use unicode_width::UnicodeWidthChar;

/// How bad a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// The policy is wrong: the macro fails and `lint` exits 1.
    Error,
    /// Probably wrong: only `lint --deny-warnings` fails.
    Warning,
    /// Worth knowing; never fails anything.
    Note,
}

impl Severity {
    /// The lower-case name used in every output format (`error`, `warning`, `note`).
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

macro_rules! codes {
    ($( $(#[$doc:meta])* $variant:ident => $name:literal, )*) => {
        /// The stable kebab-case code of a finding (see the diagnostics table in the README).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Code {
            $( $(#[$doc])* $variant, )*
        }

        impl Code {
            /// Every code, in the order of the spec's table.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The kebab-case name, e.g. `null-origin`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $( Code::$variant => $name, )*
                }
            }

            /// The code with this kebab-case name.
            pub fn from_name(name: &str) -> Option<Code> {
                match name {
                    $( $name => Some(Code::$variant), )*
                    _ => None,
                }
            }
        }
    };
}

codes! {
    /// The file is not valid YAML.
    YamlSyntax => "yaml-syntax",
    /// A value of the wrong type or shape.
    InvalidValue => "invalid-value",
    /// A key the format does not define.
    UnknownKey => "unknown-key",
    /// Empty (or missing) origin list.
    NoOrigins => "no-origins",
    /// `*` origins with credentials.
    CredentialsWithWildcardOrigin => "credentials-with-wildcard-origin",
    /// `null`, or a scheme whose origin serializes to `null`.
    NullOrigin => "null-origin",
    /// A path, trailing `/`, query, fragment or userinfo in an origin.
    OriginWithPath => "origin-with-path",
    /// An origin a browser never sends byte-for-byte.
    NonCanonicalOrigin => "non-canonical-origin",
    /// Anything else that is not `scheme://host[:port]`.
    MalformedOrigin => "malformed-origin",
    /// A `*` anywhere but a leading label set or a whole port.
    InvalidOriginPattern => "invalid-origin-pattern",
    /// A pattern or regex accepting names directly under a public suffix.
    PublicSuffixWildcard => "public-suffix-wildcard",
    /// `http://` origin (not loopback) with credentials.
    InsecureOriginWithCredentials => "insecure-origin-with-credentials",
    /// A regex that does not compile to a DFA.
    RegexInvalid => "regex-invalid",
    /// A `.` meta-character where the host needs a literal dot.
    RegexUnescapedDot => "regex-unescaped-dot",
    /// A regex accepting a host outside the domains it names.
    RegexUnboundedHost => "regex-unbounded-host",
    /// A regex accepting every origin of some scheme.
    RegexMatchesAnyOrigin => "regex-matches-any-origin",
    /// A method that is not an HTTP token.
    InvalidMethod => "invalid-method",
    /// `CONNECT`, `TRACE` or `TRACK`.
    ForbiddenMethod => "forbidden-method",
    /// A header name that is not an HTTP token.
    InvalidHeaderName => "invalid-header-name",
    /// A request header that scripts can never set.
    ForbiddenRequestHeader => "forbidden-request-header",
    /// A CORS response header listed as a request header.
    ResponseHeaderInAllowHeaders => "response-header-in-allow-headers",
    /// A response header that can never be exposed.
    ForbiddenExposeHeader => "forbidden-expose-header",
    /// `expose_headers: "*"` with credentials.
    ExposeAllWithCredentials => "expose-all-with-credentials",
    /// `max_age` negative or over 86400.
    MaxAgeOutOfRange => "max-age-out-of-range",
    /// Private network access with origins anyone can own.
    PrivateNetworkWithWildcardOrigin => "private-network-with-wildcard-origin",
    /// `allow_headers: "*"` without `Authorization` listed.
    AuthorizationNotCoveredByWildcard => "authorization-not-covered-by-wildcard",
    /// `max_age` over what browsers honour.
    MaxAgeCappedByBrowsers => "max-age-capped-by-browsers",
    /// `GET`, `HEAD` or `POST` listed.
    RedundantSafelistedMethod => "redundant-safelisted-method",
    /// A safelisted header listed.
    RedundantSafelistedHeader => "redundant-safelisted-header",
    /// The same origin, method or header twice.
    DuplicateEntry => "duplicate-entry",
    /// An exact origin already covered by a pattern.
    ShadowedOrigin => "shadowed-origin",
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A position in a YAML source: 1-based line and column (in characters), and the
/// length in characters of the value it points at (at least 1, for the caret line).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Location {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    /// How many characters the value spans on its first line (at least 1).
    pub len: usize,
}

impl Location {
    /// A location of one character at `line:column`.
    pub fn at(line: usize, column: usize) -> Location {
        Location {
            line,
            column,
            len: 1,
        }
    }
}

/// The source line a [`Location`] points into and a caret line under its value, for
/// rustc-style output (the CLI's human format and the macro's file-form errors).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Excerpt {
    /// The line, printable: no carriage return, tabs as one space and control
    /// characters as U+FFFD, so the caret line can be measured in display columns. A
    /// long line is clipped around the value, `...` marking each cut end.
    pub line: String,
    /// Spaces up to the value, then one `^` per display column of it (at least one).
    pub carets: String,
}

/// Characters of a long line shown before the caret.
const BEFORE: usize = 40;
/// Characters of a line shown in all; a longer line is clipped around the caret.
const SHOWN: usize = 120;

impl Location {
    /// The excerpt of `source` at this location, if its line exists. To excerpt many
    /// locations of one source, use an [`Excerpts`].
    pub fn excerpt(&self, source: &str) -> Option<Excerpt> {
        Excerpts::new(source).excerpt(self)
    }
}

/// Excerpts of one source at many locations, sorted by line and column (as findings
/// are): the source is split into lines once, and each clipped window of a long line is
/// found by walking on from the previous one, never from the start of the line again,
/// so the cost grows with the findings and the source, not with their product.
#[derive(Debug)]
pub struct Excerpts<'a> {
    lines: Vec<&'a str>,
    cursor: Cursor,
}

/// Where the last clipped window started.
#[derive(Debug, Default)]
struct Cursor {
    line: usize,
    chars: usize,
    bytes: usize,
}

impl Cursor {
    /// The byte offset of character `chars` of `text` (line `line`).
    fn seek(&mut self, line: usize, text: &str, chars: usize) -> usize {
        if line != self.line || chars < self.chars {
            *self = Cursor {
                line,
                chars: 0,
                bytes: 0,
            };
        }
        let rest = &text[self.bytes..];
        let step: usize = rest
            .chars()
            .take(chars - self.chars)
            .map(char::len_utf8)
            .sum();
        self.bytes += step;
        self.chars = chars.min(self.chars + rest[..step].chars().count());
        self.bytes
    }
}

impl<'a> Excerpts<'a> {
    /// Excerpts of `source`.
    pub fn new(source: &'a str) -> Excerpts<'a> {
        Excerpts {
            lines: source.split('\n').collect(),
            cursor: Cursor::default(),
        }
    }

    /// The excerpt at `at`, if its line exists.
    pub fn excerpt(&mut self, at: &Location) -> Option<Excerpt> {
        let &Location { line, column, len } = at;
        let source = self.lines.get(line.checked_sub(1)?)?.trim_end_matches('\r');
        let at = column.saturating_sub(1);
        // The window: from BEFORE characters before the caret, SHOWN characters long.
        let from = at.saturating_sub(BEFORE);
        let start = self.cursor.seek(line, source, from);
        let window: Vec<char> = source[start..].chars().take(SHOWN + 1).collect();
        let clipped_end = window.len() > SHOWN;
        let window = &window[..window.len().min(SHOWN)];
        let (head, tail) = (
            if from > 0 { "..." } else { "" },
            if clipped_end { "..." } else { "" },
        );
        let shown: Vec<char> = window.iter().map(|&c| printable(c)).collect();
        let width = |cs: &[char]| -> usize { cs.iter().map(|c| c.width().unwrap_or(0)).sum() };
        // A position past the end of the line (an error at end of line) gets one caret
        // just after its last character.
        let caret_at = at.saturating_sub(from).min(shown.len());
        let covered = &shown[caret_at..(caret_at + len).min(shown.len())];
        let indent = head.len() + width(&shown[..caret_at]);
        let carets = width(covered).max(1);
        let text: String = shown.iter().collect();
        Some(Excerpt {
            line: format!("{head}{text}{tail}"),
            carets: format!("{}{}", " ".repeat(indent), "^".repeat(carets)),
        })
    }
}

/// A character safe to print: tabs as one space and control characters as U+FFFD,
/// so the caret line can be measured in display columns.
fn printable(c: char) -> char {
    match c {
        '\t' => ' ',
        c if c.is_control() => '\u{fffd}',
        c => c,
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// One finding about a policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic<S> {
    /// The stable code.
    pub code: Code,
    /// How bad it is.
    pub severity: Severity,
    /// One line saying what is wrong, naming the offending value.
    pub message: String,
    /// One line saying what to write instead.
    pub help: String,
    /// Where: the offending value.
    pub span: S,
}

impl<S> Diagnostic<S> {
    /// The same diagnostic with its span mapped, e.g. from a YAML location to a macro span.
    pub fn map_span<T>(self, f: impl FnOnce(S) -> T) -> Diagnostic<T> {
        Diagnostic {
            code: self.code,
            severity: self.severity,
            message: self.message,
            help: self.help,
            span: f(self.span),
        }
    }
}

/// Collects every finding of a policy (or a file of policies) before any is reported.
#[derive(Clone, Debug)]
pub struct Diagnostics<S> {
    items: Vec<Diagnostic<S>>,
}

impl<S> Default for Diagnostics<S> {
    fn default() -> Self {
        Diagnostics { items: Vec::new() }
    }
}

impl<S> Diagnostics<S> {
    /// An empty sink.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a finding.
    pub fn push(
        &mut self,
        code: Code,
        severity: Severity,
        span: S,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.items.push(Diagnostic {
            code,
            severity,
            message: message.into(),
            help: help.into(),
            span,
        });
    }

    /// Adds an error.
    pub fn error(
        &mut self,
        code: Code,
        span: S,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.push(code, Severity::Error, span, message, help);
    }

    /// Adds a warning.
    pub fn warning(
        &mut self,
        code: Code,
        span: S,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.push(code, Severity::Warning, span, message, help);
    }

    /// Adds a note.
    pub fn note(
        &mut self,
        code: Code,
        span: S,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.push(code, Severity::Note, span, message, help);
    }

    /// Moves every finding of `other` into this sink.
    pub fn extend(&mut self, other: Diagnostics<S>) {
        self.items.extend(other.items);
    }

    /// Whether any finding is an error.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    /// How many findings have this severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.items.iter().filter(|d| d.severity == severity).count()
    }

    /// Whether there is no finding at all.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// How many findings there are.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// The findings, in the order they were reported.
    pub fn iter(&self) -> std::slice::Iter<'_, Diagnostic<S>> {
        self.items.iter()
    }

    /// The findings, in the order they were reported.
    pub fn into_vec(self) -> Vec<Diagnostic<S>> {
        self.items
    }
}

impl<S> IntoIterator for Diagnostics<S> {
    type Item = Diagnostic<S>;
    type IntoIter = std::vec::IntoIter<Diagnostic<S>>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl<'a, S> IntoIterator for &'a Diagnostics<S> {
    type Item = &'a Diagnostic<S>;
    type IntoIter = std::slice::Iter<'a, Diagnostic<S>>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}
