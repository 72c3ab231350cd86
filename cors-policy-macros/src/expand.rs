//! Findings → compile errors (all at once) or the policy's static tables.

use cors_policy_compiler::diagnostic::{Diagnostic, Diagnostics, Severity};
use cors_policy_compiler::load::LoadedPolicy;
use cors_policy_compiler::model::ValidPolicy;
use proc_macro2::{Ident, TokenStream};
use quote::quote;

use crate::file;
use crate::inline;
use crate::span::MacroSpan;

/// The whole macro: input tokens → output tokens. Never panics on any input.
pub(crate) fn cors_policy(input: TokenStream) -> TokenStream {
    let result = if file::is_file_form(&input) {
        file_form(input)
    } else {
        inline_form(input)
    };
    result.unwrap_or_else(fallback)
}

/// What a failed expansion becomes: every error, then a placeholder `Policy` so that the
/// surrounding `static`/`const` still type-checks and no cascade of errors follows.
fn fallback(errors: syn::Error) -> TokenStream {
    let errors = errors.to_compile_error();
    quote! {
        {
            #errors
            ::cors_policy::__private::ERROR_STUB
        }
    }
}

/// `[code] message` plus its help line, the help's regex in Rust syntax.
fn message<S>(d: &Diagnostic<S>) -> String {
    format!(
        "[{}] {}\n  = help: {}",
        d.code,
        d.message,
        rust_string_help(&d.help)
    )
}

/// A help ending in a regex (or part of one) with backslashes, rewritten for the
/// inline form: the validator writes regex syntax (`api\.example\.com`), which in a
/// Rust `"..."` literal is an unknown escape that rustc rejects. Shows the two ways
/// to write it in Rust: backslashes doubled, or a raw string.
fn rust_string_help(help: &str) -> String {
    let Some((head, tail)) = help.rsplit_once(' ') else {
        return help.to_owned();
    };
    if !tail.contains('\\') {
        return help.to_owned();
    }
    let doubled = tail.replace('\\', "\\\\");
    if tail.starts_with('^') {
        format!("{head} regex(\"{doubled}\"), or regex(r\"{tail}\")")
    } else {
        format!(
            "{head} {doubled} inside regex(\"...\"), or {tail} inside a raw string regex(r\"...\")"
        )
    }
}

/// Every error-severity finding as one combined `syn::Error`, if there is any.
fn errors<S>(
    diags: &Diagnostics<S>,
    mut to_error: impl FnMut(&Diagnostic<S>) -> syn::Error,
) -> Option<syn::Error> {
    diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(&mut to_error)
        .reduce(|mut all, e| {
            all.combine(e);
            all
        })
}

