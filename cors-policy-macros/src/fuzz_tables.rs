//! The macro against the YAML loader on generated policies: the same policy written as
//! macro tokens and as YAML gets the same findings (errors and warnings, by code), and
//! when it validates the macro's output embeds exactly the code generated from the
//! tables that `cors_policy::from_yaml`'s pipeline compiles at run time. (That this code
//! rebuilds those tables when rustc compiles it is `tests/tests/macro_vs_runtime.rs`.)
//!
//! Bounded by default; `CORS_FUZZ_CASES` runs it long (see `tests/tests/fuzz/main.rs`).

use cors_policy_compiler::diagnostic::Severity;
use proc_macro2::{Literal, TokenStream};
use quote::quote;

#[path = "../../tests/tests/fuzz/spec.rs"]
mod spec;

use spec::{List, OriginEntry, Spec};

/// The policy as the inline form of `cors_policy!`.
fn tokens(spec: &Spec) -> TokenStream {
    let mut out = TokenStream::new();
    let origins = match &spec.origins {
        List::Any => quote!("*"),
        List::Items(items) => {
            let items = items.iter().map(|i| match i {
                OriginEntry::Text(t) => quote!(#t),
                OriginEntry::Regex(r) => quote!(regex(#r)),
            });
            quote!([#(#items),*])
        }
    };
    out.extend(quote!(origins: #origins,));
    let flag = |out: &mut TokenStream, key: &str, v: Option<bool>| {
        if let Some(v) = v {
            let key = proc_macro2::Ident::new(key, proc_macro2::Span::call_site());
            out.extend(quote!(#key: #v,));
        }
    };
    let names = |out: &mut TokenStream, key: &str, v: &Option<List<String>>| {
        let key = proc_macro2::Ident::new(key, proc_macro2::Span::call_site());
        match v {
            None => {}
            Some(List::Any) => out.extend(quote!(#key: "*",)),
            Some(List::Items(items)) => out.extend(quote!(#key: [#(#items),*],)),
        }
    };
    flag(&mut out, "credentials", spec.credentials);
    names(&mut out, "methods", &spec.methods);
    names(&mut out, "allow_headers", &spec.allow_headers);
    names(&mut out, "expose_headers", &spec.expose_headers);
    if let Some(m) = spec.max_age {
        let abs = Literal::u64_unsuffixed(m.unsigned_abs());
        out.extend(if m < 0 {
            quote!(max_age: -#abs,)
        } else {
            quote!(max_age: #abs,)
        });
    }
    flag(
        &mut out,
        "allow_private_network",
        spec.allow_private_network,
    );
    flag(
        &mut out,
        "dangerously_allow_insecure_origins",
        spec.dangerously_allow_insecure_origins,
    );
    flag(
        &mut out,
        "dangerously_allow_public_suffix_wildcards",
        spec.dangerously_allow_public_suffix_wildcards,
    );
    out
}

/// The `[code]`s at the start of every message in `text` that follows `marker`.
fn codes(text: &str, marker: &str) -> Vec<String> {
    let mut out: Vec<String> = text
        .match_indices(marker)
        .filter_map(|(i, _)| {
            let rest = &text[i + marker.len()..];
            let end = rest.find(']')?;
            Some(rest[..end].to_owned())
        })
        .collect();
    out.sort();
    out
}

fn yaml_codes(file: &cors_policy_compiler::load::LoadedFile, severity: Severity) -> Vec<String> {
    let mut out: Vec<String> = file
        .diagnostics
        .iter()
        .filter(|d| d.severity == severity)
        .map(|d| d.code.to_string())
        .collect();
    out.sort();
    out
}

#[test]
fn macro_output_is_the_runtime_tables() {
    use proptest::prelude::*;
    let valid_count = std::sync::atomic::AtomicUsize::new(0);
    let both =
        proptest::strategy::Union::new([spec::spec(true).boxed(), spec::spec(false).boxed()]);
    spec::fuzz("macro_vs_yaml", 300, both, |spec| {
        let yaml = spec.yaml();
        let input = tokens(&spec);
        let out = crate::expand::cors_policy(input.clone()).to_string();
        let file = cors_policy_compiler::load::load_yaml(&yaml);
        let context = format!("\nYAML:\n{yaml}\nmacro input: {input}\nmacro output: {out}");
        prop_assert_eq!(
            codes(&out, "compile_error ! { \"["),
            yaml_codes(&file, Severity::Error),
            "{}",
            context
        );
        let Some(valid) = file.policies.first().and_then(|p| p.valid.as_ref()) else {
            return Ok(());
        };
        // Warnings are shown only when there is no error (a failed expansion shows
        // its errors alone).
        prop_assert_eq!(
            codes(&out, "deprecated (note = \"["),
            yaml_codes(&file, Severity::Warning),
            "{}",
            context
        );
        valid_count.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let policy = cors_policy_compiler::compile::compile(valid);
        let expected: TokenStream = cors_policy_compiler::codegen::policy_expr(&policy)
            .expect("codegen of a compiled policy")
            .parse()
            .expect("codegen output is Rust tokens");
        prop_assert!(
            out.contains(&expected.to_string()),
            "the macro's tables differ from the run-time tables{}",
            context
        );
        Ok(())
    });
    eprintln!(
        "  {} valid policies",
        valid_count.load(std::sync::atomic::Ordering::Relaxed)
    );
}

/// `macro_vs_yaml`, seed 825270211009: a policy with an error and a warning
/// (`https://*.com` without credentials warns `public-suffix-wildcard`; `set-cookie`
/// cannot be exposed) expands to its errors alone, where the YAML loader reports both.
#[test]
fn errors_hide_warnings_in_the_expansion() {
    let spec = Spec {
        expose_headers: Some(List::Items(vec!["set-cookie".into()])),
        ..Spec::origins(List::Items(vec![OriginEntry::Text("https://*.com".into())]))
    };
    let out = crate::expand::cors_policy(tokens(&spec)).to_string();
    assert_eq!(
        codes(&out, "compile_error ! { \"["),
        ["forbidden-expose-header"]
    );
    assert!(codes(&out, "deprecated (note = \"[").is_empty(), "{out}");
    let file = cors_policy_compiler::load::load_yaml(&spec.yaml());
    assert_eq!(
        yaml_codes(&file, Severity::Warning),
        ["public-suffix-wildcard"]
    );
}
