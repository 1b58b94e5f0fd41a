//! `#[derive(QueryableByName)]`: read a row of a raw `sql_query` by column name. Each field's SQL type
//! comes from `#[quarry(sql_type = ..)]`, or from its column when the struct names a `table_name`.

use proc_macro2::TokenStream;
use quote::quote;

use super::{Errors, Model, column_path, hidden};

pub fn generate(model: &Model) -> syn::Result<TokenStream> {
    let ident = &model.ident;
    let db = hidden("DB");
    let mut errors = Errors::default();
    let mut generics = model.generics.clone();
    let (_, ty_generics, _) = model.generics.split_for_impl();
    generics.params.push(syn::parse_quote!(#db: ::quarry::backend::Backend));
    let mut bounds = Vec::new();
    let mut inits = Vec::new();
    for f in &model.fields {
        let Some(column) = errors.check(f.column()) else { continue };
        // A raw identifier (`r#type`) names the column `type`.
        let rust_name = syn::ext::IdentExt::unraw(&column).to_string();
        let mut name = quote!(#rust_name);
        let sql_type = match (&f.sql_type, &model.table_name) {
            (Some(st), _) => quote!(#st),
            (None, Some(table)) => match errors.check(column_path(table, f)) {
                Some(col) => {
                    // The column's SQL name, which `#[sql_name]` in `table!` may set.
                    name = quote!(<#col as ::quarry::schema::Column>::NAME);
                    quote!(<#col as ::quarry::__private::Expression>::SqlType)
                }
                None => continue,
            },
            (None, None) => {
                errors.push(syn::Error::new(
                    f.span,
                    format!(
                        "field `{}` needs its SQL type to be read from a raw query\nhelp: add `#[quarry(sql_type = Text)]` (or the column's type) to the field, or `#[quarry(table_name = ..)]` to the struct",
                        column
                    ),
                ));
                continue;
            }
        };
        let ty = &f.ty;
        let member = &f.member;
        bounds.push(quote!(#ty: ::quarry::deserialize::FromSql<#sql_type, #db>));
        inits.push(quote!(#member: __row.read_named::<#ty, #sql_type, #db>(#name)?));
    }
    errors.finish()?;
    let where_clause = generics.make_where_clause();
    for b in bounds {
        where_clause.predicates.push(syn::parse_quote!(#b));
    }
    let (impl_generics, _, where_clause) = generics.split_for_impl();
    Ok(quote! {
        const _: () = {
            impl #impl_generics ::quarry::deserialize::QueryableByName<#db> for #ident #ty_generics #where_clause {
                fn build_by_name<__R: ::quarry::deserialize::Row<#db>>(
                    __row: &::quarry::deserialize::RowReader<'_, __R>,
                ) -> ::quarry::result::QueryResult<Self> {
                    Ok(Self { #(#inits,)* })
                }
            }
        };
    })
}
