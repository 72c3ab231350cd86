//! The inline front end: Rust tokens → `RawPolicy`.
//!
//! Like the YAML loader, it reports only what it alone can see (a value of the wrong
//! token type, an unknown or repeated key, an integer that does not fit an `i64`) and
//! leaves every semantic rule to `cors_policy_compiler::validate`.

use cors_policy_compiler::diagnostic::{Code, Diagnostics};
use cors_policy_compiler::raw::{self, RawList, RawNames, RawOrigin, RawPolicy, Spanned};
use proc_macro2::{Delimiter, Group, Literal, Punct, Spacing, Span, TokenStream, TokenTree};
use syn::parse::{Parse, ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::{Expr, ExprLit, Lit, LitStr, Token, UnOp};

use crate::span::MacroSpan;

/// One `key: value` of the input.
struct Entry {
    key: syn::Ident,
    value: Expr,
}

impl Parse for Entry {
    fn parse(input: ParseStream<'_>) -> syn::Result<Entry> {
        let key: syn::Ident = input.call(syn::ext::IdentExt::parse_any)?;
        if input.peek(Token![=]) {
            return Err(input.error(format!(
                "expected `:` after `{key}`: the inline form is written `{key}: value`"
            )));
        }
        input.parse::<Token![:]>()?;
        let value = input.parse()?;
        Ok(Entry { key, value })
    }
}

/// What the inline front end produced.
pub(crate) struct Parsed {
    /// The policy as written.
    pub(crate) raw: RawPolicy<MacroSpan>,
    /// Front-end findings (`invalid-value`, `unknown-key`, `max-age-out-of-range`).
    pub(crate) diags: Diagnostics<MacroSpan>,
    /// A value was left out because rustc itself reported it (a string literal with
    /// an unknown escape): the build fails with rustc's error, and the macro must not
    /// build the policy without that value.
    pub(crate) rustc_reported: bool,
}

/// The macro an unquoted hyphenated name in a list becomes before parsing (see
/// [`quote_hyphenated`]); no user writes it.
const UNQUOTED: &str = "__cors_policy_unquoted";

/// Parses `key: value, ...`. A syntax error (not `key: expression`) stops parsing; every
/// other problem is collected in `diags`.
pub(crate) fn parse(input: TokenStream) -> syn::Result<Parsed> {
    let entries =
        Punctuated::<Entry, Token![,]>::parse_terminated.parse2(quote_hyphenated(input))?;
    let mut front = Front {
        diags: Diagnostics::new(),
        rustc_reported: false,
    };
    let mut raw = RawPolicy::empty(MacroSpan::from(Span::call_site()));
    for Entry { key, value } in &entries {
        let key_span = MacroSpan::of(key);
        let name = key.to_string();
        let name = name.strip_prefix("r#").unwrap_or(&name);
        let value = ungroup(value);
        macro_rules! set {
            ($field:ident, $parsed:expr) => {{
                if raw.$field.is_some() || raw.rejected_keys.contains(&stringify!($field)) {
                    // Why: with two values for one key, one would silently win.
                    front.invalid(
                        key_span,
                        format!("`{name}` is given twice"),
                        "keep one of the two entries",
                    );
                } else {
                    raw.$field = $parsed;
                    if raw.$field.is_none() {
                        // Reported by the front end: the validator must not also
                        // report the key missing.
                        raw.rejected_keys.push(stringify!($field));
                    }
                }
            }};
        }
        match name {
            "origins" => set!(origins, front.origins(value)),
            "credentials" => set!(credentials, front.boolean(name, value)),
            "methods" => set!(methods, front.names(name, value, true)),
            "allow_headers" => set!(allow_headers, front.names(name, value, false)),
            "expose_headers" => set!(expose_headers, front.names(name, value, false)),
            "max_age" => set!(max_age, front.max_age(value)),
            "allow_private_network" => set!(allow_private_network, front.boolean(name, value)),
            "dangerously_allow_insecure_origins" => {
                set!(
                    dangerously_allow_insecure_origins,
                    front.boolean(name, value)
                )
            }
            "dangerously_allow_public_suffix_wildcards" => set!(
                dangerously_allow_public_suffix_wildcards,
                front.boolean(name, value)
            ),
            _ => raw::unknown_key(&mut front.diags, name, key_span, raw::POLICY_KEYS),
        }
    }
    Ok(Parsed {
        raw,
        diags: front.diags,
        rustc_reported: front.rustc_reported,
    })
}

/// Rewrites each item of a `[...]` list that is words joined by `-` (`content-type`,
/// `x-request-id`) into `__cors_policy_unquoted!("content-type")`, spanned on the
/// words. Unquoted, `content-type` is no Rust expression at all (`type` is a keyword),
/// so without this the user would get a bare "expected an expression" where an
/// unquoted `authorization` gets "must be a string literal; write \"authorization\"".
fn quote_hyphenated(input: TokenStream) -> TokenStream {
    input
        .into_iter()
        .map(|tree| match tree {
            TokenTree::Group(g) if g.delimiter() == Delimiter::Bracket => {
                let mut out = TokenStream::new();
                let items: Vec<TokenTree> = g.stream().into_iter().collect();
                for (i, item) in items.split(|t| is_punct(t, ',')).enumerate() {
                    if i > 0 {
                        out.extend([TokenTree::Punct(Punct::new(',', Spacing::Alone))]);
                    }
                    match hyphenated(item) {
                        Some(words) => out.extend(unquoted_call(item, &words)),
                        None => out.extend(item.iter().cloned()),
                    }
                }
                let mut group = Group::new(Delimiter::Bracket, out);
                group.set_span(g.span());
                TokenTree::Group(group)
            }
            other => other,
        })
        .collect()
}

fn is_punct(tree: &TokenTree, c: char) -> bool {
    matches!(tree, TokenTree::Punct(p) if p.as_char() == c)
}

/// `word - word ...` (at least two words; keywords included, numbers after the first)
/// as the name it spells, e.g. `content-type`.
fn hyphenated(item: &[TokenTree]) -> Option<String> {
    if item.len() < 3 || item.len() % 2 == 0 {
        return None;
    }
    let mut name = String::new();
    for (i, tree) in item.iter().enumerate() {
        match tree {
            TokenTree::Ident(word) if i % 2 == 0 => name.push_str(&word.to_string()),
            TokenTree::Literal(n) if i % 2 == 0 && i > 0 => {
                let digits = n.to_string();
                if !digits.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                name.push_str(&digits);
            }
            t if i % 2 == 1 && is_punct(t, '-') => name.push('-'),
            _ => return None,
        }
    }
    Some(name)
}

/// `__cors_policy_unquoted!("name")`, spanning the words it replaces.
fn unquoted_call(item: &[TokenTree], name: &str) -> TokenStream {
    let (first, last) = (item[0].span(), item[item.len() - 1].span());
    let mut bang = Punct::new('!', Spacing::Alone);
    bang.set_span(first);
    let mut literal = Literal::string(name);
    literal.set_span(last);
    let mut args = Group::new(
        Delimiter::Parenthesis,
        TokenStream::from(TokenTree::Literal(literal)),
    );
    args.set_span(last);
    [
        TokenTree::Ident(proc_macro2::Ident::new(UNQUOTED, first)),
        TokenTree::Punct(bang),
        TokenTree::Group(args),
    ]
    .into_iter()
    .collect()
}

/// The name of an item rewritten by [`quote_hyphenated`].
fn unquoted(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Macro(m) if m.mac.path.is_ident(UNQUOTED) => {
            m.mac.parse_body::<LitStr>().ok().map(|s| s.value())
        }
        _ => None,
    }
}

