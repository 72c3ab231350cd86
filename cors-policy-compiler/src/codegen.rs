//! Compiled [`Policy`] → Rust source of a constant expression that rebuilds it.
//!
//! This is what the `cors_policy!` macro embeds in the user's crate. It lives here,
//! next to the table layout in [`crate::table`], so that a change to the layout and the
//! code that writes it out are made together; the macro crate stays glue.
//!
//! The output is one block expression of type `::cors_policy::Policy`, usable in a
//! `static`, a `const` or any expression:
//!
//! - every table is a `const` item of the block holding a `&'static` slice, so the
//!   `Policy` is built from `Cow::Borrowed`s only, with nothing to parse or allocate;
//! - every regex DFA is a byte-string literal wrapped in
//!   `::cors_policy::__private::AlignAs` (4-byte aligned), written in both
//!   endiannesses under `#[cfg(target_endian = ...)]`: the macro runs on the host and
//!   cannot know the target's endianness. Byte strings, not `[u8; N]` array literals,
//!   because rustc is slow on huge array literals;
//! - a `const` assertion fails the build if the macro was built against another table
//!   format than the `cors-policy` the user links;
//! - every path is absolute (`::cors_policy::...`, `::core::...`) so the output depends
//!   on no import of the user and trips none of the user's lints.
//!
//! The text is produced as a `String` so that this crate needs no `proc-macro2`; the
//! macro parses it into tokens.

use std::fmt::{self, Write as _};

use regex_automata::dfa::dense;

use crate::table::{DfaBytes, HostPatternEntry, Policy, PortPattern, RegexEntry, Text};

/// Why a policy could not be written out as Rust source.
///
/// Only an internal inconsistency can cause one: a DFA in the tables that does not
/// deserialize. [`crate::compile::compile`] never produces such a table.
#[derive(Debug)]
pub struct CodegenError {
    message: String,
}

impl fmt::Display for CodegenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CodegenError {}

/// Rust source of a block expression of type `::cors_policy::Policy` equal to `policy`.
///
/// Never panics; fails only when a regex entry's bytes are not a valid serialized DFA.
pub fn policy_expr(policy: &Policy) -> Result<String, CodegenError> {
    // Destructured exhaustively: a new field in `Policy` must be handled here, or this
    // stops compiling.
    let Policy {
        name,
        any_origin,
        exact_origins,
        host_patterns,
        regexes,
        credentials,
        any_method,
        methods,
        any_header,
        allow_headers,
        allow_headers_value,
        expose_headers,
        max_age,
        allow_private_network,
    } = policy;

    let mut out = String::with_capacity(4096);
    out.push_str("{\n");
    let _ = writeln!(
        out,
        "const _: () = ::cors_policy::__private::assert_format_version({}u32);",
        cors_policy_core::__private::FORMAT_VERSION
    );
    out.push_str("const __CORS_EXACT_ORIGINS: &[::cors_policy::table::Text] = &[");
    write_texts(&mut out, exact_origins);
    out.push_str("];\n");

    out.push_str("const __CORS_HOST_PATTERNS: &[::cors_policy::table::HostPatternEntry] = &[");
    for entry in host_patterns.iter() {
        write_host_pattern(&mut out, entry);
    }
    out.push_str("];\n");

    for (i, entry) in regexes.iter().enumerate() {
        write_dfa_consts(&mut out, i, entry)?;
    }
    out.push_str("const __CORS_REGEXES: &[::cors_policy::table::RegexEntry] = &[");
    for (i, entry) in regexes.iter().enumerate() {
        let _ = write!(
            out,
            "::cors_policy::table::RegexEntry {{ source: {}, dfa: ::cors_policy::table::DfaBytes::Static(&__CORS_DFA_{i}.bytes) }},",
            text(&entry.source)
        );
    }
    out.push_str("];\n");

    out.push_str("const __CORS_METHODS: &[::cors_policy::table::Text] = &[");
    write_texts(&mut out, methods);
    out.push_str("];\n");
    out.push_str("const __CORS_ALLOW_HEADERS: &[::cors_policy::table::Text] = &[");
    write_texts(&mut out, allow_headers);
    out.push_str("];\n");

    let _ = write!(
        out,
        "::cors_policy::Policy {{\n\
         name: {},\n\
         any_origin: {any_origin},\n\
         exact_origins: ::cors_policy::__private::Cow::Borrowed(__CORS_EXACT_ORIGINS),\n\
         host_patterns: ::cors_policy::__private::Cow::Borrowed(__CORS_HOST_PATTERNS),\n\
         regexes: ::cors_policy::__private::Cow::Borrowed(__CORS_REGEXES),\n\
         credentials: {credentials},\n\
         any_method: {any_method},\n\
         methods: ::cors_policy::__private::Cow::Borrowed(__CORS_METHODS),\n\
         any_header: {any_header},\n\
         allow_headers: ::cors_policy::__private::Cow::Borrowed(__CORS_ALLOW_HEADERS),\n\
         allow_headers_value: {},\n\
         expose_headers: {},\n\
         max_age: {},\n\
         allow_private_network: {allow_private_network},\n\
         }}\n}}",
        opt_text(name.as_ref()),
        opt_text(allow_headers_value.as_ref()),
        opt_text(expose_headers.as_ref()),
        opt_text(max_age.as_ref()),
    );
    Ok(out)
}

