//! temporary
use proc_macro::TokenStream;
/// temporary
#[proc_macro_attribute]
pub fn require_token(_a: TokenStream, i: TokenStream) -> TokenStream {
    i
}