/// Whether `expr` is a string literal with an escape Rust does not have, such as the
/// `\.` of a regex copied from YAML into `"..."`. syn keeps such a literal verbatim.
/// rustc's lexer has already rejected it with its own error, which suggests the raw
/// string `r"..."`: the macro adds nothing that would contradict or repeat it.
fn is_bad_escape_string(expr: &Expr) -> bool {
    match ungroup(expr) {
        Expr::Lit(ExprLit {
            lit: Lit::Verbatim(token),
            ..
        }) => {
            let text = token.to_string();
            text.starts_with('"') && text.contains('\\')
        }
        _ => false,
    }
}

/// `$e` passed through a `macro_rules!` arrives wrapped in an invisible group.
fn ungroup(expr: &Expr) -> &Expr {
    match expr {
        Expr::Group(g) => ungroup(&g.expr),
        other => other,
    }
}

fn string(expr: &Expr) -> Option<&LitStr> {
    match ungroup(expr) {
        Expr::Lit(ExprLit {
            lit: Lit::Str(s), ..
        }) => Some(s),
        _ => None,
    }
}

/// The state of the front end: its findings so far.
struct Front {
    diags: Diagnostics<MacroSpan>,
    rustc_reported: bool,
}

impl Front {
    fn invalid(&mut self, span: MacroSpan, message: String, help: impl Into<String>) {
        self.diags.error(Code::InvalidValue, span, message, help);
    }