fn inline_form(input: TokenStream) -> syn::Result<TokenStream> {
    let inline::Parsed {
        raw,
        mut diags,
        rustc_reported,
    } = inline::parse(input)?;
    let valid = cors_policy_compiler::validate::validate(&raw, &mut diags);
    if let Some(e) = errors(&diags, |d| d.span.error(message(d))) {
        return Err(e);
    }
    if rustc_reported {
        // rustc's own error fails the build; a placeholder keeps the item well-typed.
        return Ok(quote! { ::cors_policy::__private::ERROR_STUB });
    }
    let Some(valid) = valid else {
        return Err(MacroSpan::from(proc_macro2::Span::call_site())
            .error("internal error: the policy has no error but did not validate"));
    };
    let warnings = diags
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .map(|d| warning(d.span, &message(d)));
    let warnings: Vec<_> = warnings.collect();
    tables(&valid, quote!(#(#warnings)*))
}

fn file_form(input: TokenStream) -> syn::Result<TokenStream> {
    let args = file::parse_args(input)?;
    let loaded = args.load()?;
    let path = args.written_path();
    let span = args.path_span();
    let source = &loaded.source;
    let to_error = |d: &Diagnostic<_>| span.error(file::message(&path, source, d));
    let policy = args.policy();
    let chosen: &LoadedPolicy = match loaded.file.select(policy.as_deref()) {
        Ok(chosen) => chosen,
        Err(select) => {
            // A file that did not even parse has no policy to select: its errors say
            // why, the selection error would only add noise.
            if loaded.file.policies.is_empty() {
                if let Some(e) = errors(&loaded.file.diagnostics, to_error) {
                    return Err(e);
                }
            }
            return Err(args
                .select_span()
                .error(file::select_message(&path, &select)));
        }
    };
    let Some(valid) = &chosen.valid else {
        return Err(
            errors(&loaded.file.diagnostics, to_error).unwrap_or_else(|| {
                span.error("internal error: the policy has no error but did not validate")
            }),
        );
    };
    let absolute = &loaded.absolute;
    let mut extra = quote! {
        // Makes cargo rebuild the crate when the policy file changes.
        const _: &[u8] = ::core::include_bytes!(#absolute);
    };
    // Warnings are only shown for a one-policy file: a shared `policies:` file's warnings
    // are not the concern of every place that uses one of its policies.
    if !loaded.file.multi {
        for d in loaded.file.diagnostics.iter() {
            if d.severity == Severity::Warning {
                extra.extend(warning(span, &file::message(&path, source, d)));
            }
        }
    }
    tables(valid, extra)
}

/// `extra` items followed by the compiled tables, as one block expression.
fn tables(valid: &ValidPolicy, extra: TokenStream) -> syn::Result<TokenStream> {
    let call_site = MacroSpan::from(proc_macro2::Span::call_site());
    let policy = cors_policy_compiler::compile::compile(valid);
    let source = cors_policy_compiler::codegen::policy_expr(&policy)
        .map_err(|e| call_site.error(format!("internal error in cors-policy: {e}")))?;
    let expr: TokenStream = source
        .parse()
        .map_err(|e| call_site.error(format!("internal error in cors-policy codegen: {e}")))?;
    Ok(quote! {
        {
            #extra
            #expr
        }
    })
}

/// A warning on stable Rust: the use of a `#[deprecated]` item, spanned on the
/// offending token, which rustc reports with `message` as the deprecation note.
fn warning(span: MacroSpan, message: &str) -> TokenStream {
    let used = Ident::new("CorsPolicyWarning", span.start());
    quote! {
        const _: () = {
            #[deprecated(note = #message)]
            struct CorsPolicyWarning;
            let _ = #used;
        };
    }
}

#[cfg(test)]
mod tests {
    use super::rust_string_help;

    #[test]
    fn regex_help_is_rewritten_for_rust_strings() {
        assert_eq!(
            rust_string_help(r"escape the dot: api\.example\.com"),
            r#"escape the dot: api\\.example\\.com inside regex("..."), or api\.example\.com inside a raw string regex(r"...")"#
        );
        assert_eq!(
            rust_string_help(r"e.g. ^https://(eu|us)\.example\.com$"),
            r#"e.g. regex("^https://(eu|us)\\.example\\.com$"), or regex(r"^https://(eu|us)\.example\.com$")"#
        );
        assert_eq!(rust_string_help("remove it"), "remove it");
    }
}

#[cfg(test)]
mod fuzz {
    //! The macro runs inside rustc: a panic there is an internal-compiler-error-like
    //! failure for the user. Whatever tokens it gets, it must expand to code or to
    //! `compile_error!`s, never panic.

    use proc_macro2::{
        Delimiter, Group, Ident, Literal, Punct, Spacing, Span, TokenStream, TokenTree,
    };
    use proptest::prelude::*;

    fn leaf() -> impl Strategy<Value = TokenTree> {
        // Every policy key, plus the other words the two forms use, plus noise.
        let words: Vec<&'static str> = cors_policy_compiler::raw::POLICY_KEYS
            .iter()
            .copied()
            .chain([
                "regex", "file", "policy", "true", "false", "GET", "PUT", "r#type", "_", "self",
            ])
            .collect();
        let idents = prop::sample::select(words);
        let strings = prop::sample::select(vec![
            "https://a.example.com",
            "*",
            "null",
            "https://*.example.com",
            "http://localhost:*",
            "^https://(a|b)\\.example\\.com$",
            ".*",
            "(?=x)",
            "",
            "fixtures/none.yaml",
            "/abs.yaml",
            "content-type",
            "X Y",
            "https://☕.example",
            "\u{0}",
        ]);
        prop_oneof![
            idents.prop_map(|i| TokenTree::Ident(Ident::new_raw_or_plain(i))),
            strings.prop_map(|s| TokenTree::Literal(Literal::string(s))),
            any::<i64>().prop_map(|n| TokenTree::Literal(Literal::i64_unsuffixed(n))),
            Just(TokenTree::Literal(Literal::u128_unsuffixed(u128::MAX))),
            Just(TokenTree::Literal(Literal::f64_unsuffixed(1.5))),
            Just(TokenTree::Literal(Literal::byte_string(b"https://a.com"))),
            prop::sample::select(vec![':', ',', '=', '-', '#', '!'])
                .prop_map(|c| TokenTree::Punct(Punct::new(c, Spacing::Alone))),
        ]
    }

    trait IdentExt {
        fn new_raw_or_plain(s: &str) -> Ident;
    }

    impl IdentExt for Ident {
        fn new_raw_or_plain(s: &str) -> Ident {
            match s.strip_prefix("r#") {
                Some(raw) => Ident::new_raw(raw, Span::call_site()),
                None => Ident::new(s, Span::call_site()),
            }
        }
    }

    fn tree() -> impl Strategy<Value = TokenTree> {
        leaf().prop_recursive(3, 48, 6, |inner| {
            (
                prop::sample::select(vec![
                    Delimiter::Bracket,
                    Delimiter::Parenthesis,
                    Delimiter::Brace,
                    Delimiter::None,
                ]),
                prop::collection::vec(inner, 0..6),
            )
                .prop_map(|(d, items)| TokenTree::Group(Group::new(d, items.into_iter().collect())))
        })
    }

    /// Random streams, and streams shaped like `key: value,` pairs, which get past
    /// the first parse errors and reach the validator and the code generator.
    fn input() -> impl Strategy<Value = TokenStream> {
        let pair = (leaf(), tree()).prop_map(|(key, value)| {
            vec![
                key,
                TokenTree::Punct(Punct::new(':', Spacing::Alone)),
                value,
                TokenTree::Punct(Punct::new(',', Spacing::Alone)),
            ]
        });
        prop_oneof![
            prop::collection::vec(tree(), 0..8).prop_map(|t| t.into_iter().collect()),
            prop::collection::vec(pair, 0..6)
                .prop_map(|pairs| pairs.into_iter().flatten().collect()),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

        #[test]
        fn never_panics_whatever_the_tokens(tokens in input()) {
            let out = super::cors_policy(tokens);
            prop_assert!(!out.is_empty());
        }
    }
}
