//! The file form: `cors_policy!(file = "path.yaml")` and
//! `cors_policy!(file = "all.yaml", policy = "name")`.
//!
//! The file goes through `cors_policy_compiler::load::load_yaml`, the loader the CLI and
//! `cors_policy::from_yaml_named` use, so the macro accepts exactly what the runtime accepts.

use std::path::{Path, PathBuf};

use cors_policy_compiler::diagnostic::{Diagnostic, Location};
use cors_policy_compiler::load::{self, LoadedFile, SelectError};
use proc_macro2::{TokenStream, TokenTree};
use syn::parse::{Parse, ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::{Ident, LitStr, Token};

use crate::span::MacroSpan;

/// The environment variable that replaces `CARGO_MANIFEST_DIR` when set: trybuild builds
/// each test case in its own directory (dtolnay/trybuild#202).
pub(crate) const MANIFEST_DIR_OVERRIDE: &str = "CORS_POLICY_MANIFEST_DIR";

/// The arguments a file form takes.
const ARGS: &[&str] = &["file", "policy"];

/// `name = "value"`.
struct Arg {
    name: Ident,
    value: LitStr,
}

impl Parse for Arg {
    fn parse(input: ParseStream<'_>) -> syn::Result<Arg> {
        let name = input.parse()?;
        input.parse::<Token![=]>()?;
        let value = input.parse()?;
        Ok(Arg { name, value })
    }
}

/// The parsed arguments of a file form.
pub(crate) struct FileArgs {
    file: LitStr,
    policy: Option<LitStr>,
}

/// Whether `input` is a file form: it starts with `ident =`, and that ident is not a
/// policy key (`origins = [...]` is a mistyped inline form, reported as such).
pub(crate) fn is_file_form(input: &TokenStream) -> bool {
    let mut iter = input.clone().into_iter();
    match (iter.next(), iter.next()) {
        (Some(TokenTree::Ident(name)), Some(TokenTree::Punct(p))) if p.as_char() == '=' => {
            !cors_policy_compiler::raw::POLICY_KEYS.contains(&name.to_string().as_str())
        }
        _ => false,
    }
}

/// Parses `file = "...", policy = "..."` (any order, trailing comma allowed).
pub(crate) fn parse_args(input: TokenStream) -> syn::Result<FileArgs> {
    let args = Punctuated::<Arg, Token![,]>::parse_terminated.parse2(input)?;
    let mut file = None;
    let mut policy = None;
    let mut errors: Vec<syn::Error> = Vec::new();
    for Arg { name, value } in args {
        let slot = match name.to_string().as_str() {
            "file" => &mut file,
            "policy" => &mut policy,
            other => {
                let help = match cors_policy_compiler::raw::did_you_mean(other, ARGS) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None => "the arguments are `file` and `policy`".to_owned(),
                };
                errors.push(syn::Error::new(
                    name.span(),
                    format!("unknown argument `{other}`\n  = help: {help}"),
                ));
                continue;
            }
        };
        if slot.is_some() {
            errors.push(syn::Error::new(
                name.span(),
                format!("`{name}` is given twice"),
            ));
        } else {
            *slot = Some(value);
        }
    }
    // Report every argument error, not only the first, in source order.
    if let Some(all) = errors.into_iter().reduce(|mut all, e| {
        all.combine(e);
        all
    }) {
        return Err(all);
    }
    match file {
        Some(file) => Ok(FileArgs { file, policy }),
        None => Err(syn::Error::new(
            proc_macro2::Span::call_site(),
            "missing `file = \"...\"`: write cors_policy!(file = \"policies/api.yaml\")",
        )),
    }
}

/// A file form after loading: the file's findings or its selected policy.
pub(crate) struct Loaded {
    /// The absolute path of the file, for `include_bytes!`.
    pub(crate) absolute: String,
    /// The parsed and validated file.
    pub(crate) file: LoadedFile,
    /// The file's text, for the line each finding points at.
    pub(crate) source: String,
}

impl FileArgs {
    /// The path literal, where every finding of the file is reported.
    pub(crate) fn path_span(&self) -> MacroSpan {
        MacroSpan::of(&self.file)
    }

    /// The path as written.
    pub(crate) fn written_path(&self) -> String {
        self.file.value()
    }

    /// The `policy = "..."` argument, if any.
    pub(crate) fn policy(&self) -> Option<String> {
        self.policy.as_ref().map(LitStr::value)
    }

    /// Where to report a selection error: the policy name if given, else the path.
    pub(crate) fn select_span(&self) -> MacroSpan {
        match &self.policy {
            Some(p) => MacroSpan::of(p),
            None => self.path_span(),
        }
    }