    fn origins(
        &mut self,
        value: &Expr,
    ) -> Option<Spanned<RawList<RawOrigin<MacroSpan>, MacroSpan>, MacroSpan>> {
        let span = MacroSpan::of(value);
        if let Some(s) = string(value) {
            if s.value() == "*" {
                return Some(Spanned::new(RawList::Wildcard(span), span));
            }
        }
        let Expr::Array(array) = value else {
            let help = match string(value) {
                Some(s) => format!("write a list: origins: [{:?}]", s.value()),
                None => r#"write a list of origins, e.g. ["https://app.example.com"], or "*""#
                    .to_owned(),
            };
            self.invalid(
                span,
                "`origins` must be a list of origins or \"*\"".to_owned(),
                help,
            );
            return None;
        };
        let mut items = Vec::new();
        let mut rejected = false;
        for item in &array.elems {
            let item = ungroup(item);
            let item_span = MacroSpan::of(item);
            if let Some(s) = string(item) {
                items.push(RawOrigin::Text(Spanned::new(s.value(), item_span)));
                continue;
            }
            if is_bad_escape_string(item) {
                rejected = true;
                self.rustc_reported = true;
                continue;
            }
            if let Expr::Call(call) = item {
                if let Expr::Path(path) = ungroup(&call.func) {
                    if path.path.is_ident("regex") {
                        let mut args = call.args.iter();
                        let first = args.next();
                        match (first.and_then(string), args.next()) {
                            (Some(s), None) => {
                                items.push(RawOrigin::Regex(Spanned::new(s.value(), item_span)));
                            }
                            (None, None) if first.is_some_and(is_bad_escape_string) => {
                                rejected = true;
                                self.rustc_reported = true;
                            }
                            _ => {
                                rejected = true;
                                self.invalid(
                                    item_span,
                                    "`regex(...)` takes one string literal".to_owned(),
                                    r#"write regex("^https://(eu|us)\\.example\\.com$"), or regex(r"...") to avoid doubling backslashes"#,
                                );
                            }
                        }
                        continue;
                    }
                }
            }
            rejected = true;
            self.invalid(
                item_span,
                "an origin must be a string literal or `regex(\"...\")`".to_owned(),
                r#"write "https://app.example.com", "https://*.example.com" or regex("^https://...$")"#,
            );
        }
        if rejected && items.is_empty() {
            // Every entry was reported already; "`origins` is empty" would repeat it.
            return None;
        }
        Some(Spanned::new(RawList::Items(items), span))
    }

    fn boolean(&mut self, key: &str, value: &Expr) -> Option<Spanned<bool, MacroSpan>> {
        match value {
            Expr::Lit(ExprLit {
                lit: Lit::Bool(b), ..
            }) => Some(Spanned::new(b.value, MacroSpan::of(value))),
            _ => {
                self.invalid(
                    MacroSpan::of(value),
                    format!("`{key}` must be `true` or `false`"),
                    format!("write `{key}: true` or `{key}: false`"),
                );
                None
            }
        }
    }

