//! `alias!`: a table under another name, `let managers = alias!(users as managers);`.

use proc_macro2::TokenStream;
use quote::quote;
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{Ident, Path, Token};

use crate::table::id_type;

struct AliasDecl {
    table: Path,
    name: Ident,
}

impl Parse for AliasDecl {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let table: Path = input.parse()?;
        if !input.peek(Token![as]) {
            return Err(input.error("expected `as` and the alias's name\nhelp: write `alias!(users as managers)`"));
        }
        input.parse::<Token![as]>()?;
        let name = input.parse()?;
        Ok(AliasDecl { table, name })
    }
}

pub fn expand(input: TokenStream) -> TokenStream {
    let decls = match syn::parse::Parser::parse2(Punctuated::<AliasDecl, Token![,]>::parse_terminated, input) {
        Ok(d) if !d.is_empty() => d,
        Ok(_) => {
            return syn::Error::new(
                proc_macro2::Span::call_site(),
                "`alias!` names no alias\nhelp: write `alias!(users as managers)`",
            )
            .to_compile_error();
        }
        Err(e) => return e.to_compile_error(),
    };
    let mut items = Vec::new();
    let mut values = Vec::new();
    for AliasDecl { table, name } in &decls {
        let sql_name = name.to_string();
        let id = id_type(&[&sql_name], false);
        items.push(quote! {
            #[allow(non_camel_case_types)]
            #[derive(Debug, Clone, Copy, Default)]
            struct #name;
            impl ::quarry::query::AliasName for #name {
                const NAME: &'static str = #sql_name;
                type Id = #id;
            }
        });
        values.push(quote!(::quarry::query::Alias::<#table::table, #name>::new()));
    }
    let value = if values.len() == 1 { values.remove(0) } else { quote!((#(#values,)*)) };
    quote! {{
        #(#items)*
        #value
    }}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_alias_is_a_value_and_several_a_tuple() {
        let one = expand(quote!(users as managers)).to_string();
        assert!(one.contains("struct managers"), "{one}");
        assert!(one.contains("Alias :: < users :: table , managers > :: new ()"), "{one}");
        let two = expand(quote!(users as a, users as b)).to_string();
        assert!(two.contains("struct a") && two.contains("struct b"), "{two}");
    }

    #[test]
    fn a_missing_as_is_an_error_with_the_right_form() {
        let out = expand(quote!(users managers)).to_string();
        assert!(out.contains("expected `as`"), "{out}");
    }
}
