//! `#[derive(Insertable)]`: the struct (or a reference to it) is one row for its table.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};

use super::{Errors, Model, column_path};

pub fn generate(model: &Model) -> syn::Result<TokenStream> {
    let ident = &model.ident;
    let table = model.table("Insertable")?;
    if model.fields.is_empty() {
        return Err(syn::Error::new(
            ident.span(),
            format!("`{ident}` has no field to insert\nhelp: give it one field per column to write"),
        ));
    }
    let mut errors = Errors::default();
    let mut names = Vec::new();
    let mut values = Vec::new();
    let mut written: Vec<syn::Ident> = Vec::new();
    for (i, f) in model.fields.iter().enumerate() {
        // Each column once: an INSERT naming one twice is refused by the database.
        if let Ok(column) = f.column() {
            if written.contains(&column) {
                errors.check::<()>(Err(syn::Error::new(
                    f.span,
                    format!("column `{column}` is written by two fields of `{ident}`\nhelp: keep one field per column"),
                )));
                continue;
            }
            written.push(column);
        }
        let Some(col) = errors.check(column_path(table, f)) else { continue };
        let member = &f.member;
        let sep = (i > 0).then(|| quote!(out.push_sql(", ");));
        names.push(quote! {
            #sep
            out.push_identifier(<#col as ::quarry::schema::Column>::NAME);
        });
        values.push(quote_spanned! {f.span=>
            #sep
            ::quarry::query::walk_field_value::<#col, _>(&self.#member, out)?;
        });
    }
    errors.finish()?;
    let (impl_generics, ty_generics, where_clause) = model.generics.split_for_impl();
    let mut ref_generics = model.generics.clone();
    ref_generics.params.insert(0, syn::parse_quote!('__quarry_ref));
    let (ref_impl_generics, _, _) = ref_generics.split_for_impl();
    let table_type = quote!(#table::table);
    // A type parameter could be an expression type, whose SQL differs from one instance to the next: such
    // a struct is cached by its SQL text instead.
    let fixed_shape = model.generics.type_params().next().is_none();
    Ok(quote! {
        const _: () = {
            /// Stands for the row's SQL in the statement cache: every field is always written, each as one
            /// bound value, so the type fixes the columns and placeholders (unless it has type parameters).
            pub struct __QuarryInsertShape;
            #[diagnostic::do_not_recommend]
            impl #impl_generics ::quarry::query::InsertRow<#table_type> for #ident #ty_generics #where_clause {
                type Shape = __QuarryInsertShape;
                const FIXED_SHAPE: bool = #fixed_shape;
                fn walk_columns(&self, out: &mut ::quarry::render::AstPass<'_>) -> ::quarry::result::QueryResult<()> {
                    #(#names)*
                    Ok(())
                }
                fn walk_values(&self, out: &mut ::quarry::render::AstPass<'_>) -> ::quarry::result::QueryResult<()> {
                    #(#values)*
                    Ok(())
                }
            }
            #[diagnostic::do_not_recommend]
            impl #ref_impl_generics ::quarry::query::InsertRow<#table_type> for &'__quarry_ref #ident #ty_generics #where_clause {
                type Shape = __QuarryInsertShape;
                const FIXED_SHAPE: bool = #fixed_shape;
                fn walk_columns(&self, out: &mut ::quarry::render::AstPass<'_>) -> ::quarry::result::QueryResult<()> {
                    (**self).walk_columns(out)
                }
                fn walk_values(&self, out: &mut ::quarry::render::AstPass<'_>) -> ::quarry::result::QueryResult<()> {
                    (**self).walk_values(out)
                }
            }
            #[diagnostic::do_not_recommend]
            impl #impl_generics ::quarry::query::Insertable<#table_type> for #ident #ty_generics #where_clause {
                type Source = ::quarry::query::ValuesRows;
                fn walk_insert(&self, out: &mut ::quarry::render::AstPass<'_>) -> ::quarry::result::QueryResult<()> {
                    ::quarry::query::walk_single_row::<#table_type, _>(self, out)
                }
                fn rows_key(&self) -> ::std::option::Option<(::std::any::TypeId, usize)> {
                    ::quarry::query::single_row_key::<#table_type, Self>()
                }
            }
            #[diagnostic::do_not_recommend]
            impl #ref_impl_generics ::quarry::query::Insertable<#table_type> for &'__quarry_ref #ident #ty_generics #where_clause {
                type Source = ::quarry::query::ValuesRows;
                fn walk_insert(&self, out: &mut ::quarry::render::AstPass<'_>) -> ::quarry::result::QueryResult<()> {
                    ::quarry::query::walk_single_row::<#table_type, _>(self, out)
                }
                fn rows_key(&self) -> ::std::option::Option<(::std::any::TypeId, usize)> {
                    ::quarry::query::single_row_key::<#table_type, Self>()
                }
            }
        };
    })
}
