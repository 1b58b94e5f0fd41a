//! `#[derive(AsChangeset)]`: the struct is the SET clause of an UPDATE. `None` fields are left
//! unchanged (unless `treat_none_as_null = true`); primary key fields are never set.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};

use super::{Errors, Model, column_path, is_option};

pub fn generate(model: &Model) -> syn::Result<TokenStream> {
    let ident = &model.ident;
    let table = model.table("AsChangeset")?;
    let primary_key = model.primary_key();
    let mut errors = Errors::default();
    let mut changes = Vec::new();
    // The SET clause's text is fixed by the type when no field is skipped for being `None` and no type
    // parameter could change how a field renders; the statement cache then keys it by type.
    let mut fixed_shape = model.generics.type_params().next().is_none();
    for f in &model.fields {
        let Ok(column) = f.column() else {
            errors.check(f.column());
            continue;
        };
        if primary_key.contains(&column) {
            continue;
        }
        let Some(col) = errors.check(column_path(table, f)) else { continue };
        let member = &f.member;
        let write = |value: TokenStream| {
            quote_spanned! {f.span=>
                out.push_identifier(<#col as ::quarry::schema::Column>::NAME);
                out.push_sql(" = ");
                ::quarry::query::walk_set_value::<#col, _>(#value, out)?;
            }
        };
        let change = if is_option(&f.ty) && !model.treat_none_as_null {
            fixed_shape = false;
            let body = write(quote!(value));
            quote! {
                match &self.#member {
                    Some(value) => { #body Ok(1) }
                    None => Ok(0),
                }
            }
        } else {
            let body = write(quote!(&self.#member));
            quote!({ #body Ok(1) })
        };
        changes.push(quote! {
            written += out.separated(written > 0, ", ", |out| #change)?;
        });
    }
    errors.finish()?;
    if changes.is_empty() {
        return Err(syn::Error::new(
            ident.span(),
            format!(
                "`{ident}` has no field to update besides its primary key\nhelp: add fields for the columns to set"
            ),
        ));
    }
    let (impl_generics, ty_generics, where_clause) = model.generics.split_for_impl();
    let mut ref_generics = model.generics.clone();
    ref_generics.params.insert(0, syn::parse_quote!('__quarry_ref));
    let (ref_impl_generics, _, _) = ref_generics.split_for_impl();
    // The values are Rust values: the struct is a changeset whatever else the UPDATE reads (`Sources`).
    let mut set_generics = model.generics.clone();
    set_generics.params.push(syn::parse_quote!(__QuarrySources));
    let (set_impl_generics, _, _) = set_generics.split_for_impl();
    let mut ref_set_generics = ref_generics.clone();
    ref_set_generics.params.push(syn::parse_quote!(__QuarrySources));
    let (ref_set_impl_generics, _, _) = ref_set_generics.split_for_impl();
    let table_type = quote!(#table::table);
    let shape_items = quote! {
        type Shape = __QuarryChangesetShape;
        const FIXED_SHAPE: bool = #fixed_shape;
    };
    let shape_trait = quote!(::quarry::query::ChangesetShape);
    Ok(quote! {
        const _: () = {
            /// Stands for this changeset's SET clause in the statement cache.
            pub struct __QuarryChangesetShape;
            impl #impl_generics #shape_trait for #ident #ty_generics #where_clause {
                #shape_items
            }
            impl #ref_impl_generics #shape_trait for &'__quarry_ref #ident #ty_generics #where_clause {
                #shape_items
            }
            // Its values are Rust values: bound on every backend.
            impl #set_impl_generics ::quarry::__private::RunsOn<__QuarrySources> for #ident #ty_generics #where_clause {}
            impl #ref_set_impl_generics ::quarry::__private::RunsOn<__QuarrySources> for &'__quarry_ref #ident #ty_generics #where_clause {}
            #[diagnostic::do_not_recommend]
            impl #set_impl_generics ::quarry::query::AsChangeset<#table_type, __QuarrySources> for #ident #ty_generics #where_clause {
                fn walk_changes(&self, out: &mut ::quarry::render::AstPass<'_>) -> ::quarry::result::QueryResult<usize> {
                    let mut written = 0;
                    #(#changes)*
                    Ok(written)
                }
            }
            #[diagnostic::do_not_recommend]
            impl #ref_set_impl_generics ::quarry::query::AsChangeset<#table_type, __QuarrySources> for &'__quarry_ref #ident #ty_generics #where_clause {
                fn walk_changes(&self, out: &mut ::quarry::render::AstPass<'_>) -> ::quarry::result::QueryResult<usize> {
                    <#ident #ty_generics as ::quarry::query::AsChangeset<#table_type, __QuarrySources>>::walk_changes(*self, out)
                }
            }
        };
    })
}
