//! The shape of the first document with a [`Location`] on every node, from
//! `saphyr-parser`'s span-carrying events.
//!
//! Built with an explicit stack, so a deeply nested input cannot overflow ours.

use saphyr_parser::{Event, Marker, Parser, ScalarStyle, Span};

use crate::diagnostic::Location;

/// One node of the document with its location.
#[derive(Debug)]
pub(crate) struct SNode {
    /// Where the node was written.
    pub loc: Location,
    /// What it is.
    pub kind: SKind,
}

/// The shape of an [`SNode`].
#[derive(Debug)]
pub(crate) enum SKind {
    /// A scalar: its text after unquoting, and whether it was written plain (unquoted).
    Scalar {
        /// The value.
        text: String,
        /// Whether it was written without quotes or block indicators.
        plain: bool,
    },
    /// A sequence.
    Seq(Vec<SNode>),
    /// A mapping, in the order written.
    Map(Vec<(SNode, SNode)>),
    /// An alias (`*name`): its children have no location of their own.
    Alias,
}

/// What saphyr saw in the text.
#[derive(Debug, Default)]
pub(crate) struct Scanned {
    /// The first document's root node, when it was read without error.
    pub root: Option<SNode>,
    /// Where a second document starts, if there is one.
    pub second_doc: Option<Location>,
    /// A syntax error met while reading the first document (or just after it).
    pub error: Option<(Location, String)>,
}

/// The lines of a text, for turning markers into locations with a length.
pub(crate) struct Lines<'a> {
    lines: Vec<&'a str>,
}

impl<'a> Lines<'a> {
    /// Splits `text` into lines (`\n`, with a trailing `\r` dropped).
    pub(crate) fn new(text: &'a str) -> Self {
        Lines {
            lines: text
                .split('\n')
                .map(|l| l.strip_suffix('\r').unwrap_or(l))
                .collect(),
        }
    }

    /// Whether line `line` (1-based) is empty, white space only, or past the end.
    pub(crate) fn is_blank(&self, line: usize) -> bool {
        line.checked_sub(1)
            .and_then(|i| self.lines.get(i))
            .is_none_or(|l| l.trim().is_empty())
    }

    /// Characters of line `line` (1-based) from `col0` (0-based) to its end, without
    /// trailing white space; at least 1.
    fn rest_of_line(&self, line: usize, col0: usize) -> usize {
        let text = line
            .checked_sub(1)
            .and_then(|i| self.lines.get(i))
            .map_or("", |l| l.trim_end());
        text.chars().count().saturating_sub(col0).max(1)
    }

    /// The location of a quoted scalar starting at `start`: up to its closing quote
    /// when that is on the same line, else as [`Lines::span`].
    pub(crate) fn quoted(&self, start: Marker, end: Marker) -> Location {
        let mut loc = self.span(start, end);
        let line = start
            .line()
            .checked_sub(1)
            .and_then(|i| self.lines.get(i))
            .map_or("", |l| *l);
        let mut chars = line.chars().skip(start.col());
        let Some(quote) = chars.next().filter(|c| *c == '"' || *c == '\'') else {
            return loc;
        };
        let mut len = 1;
        let mut escaped = false;
        let mut chars = chars.peekable();
        while let Some(c) = chars.next() {
            len += 1;
            if quote == '"' && c == '\\' && !escaped {
                escaped = true;
                continue;
            }
            if c == quote && !escaped {
                // In single quotes, '' is an escaped quote.
                if quote == '\'' && chars.peek() == Some(&'\'') {
                    chars.next();
                    len += 1;
                    continue;
                }
                loc.len = len;
                return loc;
            }
            escaped = false;
        }
        loc
    }

    /// The location of a span: its start, and its length on its first line.
    pub(crate) fn span(&self, start: Marker, end: Marker) -> Location {
        let len = if end.line() == start.line() && end.col() > start.col() {
            end.col() - start.col()
        } else {
            self.rest_of_line(start.line(), start.col())
        };
        Location {
            line: start.line().max(1),
            column: start.col() + 1,
            len: len.max(1),
        }
    }
}

enum Frame {
    Seq(Marker, Vec<SNode>),
    Map(Marker, Vec<(SNode, SNode)>, Option<SNode>),
}

/// Reads the first document of `text` with saphyr.
pub(crate) fn scan(text: &str, lines: &Lines<'_>) -> Scanned {
    let mut out = Scanned::default();
    let mut stack: Vec<Frame> = Vec::new();
    let mut docs = 0usize;
    for event in Parser::new_from_str(text) {
        let (event, span): (Event<'_>, Span) = match event {
            Ok(e) => e,
            Err(e) => {
                let m = e.marker();
                let loc = Location::at(m.line().max(1), m.col() + 1);
                if out.second_doc.is_none() {
                    out.error = Some((loc, e.info().to_owned()));
                }
                return out;
            }
        };
        let node = match event {
            Event::DocumentStart(_) => {
                docs += 1;
                if docs > 1 {
                    out.second_doc = Some(lines.span(span.start, span.end));
                    return out;
                }
                continue;
            }
            Event::Scalar(value, style, _, _) => SNode {
                loc: match style {
                    // saphyr's end marker of a quoted scalar can run past the closing
                    // quote (to a trailing comment); measure the quotes on the line.
                    ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => {
                        lines.quoted(span.start, span.end)
                    }
                    _ => lines.span(span.start, span.end),
                },
                kind: SKind::Scalar {
                    text: value.into_owned(),
                    plain: style == ScalarStyle::Plain,
                },
            },
            Event::Alias(_) => SNode {
                loc: lines.span(span.start, span.end),
                kind: SKind::Alias,
            },
            Event::SequenceStart(..) => {
                stack.push(Frame::Seq(span.start, Vec::new()));
                continue;
            }
            Event::MappingStart(..) => {
                stack.push(Frame::Map(span.start, Vec::new(), None));
                continue;
            }
            Event::SequenceEnd => match stack.pop() {
                Some(Frame::Seq(start, items)) => SNode {
                    loc: lines.span(start, span.end),
                    kind: SKind::Seq(items),
                },
                // Unbalanced events: saphyr never sends them; give up on positions.
                _ => return out,
            },
            Event::MappingEnd => match stack.pop() {
                Some(Frame::Map(start, entries, _)) => SNode {
                    loc: lines.span(start, span.end),
                    kind: SKind::Map(entries),
                },
                _ => return out,
            },
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => continue,
        };
        match stack.last_mut() {
            None => out.root = Some(node),
            Some(Frame::Seq(_, items)) => items.push(node),
            Some(Frame::Map(_, entries, pending)) => match pending.take() {
                None => *pending = Some(node),
                Some(key) => entries.push((key, node)),
            },
        }
    }
    out
}