    /// A list of method or header names, or `"*"`. Methods may be bare identifiers.
    fn names(
        &mut self,
        key: &str,
        value: &Expr,
        idents_ok: bool,
    ) -> Option<Spanned<RawNames<MacroSpan>, MacroSpan>> {
        let span = MacroSpan::of(value);
        let example = if idents_ok {
            "[GET, PUT] or [\"PATCH\"]"
        } else {
            "[\"authorization\", \"content-type\"]"
        };
        if let Some(s) = string(value) {
            if s.value() == "*" {
                return Some(Spanned::new(RawList::Wildcard(span), span));
            }
        }
        let Expr::Array(array) = value else {
            self.invalid(
                span,
                format!("`{key}` must be a list or \"*\""),
                format!("write a list, e.g. `{key}: {example}`"),
            );
            return None;
        };
        let mut items = Vec::new();
        for item in &array.elems {
            let item = ungroup(item);
            let item_span = MacroSpan::of(item);
            if let Some(s) = string(item) {
                items.push(Spanned::new(s.value(), item_span));
                continue;
            }
            let bare = match item {
                Expr::Path(path) => path.path.get_ident().map(ToString::to_string),
                other => unquoted(other),
            };
            if let Some(word) = bare {
                if idents_ok {
                    items.push(Spanned::new(word, item_span));
                } else {
                    self.invalid(
                        item_span,
                        format!("a header name in `{key}` must be a string literal"),
                        format!("write \"{word}\""),
                    );
                }
                continue;
            }
            let what = if idents_ok {
                "a method"
            } else {
                "a header name"
            };
            self.invalid(
                item_span,
                format!("{what} in `{key}` must be a string literal"),
                format!("write a list, e.g. `{key}: {example}`"),
            );
        }
        Some(Spanned::new(RawList::Items(items), span))
    }

    fn max_age(&mut self, value: &Expr) -> Option<Spanned<i64, MacroSpan>> {
        let span = MacroSpan::of(value);
        let (negative, lit) = match value {
            Expr::Lit(ExprLit {
                lit: Lit::Int(i), ..
            }) => (false, i),
            Expr::Unary(u) if matches!(u.op, UnOp::Neg(_)) => match ungroup(&u.expr) {
                Expr::Lit(ExprLit {
                    lit: Lit::Int(i), ..
                }) => (true, i),
                _ => return self.not_seconds(span),
            },
            _ => return self.not_seconds(span),
        };
        if !lit.suffix().is_empty() {
            return self.not_seconds(span);
        }
        let digits = lit.base10_digits();
        let text = if negative {
            format!("-{digits}")
        } else {
            digits.to_owned()
        };
        match text.parse::<i64>() {
            Ok(n) => Some(Spanned::new(n, span)),
            Err(_) => {
                // Why: the validator only sees an i64; a number beyond it is out of the
                // 0..=86400 range anyway, and is reported under the same code.
                self.diags.error(
                    Code::MaxAgeOutOfRange,
                    span,
                    format!("`max_age: {text}` is out of range"),
                    "use a number of seconds from 0 to 86400 (browsers cap it at 7200 or less)",
                );
                None
            }
        }
    }

    fn not_seconds<T>(&mut self, span: MacroSpan) -> Option<T> {
        self.invalid(
            span,
            "`max_age` must be an integer number of seconds".to_owned(),
            "write e.g. `max_age: 600` (no unit, no suffix)",
        );
        None
    }
}

#[cfg(test)]
mod tests {
    use cors_policy_compiler::diagnostic::Code;
    use cors_policy_compiler::raw::{RawList, RawOrigin};
    use quote::quote;

    use super::parse;

    fn codes(p: &super::Parsed) -> Vec<Code> {
        p.diags.iter().map(|d| d.code).collect()
    }