    /// Resolves the path against the manifest directory, reads and loads the file.
    pub(crate) fn load(&self) -> syn::Result<Loaded> {
        let written = self.file.value();
        let span = self.path_span();
        if Path::new(&written).is_absolute() {
            return Err(span.error(format!(
                "[absolute-policy-path] absolute policy paths are refused: `{written}` would only work on this machine\n  \
                 = help: write the path relative to the directory of the crate's Cargo.toml"
            )));
        }
        let base = manifest_dir().ok_or_else(|| {
            span.error(format!(
                "cannot resolve `{written}`: CARGO_MANIFEST_DIR is not set (build with cargo)"
            ))
        })?;
        let path = base.join(&written);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            span.error(format!(
                "[unreadable-policy-file] cannot read policy file `{written}`: {e}\n  \
                 = help: the path is relative to the directory of the crate's Cargo.toml ({})",
                base.display()
            ))
        })?;
        let absolute = path.to_str().map(str::to_owned).ok_or_else(|| {
            span.error(format!(
                "the path of `{written}` is not valid UTF-8, so it cannot be tracked with include_bytes!"
            ))
        })?;
        Ok(Loaded {
            absolute,
            file: load::load_yaml(&text),
            source: text,
        })
    }
}

/// The directory relative paths start from.
fn manifest_dir() -> Option<PathBuf> {
    std::env::var_os(MANIFEST_DIR_OVERRIDE)
        .or_else(|| std::env::var_os("CARGO_MANIFEST_DIR"))
        .map(PathBuf::from)
}

/// The message of one finding of file `path`: `[code] path:line:col: message`, the
/// YAML line with a caret under the value (the compile error itself can only point at
/// the path literal), and the help.
pub(crate) fn message(path: &str, source: &str, d: &Diagnostic<Location>) -> String {
    let mut out = format!("[{}] {path}:{}: {}", d.code, d.span, d.message);
    if let Some(excerpt) = d.span.excerpt(source) {
        let number = d.span.line.to_string();
        let pad = " ".repeat(number.len());
        out.push_str(&format!(
            "\n  {pad} |\n  {} | {}\n  {pad} | {}",
            number,
            excerpt.line.trim_end(),
            excerpt.carets
        ));
    }
    out.push_str(&format!("\n  = help: {}", d.help));
    out
}

/// A selection error of `path` in the macro's words: the code, and the
/// `policy = "..."` arguments that would work.
pub(crate) fn select_message(path: &str, e: &SelectError) -> String {
    let choices: Vec<String> = e
        .available()
        .iter()
        .map(|name| format!("policy = \"{name}\""))
        .collect();
    let help = match e {
        SelectError::NoSuchPolicy { name, available } => {
            let names: Vec<&str> = available.iter().map(String::as_str).collect();
            match cors_policy_compiler::raw::did_you_mean(name, &names) {
                Some(best) => format!("did you mean policy = \"{best}\"?"),
                None => format!("write one of: {}", choices.join(", ")),
            }
        }
        SelectError::SingleUnnamed { .. } => {
            format!("remove the policy name: cors_policy!(file = \"{path}\")")
        }
        SelectError::NameRequired { available } if available.is_empty() => {
            "write a policy in the file".to_owned()
        }
        SelectError::NameRequired { .. } => format!(
            "name the policy to use, e.g. cors_policy!(file = \"{path}\", {})",
            choices.first().map_or("", String::as_str)
        ),
    };
    let what = format!("`{path}`: {e}");
    format!("[{}] {what}\n  = help: {help}", e.code())
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::{is_file_form, parse_args};

    #[test]
    fn file_form_is_told_apart_from_a_mistyped_inline_form() {
        assert!(is_file_form(&quote! { file = "a.yaml" }));
        assert!(is_file_form(&quote! { policy = "app", file = "a.yaml" }));
        assert!(!is_file_form(&quote! { origins = ["https://a.com"] }));
        assert!(!is_file_form(&quote! { origins: "*" }));
        assert!(!is_file_form(&quote! {}));
    }

    #[test]
    fn arguments_in_any_order_and_every_mistake_reported() {
        let args = parse_args(quote! { policy = "app", file = "a.yaml", }).expect("valid");
        assert_eq!(args.written_path(), "a.yaml");
        assert_eq!(args.policy().as_deref(), Some("app"));

        let err = parse_args(quote! { file = "a.yaml", polcy = "x", file = "b.yaml" })
            .err()
            .expect("two mistakes");
        let messages: Vec<String> = err.into_iter().map(|e| e.to_string()).collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(
            messages[0].contains("did you mean `policy`"),
            "{messages:?}"
        );
        assert!(
            messages[1].contains("`file` is given twice"),
            "{messages:?}"
        );

        assert!(parse_args(quote! { policy = "app" }).is_err());
    }
}
