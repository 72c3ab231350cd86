//! The data model of a document as `serde_yaml` (the loader of record) types it.
//!
//! We do not load into `serde_yaml::Value`: it rejects integers beyond `u64`/`i64`
//! (a `max_age` of 20 digits would become a syntax error of the whole file instead of a
//! located `max-age-out-of-range`) and it rejects duplicate keys with the position of
//! the enclosing mapping rather than of the duplicate. [`Typed`] keeps both, and leaves
//! the decision to the policy walk, which knows every key's position.

use std::fmt;

use serde::de::{
    self, Deserialize, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor,
};

/// One YAML node as `serde_yaml` resolved it (YAML 1.2 core schema).
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Typed {
    /// `null`, `~` or nothing.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// An integer that fits an `i128`.
    Int(i128),
    /// An integer beyond `i128` (only `u128` values above `i128::MAX`).
    BigInt,
    /// A float (including integers too large for `u128`, which serde_yaml parses as floats).
    Float(f64),
    /// A string.
    Str(String),
    /// A sequence.
    Seq(Vec<Typed>),
    /// A mapping, in the order written, duplicates kept.
    Map(Vec<(Typed, Typed)>),
    /// A value with a custom tag (`!foo x`).
    Tagged(String, Box<Typed>),
}

impl Typed {
    /// A short description of the value for messages: `the string "yes"`, `a list`, ...
    pub(crate) fn describe(&self) -> String {
        match self {
            Typed::Null => "nothing (null)".to_owned(),
            Typed::Bool(b) => format!("the boolean `{b}`"),
            Typed::Int(i) => format!("the number `{i}`"),
            Typed::BigInt => "a very large number".to_owned(),
            Typed::Float(f) => format!("the number `{f}`"),
            Typed::Str(s) => format!("the string {}", quote_short(s)),
            Typed::Seq(_) => "a list".to_owned(),
            Typed::Map(_) => "a mapping".to_owned(),
            Typed::Tagged(tag, _) => format!("a value tagged `!{tag}`"),
        }
    }

    /// The string, when this is one.
    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Typed::Str(s) => Some(s),
            _ => None,
        }
    }
}

/// `s` in double quotes, shortened to 40 characters.
pub(crate) fn quote_short(s: &str) -> String {
    const MAX: usize = 40;
    if s.chars().count() > MAX {
        let head: String = s.chars().take(MAX).collect();
        format!("{:?}...", head)
    } else {
        format!("{s:?}")
    }
}

impl<'de> Deserialize<'de> for Typed {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TypedVisitor)
    }
}

struct TypedVisitor;

impl<'de> Visitor<'de> for TypedVisitor {
    type Value = Typed;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Typed, E> {
        Ok(Typed::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Typed, E> {
        Ok(Typed::Int(v.into()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Typed, E> {
        Ok(Typed::Int(v.into()))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Typed, E> {
        Ok(Typed::Int(v))
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Typed, E> {
        Ok(i128::try_from(v).map_or(Typed::BigInt, Typed::Int))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Typed, E> {
        Ok(Typed::Float(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Typed, E> {
        Ok(Typed::Str(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Typed, E> {
        Ok(Typed::Str(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Typed, E> {
        Ok(Typed::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Typed, E> {
        Ok(Typed::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Typed, D::Error> {
        Typed::deserialize(d)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Typed, D::Error> {
        Typed::deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Typed, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Typed::Seq(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Typed, A::Error> {
        let mut entries = Vec::new();
        while let Some((k, v)) = map.next_entry()? {
            entries.push((k, v));
        }
        Ok(Typed::Map(entries))
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Typed, A::Error> {
        // serde_yaml presents a value with a custom tag as an enum whose variant is the tag.
        let (tag, contents): (String, _) = data.variant()?;
        let inner: Typed = contents.newtype_variant()?;
        Ok(Typed::Tagged(tag, Box::new(inner)))
    }
}

/// The outcome of loading a text with serde_yaml.
pub(crate) enum Loaded {
    /// The first document (`None` for a stream with no document) and whether more follow.
    Ok {
        /// The first document.
        first: Option<Typed>,
        /// Whether the stream holds a second document.
        more: bool,
    },
    /// A syntax (or loader) error: 1-based line and column when serde_yaml knows them.
    Err {
        /// The error message, without its ` at line L column C` part.
        message: String,
        /// 1-based line and column.
        at: Option<(usize, usize)>,
    },
}

/// Loads `text` with serde_yaml, keeping only its first document.
pub(crate) fn load(text: &str) -> Loaded {
    let mut docs = serde_yaml::Deserializer::from_str(text);
    let first = match docs.next() {
        None => None,
        Some(doc) => match Typed::deserialize(doc) {
            Ok(t) => Some(t),
            Err(e) => return error(&e),
        },
    };
    let more = docs.next().is_some();
    Loaded::Ok { first, more }
}

fn error(e: &serde_yaml::Error) -> Loaded {
    let at = e.location().map(|l| (l.line(), l.column()));
    let mut message = e.to_string();
    if let Some((line, column)) = at {
        let suffix = format!(" at line {line} column {column}");
        if let Some(pos) = message.find(&suffix) {
            message.replace_range(pos..pos + suffix.len(), "");
        }
    }
    Loaded::Err { message, at }
}
