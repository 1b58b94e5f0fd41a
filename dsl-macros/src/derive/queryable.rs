//! `#[derive(Queryable)]`: read a row positionally, one column per field, in declaration order.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{Model, build_struct, field_counts, hidden};
use crate::rows;

pub fn generate(model: &Model) -> syn::Result<TokenStream> {
    Ok(impl_from_row(model))
}

fn impl_from_row(model: &Model) -> TokenStream {
    let ident = &model.ident;
    let db = hidden("DB");
    let db_tokens = quote!(#db);
    let sql_types: Vec<TokenStream> = (0..model.fields.len())
        .map(|i| {
            let st = format_ident!("__QuarrySt{}", i);
            quote!(#st)
        })
        .collect();
    let row_type = rows::nest(sql_types.clone());
    let mut generics = model.generics.clone();
    let (_, ty_generics, _) = model.generics.split_for_impl();
    generics.params.push(syn::parse_quote!(#db: ::quarry::backend::Backend));
    for st in &sql_types {
        generics.params.push(syn::parse_quote!(#st));
    }
    let where_clause = generics.make_where_clause();
    for (f, st) in model.fields.iter().zip(&sql_types) {
        let ty = &f.ty;
        where_clause.predicates.push(syn::parse_quote!(#ty: ::quarry::deserialize::FromSqlRow<#st, #db>));
    }
    let (impl_generics, _, where_clause) = generics.split_for_impl();
    let build = build_struct(model, &sql_types, &db_tokens);
    let field_counts = field_counts(model, &sql_types, &db_tokens);
    quote! {
        const _: () = {
            #[diagnostic::do_not_recommend]
            impl #impl_generics ::quarry::deserialize::FromSqlRow<#row_type, #db> for #ident #ty_generics #where_clause {
                const FIELD_COUNT: usize = 0 #(+ #field_counts)*;
                fn build_from_row<__R: ::quarry::deserialize::Row<#db>>(
                    __row: &mut ::quarry::deserialize::RowReader<'_, __R>,
                ) -> ::quarry::result::QueryResult<Self> {
                    Ok(#build)
                }
            }
        };
    }
}
