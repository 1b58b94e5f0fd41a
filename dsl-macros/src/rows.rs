//! How a row of many columns is shaped as nested tuples of at most 16, shared by `table!` (for
//! `all_columns`) and the derives (for the struct's row type), so both agree for any width.

use proc_macro2::TokenStream;
use quote::quote;

/// The widest tuple Quarry implements its traits for.
pub const MAX_TUPLE: usize = 16;

/// Groups `items` into a tuple, nesting chunks of at most 16 when there are more.
pub fn nest(items: Vec<TokenStream>) -> TokenStream {
    if items.len() <= MAX_TUPLE {
        return quote!((#(#items,)*));
    }
    let chunks: Vec<TokenStream> = items.chunks(MAX_TUPLE).map(|c| nest(c.to_vec())).collect();
    nest(chunks)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narrow_rows_are_flat_tuples() {
        let items = (0..3).map(|i| quote!(#i)).collect();
        assert_eq!(nest(items).to_string(), quote!((0i32, 1i32, 2i32,)).to_string());
    }

    #[test]
    fn wide_rows_nest_chunks_of_sixteen() {
        let items: Vec<_> = (0..40usize).map(|i| quote!(#i)).collect();
        let nested = nest(items).to_string();
        assert_eq!(nested.matches('(').count(), 4, "{nested}");
    }

    #[test]
    fn very_wide_rows_nest_twice() {
        let items: Vec<_> = (0..400usize).map(|i| quote!(#i)).collect();
        let nested = nest(items).to_string();
        // 25 chunks of 16, grouped into 2 tuples of chunks, inside one outer tuple.
        assert_eq!(nested.matches('(').count(), 25 + 2 + 1, "{nested}");
    }
}
