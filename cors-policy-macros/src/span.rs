//! The span type the macro gives the validator: a range of tokens.

use proc_macro2::{Punct, Spacing, Span, TokenStream, TokenTree};
use quote::ToTokens;

/// The first and last token of a value, so that an error underlines all of
/// `regex("...")` or `[GET, PUT]`, not only their first token. (A single
/// `proc_macro2::Span` cannot be joined on stable.)
#[derive(Clone, Copy, Debug)]
pub(crate) struct MacroSpan {
    start: Span,
    end: Span,
}

impl MacroSpan {
    /// The range covering all of `tokens` (the call site when there are none).
    pub(crate) fn of(tokens: &impl ToTokens) -> MacroSpan {
        let mut iter = tokens.to_token_stream().into_iter();
        let Some(first) = iter.next() else {
            return MacroSpan::from(Span::call_site());
        };
        let start = first.span();
        let end = iter.last().map_or(start, |t| t.span());
        MacroSpan { start, end }
    }

    /// A compile error underlining the whole range.
    pub(crate) fn error(self, message: impl std::fmt::Display) -> syn::Error {
        let mut first = Punct::new('#', Spacing::Alone);
        first.set_span(self.start);
        let mut last = Punct::new('#', Spacing::Alone);
        last.set_span(self.end);
        let tokens: TokenStream = [TokenTree::Punct(first), TokenTree::Punct(last)]
            .into_iter()
            .collect();
        syn::Error::new_spanned(tokens, message)
    }

    /// The first token's span.
    pub(crate) fn start(self) -> Span {
        self.start
    }
}

impl From<Span> for MacroSpan {
    fn from(span: Span) -> MacroSpan {
        MacroSpan {
            start: span,
            end: span,
        }
    }
}