/// `Cow::Borrowed("...")`.
fn text(t: &Text) -> String {
    format!(
        "::cors_policy::__private::Cow::Borrowed({})",
        str_literal(t)
    )
}

/// `::core::option::Option::Some(Cow::Borrowed("..."))` or `None`.
fn opt_text(t: Option<&Text>) -> String {
    match t {
        Some(t) => format!("::core::option::Option::Some({})", text(t)),
        None => "::core::option::Option::None".to_owned(),
    }
}

fn write_texts(out: &mut String, texts: &[Text]) {
    for t in texts {
        out.push_str(&text(t));
        out.push(',');
    }
}

fn write_host_pattern(out: &mut String, entry: &HostPatternEntry) {
    let HostPatternEntry {
        scheme,
        host,
        subdomains,
        port,
    } = entry;
    let port = match port {
        PortPattern::Default => "::cors_policy::table::PortPattern::Default".to_owned(),
        PortPattern::Exact(p) => format!("::cors_policy::table::PortPattern::Exact({p}u16)"),
        PortPattern::Any => "::cors_policy::table::PortPattern::Any".to_owned(),
    };
    let _ = write!(
        out,
        "::cors_policy::table::HostPatternEntry {{ scheme: {}, host: {}, subdomains: {subdomains}, port: {port} }},",
        text(scheme),
        text(host)
    );
}

/// The two `__CORS_DFA_{i}` consts (one per endianness) of regex entry `i`.
fn write_dfa_consts(out: &mut String, i: usize, entry: &RegexEntry) -> Result<(), CodegenError> {
    let (little, big) = dfa_both_endians(&entry.dfa).map_err(|e| CodegenError {
        message: format!(
            "the compiled DFA of regex {:?} does not deserialize: {e}",
            entry.source
        ),
    })?;
    for (endian, bytes) in [("little", little), ("big", big)] {
        let _ = writeln!(
            out,
            "#[cfg(target_endian = \"{endian}\")]\n\
             const __CORS_DFA_{i}: &::cors_policy::__private::AlignAs<[u8], u32> = \
             &::cors_policy::__private::AlignAs {{ _align: [], bytes: *{} }};",
            byte_string_literal(&bytes)
        );
    }
    Ok(())
}

/// The DFA of `dfa`, serialized little-endian and big-endian (without padding).
fn dfa_both_endians(dfa: &DfaBytes) -> Result<(Vec<u8>, Vec<u8>), String> {
    let (dfa, _) = dense::DFA::from_bytes(dfa.as_bytes()).map_err(|e| e.to_string())?;
    let (little, pad) = dfa.to_bytes_little_endian();
    let little = little[pad..].to_vec();
    let (big, pad) = dfa.to_bytes_big_endian();
    let big = big[pad..].to_vec();
    Ok((little, big))
}

/// A Rust string literal for `s`. `Debug` for `str` writes valid Rust literal syntax.
fn str_literal(s: &str) -> String {
    format!("{s:?}")
}