    #[test]
    fn every_key_and_value_form_reaches_the_raw_policy() {
        let p = parse(quote! {
            origins: ["https://a.example.com", regex(r"^https://b\.example\.com$"),],
            credentials: true,
            methods: [PUT, "patch"],
            allow_headers: "*",
            expose_headers: ["x-request-id"],
            max_age: -5,
            allow_private_network: false,
            dangerously_allow_insecure_origins: true,
            r#dangerously_allow_public_suffix_wildcards: false,
        })
        .expect("syntax");
        assert!(p.diags.is_empty(), "{:?}", codes(&p));
        let raw = p.raw;
        let Some(RawList::Items(origins)) = raw.origins.map(|o| o.value) else {
            panic!("origins list");
        };
        assert!(matches!(&origins[0], RawOrigin::Text(t) if t.value == "https://a.example.com"));
        assert!(
            matches!(&origins[1], RawOrigin::Regex(r) if r.value == r"^https://b\.example\.com$")
        );
        assert_eq!(raw.credentials.map(|c| c.value), Some(true));
        let Some(RawList::Items(methods)) = raw.methods.map(|m| m.value) else {
            panic!("methods list");
        };
        let methods: Vec<_> = methods.into_iter().map(|m| m.value).collect();
        assert_eq!(methods, ["PUT", "patch"]);
        assert!(matches!(
            raw.allow_headers.map(|h| h.value),
            Some(RawList::Wildcard(_))
        ));
        assert_eq!(raw.max_age.map(|m| m.value), Some(-5));
        assert_eq!(raw.allow_private_network.map(|b| b.value), Some(false));
        assert_eq!(
            raw.dangerously_allow_insecure_origins.map(|b| b.value),
            Some(true)
        );
        assert_eq!(
            raw.dangerously_allow_public_suffix_wildcards
                .map(|b| b.value),
            Some(false)
        );
        assert!(raw.rejected_keys.is_empty());
    }

    #[test]
    fn wrong_types_are_rejected_and_remembered() {
        let p = parse(quote! {
            origins: "https://a.example.com",
            credentials: "yes",
            methods: [PUT, 3],
            max_age: 600s,
        })
        .expect("syntax");
        assert_eq!(codes(&p), [Code::InvalidValue; 4]);
        assert_eq!(p.raw.rejected_keys, ["origins", "credentials", "max_age"]);
        // The valid part of a partly wrong list is kept for the validator.
        assert!(matches!(
            p.raw.methods.map(|m| m.value),
            Some(RawList::Items(items)) if items.len() == 1
        ));
    }

    #[test]
    fn unknown_repeated_and_huge_values_have_their_own_findings() {
        let p = parse(quote! {
            origins: ["https://a.example.com"],
            origin: ["https://b.example.com"],
            origins: ["https://c.example.com"],
            max_age: 9223372036854775808,
        })
        .expect("syntax");
        assert_eq!(
            codes(&p),
            [Code::UnknownKey, Code::InvalidValue, Code::MaxAgeOutOfRange]
        );
        assert!(p
            .diags
            .iter()
            .next()
            .is_some_and(|d| d.help.contains("`origins`")));
        // The first of two values is kept.
        assert!(matches!(
            p.raw.origins.map(|o| o.value),
            Some(RawList::Items(items)) if matches!(&items[0], RawOrigin::Text(t) if t.value == "https://a.example.com")
        ));
    }

    #[test]
    fn unquoted_hyphenated_names_get_the_string_literal_help() {
        let p = parse(quote! {
            origins: ["https://a.example.com"],
            methods: [M-SEARCH],
            allow_headers: [content-type, x-api-v2, authorization],
        })
        .expect("no syntax error for hyphenated words");
        let helps: Vec<&str> = p.diags.iter().map(|d| d.help.as_str()).collect();
        assert_eq!(
            helps,
            [
                "write \"content-type\"",
                "write \"x-api-v2\"",
                "write \"authorization\""
            ]
        );
        assert_eq!(codes(&p), [Code::InvalidValue; 3]);
        // A method is a token, bare words included.
        let Some(RawList::Items(methods)) = p.raw.methods.map(|m| m.value) else {
            panic!("methods list");
        };
        assert_eq!(methods[0].value, "M-SEARCH");
    }

    #[test]
    fn i64_min_is_accepted_by_the_front_end() {
        let p = parse(quote! { max_age: -9223372036854775808 }).expect("syntax");
        assert_eq!(p.raw.max_age.map(|m| m.value), Some(i64::MIN));
    }

    #[test]
    fn syntax_errors_are_errors_not_panics() {
        for input in [
            quote! { origins = [] },
            quote! { origins: },
            quote! { "x": 1 },
            quote! { origins: [] origins: [] },
        ] {
            assert!(parse(input).is_err());
        }
    }
}
