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
    let mut masks = Vec::new();
    let mut may_default = Vec::new();
    let mut optional_fields = 0u32;
    for f in &model.fields {
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
        // A separator before each column but the first written (an `Option` field may leave its column out).
        let sep = quote!(if __written > 0 { out.push_sql(", "); } __written += 1;);
        if super::is_option(&f.ty) {
            // `None` in a NOT NULL column leaves it to its default: `DEFAULT`, or left out where VALUES
            // takes no DEFAULT (then rows leaving different columns out go in separate statements). Each
            // use goes through `optional_field`, so a field of the wrong type is one error.
            let bit = optional_fields;
            optional_fields += 1;
            let field = quote_spanned!(f.span=> ::quarry::query::optional_field::<#col, _>(&self.#member));
            names.push(quote! {
                if !::quarry::query::field_left_out(#field, out) {
                    #sep
                    out.push_identifier(<#col as ::quarry::schema::Column>::NAME);
                }
            });
            values.push(quote! {
                let __field = #field;
                if !::quarry::query::field_left_out(__field, out) {
                    #sep
                    __field.walk_optional(out)?;
                }
            });
            masks.push(quote! {
                if #field.takes_default() {
                    __mask |= 1u64 << #bit;
                }
            });
            may_default.push(quote!(::quarry::query::column_may_default::<#col>()));
        } else {
            names.push(quote! {
                #sep
                out.push_identifier(<#col as ::quarry::schema::Column>::NAME);
            });
            values.push(quote_spanned! {f.span=>
                #sep
                ::quarry::query::walk_field_value::<#col, _>(&self.#member, out)?;
            });
        }
    }
    if optional_fields > 64 {
        errors.push(syn::Error::new(
            ident.span(),
            format!("`{ident}` has {optional_fields} `Option` fields; an Insertable struct may have at most 64"),
        ));
    }
    errors.finish()?;
    let field_count = model.fields.len() as u32;
    let may_default = if may_default.is_empty() { quote!(false) } else { quote!(false #(|| #may_default)*) };
    let (impl_generics, ty_generics, where_clause) = model.generics.split_for_impl();
    let mut ref_generics = model.generics.clone();
    ref_generics.params.insert(0, syn::parse_quote!('__quarry_ref));
    let (ref_impl_generics, _, _) = ref_generics.split_for_impl();
    let table_type = quote!(#table::table);
    // A type parameter could be an expression type, whose SQL differs from one instance to the next: such
    // a struct is cached by its SQL text instead.
    let fixed_shape = model.generics.type_params().next().is_none();
    // A row leaving a column to its default writes other SQL than one that does not.
    let fixed_shape = quote!(#fixed_shape && !(#may_default));
    Ok(quote! {
        const _: () = {
            /// Stands for the row's SQL in the statement cache: every field is written, each as one bound
            /// value, so the type fixes the columns and placeholders (unless it has type parameters, or an
            /// `Option` field of a NOT NULL column, which a `None` leaves to its default).
            pub struct __QuarryInsertShape;
            #[diagnostic::do_not_recommend]
            impl #impl_generics ::quarry::query::InsertRow<#table_type> for #ident #ty_generics #where_clause {
                type Shape = __QuarryInsertShape;
                const FIXED_SHAPE: bool = #fixed_shape;
                const MAY_DEFAULT: bool = #may_default;
                const FIELD_COUNT: u32 = #field_count;
                fn walk_columns(&self, out: &mut ::quarry::render::AstPass<'_>) -> ::quarry::result::QueryResult<()> {
                    let mut __written = 0usize;
                    #(#names)*
                    Ok(())
                }
                fn walk_values(&self, out: &mut ::quarry::render::AstPass<'_>) -> ::quarry::result::QueryResult<()> {
                    let mut __written = 0usize;
                    #(#values)*
                    Ok(())
                }
                fn default_mask(&self) -> u64 {
                    let mut __mask = 0u64;
                    #(#masks)*
                    __mask
                }
            }
            #[diagnostic::do_not_recommend]
            impl #ref_impl_generics ::quarry::query::InsertRow<#table_type> for &'__quarry_ref #ident #ty_generics #where_clause {
                type Shape = __QuarryInsertShape;
                const FIXED_SHAPE: bool = #fixed_shape;
                const MAY_DEFAULT: bool = #may_default;
                const FIELD_COUNT: u32 = #field_count;
                fn walk_columns(&self, out: &mut ::quarry::render::AstPass<'_>) -> ::quarry::result::QueryResult<()> {
                    (**self).walk_columns(out)
                }
                fn walk_values(&self, out: &mut ::quarry::render::AstPass<'_>) -> ::quarry::result::QueryResult<()> {
                    (**self).walk_values(out)
                }
                fn default_mask(&self) -> u64 {
                    (**self).default_mask()
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
                fn default_mask(&self, _: usize) -> (u64, bool) {
                    ::quarry::query::row_default::<#table_type, Self>(self)
                }
                fn may_default(&self) -> bool {
                    <Self as ::quarry::query::InsertRow<#table_type>>::MAY_DEFAULT
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
                fn default_mask(&self, _: usize) -> (u64, bool) {
                    ::quarry::query::row_default::<#table_type, Self>(self)
                }
                fn may_default(&self) -> bool {
                    <Self as ::quarry::query::InsertRow<#table_type>>::MAY_DEFAULT
                }
            }
        };
    })
}