/// A Rust byte-string literal (`b"..."`) for `bytes`: printable ASCII as itself,
/// everything else as `\xNN`.
pub fn byte_string_literal(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2 + 3);
    out.push_str("b\"");
    for &b in bytes {
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            0x20..=0x7e => out.push(char::from(b)),
            _ => {
                let _ = write!(out, "\\x{b:02x}");
            }
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use regex_automata::dfa::Automaton;
    use regex_automata::Input;

    use super::*;

    fn owned_dfa(pattern: &str) -> DfaBytes {
        let dfa = dense::DFA::new(pattern).expect("test regex compiles");
        let (bytes, start) = dfa.to_bytes_native_endian();
        DfaBytes::Owned { bytes, start }
    }

    fn sample() -> Policy {
        Policy {
            name: Some(Cow::Owned("app".to_owned())),
            any_origin: false,
            exact_origins: Cow::Owned(vec![
                Cow::Owned("https://a.example.com".to_owned()),
                Cow::Owned("https://b.example.com:8443".to_owned()),
            ]),
            host_patterns: Cow::Owned(vec![
                HostPatternEntry {
                    scheme: Cow::Owned("https".to_owned()),
                    host: Cow::Owned("example.com".to_owned()),
                    subdomains: true,
                    port: PortPattern::Default,
                },
                HostPatternEntry {
                    scheme: Cow::Owned("http".to_owned()),
                    host: Cow::Owned("localhost".to_owned()),
                    subdomains: false,
                    port: PortPattern::Any,
                },
            ]),
            regexes: Cow::Owned(vec![RegexEntry {
                source: Cow::Owned(r"^https://(eu|us)-[0-9]+\.example\.com$".to_owned()),
                dfa: owned_dfa(r"^https://(eu|us)-[0-9]+\.example\.com$"),
            }]),
            credentials: true,
            any_method: false,
            methods: Cow::Owned(vec![Cow::Owned("PUT".to_owned())]),
            any_header: false,
            allow_headers: Cow::Owned(vec![Cow::Owned("authorization".to_owned())]),
            allow_headers_value: Some(Cow::Owned("authorization".to_owned())),
            expose_headers: Some(Cow::Owned("x-request-id".to_owned())),
            max_age: Some(Cow::Owned("600".to_owned())),
            allow_private_network: false,
        }
    }

    #[test]
    fn byte_strings_escape_quotes_backslashes_and_non_printables() {
        assert_eq!(
            byte_string_literal(b"a\"\\\x00\xff~ "),
            r#"b"a\"\\\x00\xff~ ""#
        );
    }

    #[test]
    fn expression_names_every_value_with_absolute_paths() {
        let src = policy_expr(&sample()).expect("valid tables");
        for needle in [
            r#"Borrowed("https://a.example.com")"#,
            r#"Borrowed("https://b.example.com:8443")"#,
            "subdomains: true, port: ::cors_policy::table::PortPattern::Default",
            "port: ::cors_policy::table::PortPattern::Any",
            r#"Borrowed("^https://(eu|us)-[0-9]+\\.example\\.com$")"#,
            "#[cfg(target_endian = \"little\")]\nconst __CORS_DFA_0",
            "#[cfg(target_endian = \"big\")]\nconst __CORS_DFA_0",
            "DfaBytes::Static(&__CORS_DFA_0.bytes)",
            "credentials: true",
            r#"max_age: ::core::option::Option::Some(::cors_policy::__private::Cow::Borrowed("600"))"#,
            "assert_format_version(1u32)",
        ] {
            assert!(src.contains(needle), "missing {needle:?} in:\n{src}");
        }
        // No path may depend on the user's imports.
        for line in src.lines() {
            for word in ["Cow::", "Policy {", "AlignAs"] {
                if let Some(i) = line.find(word) {
                    let before = &line[..i];
                    assert!(
                        before.ends_with("::") || before.ends_with("__private::"),
                        "relative path {word:?} in {line:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn embedded_native_bytes_rebuild_the_same_dfa() {
        let policy = sample();
        let (little, big) = dfa_both_endians(&policy.regexes[0].dfa).expect("valid DFA");
        assert_ne!(little, big, "the two endiannesses differ");
        let native = if cfg!(target_endian = "little") {
            little
        } else {
            big
        };
        // Copy into a 4-byte aligned window, as the `AlignAs` wrapper guarantees.
        let mut buf = vec![0u8; native.len() + 3];
        let off = buf.as_ptr().align_offset(4);
        buf[off..off + native.len()].copy_from_slice(&native);
        let (dfa, _) = dense::DFA::from_bytes(&buf[off..off + native.len()]).expect("deserializes");
        let hit = |s: &str| {
            dfa.try_search_fwd(&Input::new(s))
                .expect("no quit bytes")
                .is_some()
        };
        assert!(hit("https://eu-12.example.com"));
        assert!(!hit("https://euX12.example.com"));
    }

    #[test]
    fn broken_dfa_bytes_are_an_error_not_a_panic() {
        let mut policy = sample();
        policy.regexes = Cow::Owned(vec![RegexEntry {
            source: Cow::Borrowed("x"),
            dfa: DfaBytes::Static(&[]),
        }]);
        let err = policy_expr(&policy).expect_err("empty DFA bytes");
        assert!(err.to_string().contains("does not deserialize"), "{err}");
    }
}
