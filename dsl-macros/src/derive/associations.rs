//! `#[derive(Associations)]`: each `#[quarry(belongs_to(Parent))]` makes the struct a child of `Parent`
//! through a foreign key column (`parent_id` by default, or `foreign_key = column`).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::{GenericArgument, PathArguments, Type};

use super::{BelongsTo, Errors, Model, is_option};

pub fn generate(model: &Model) -> syn::Result<TokenStream> {
    let ident = &model.ident;
    let table = model.table("Associations")?;
    if model.belongs_to.is_empty() {
        return Err(syn::Error::new(
            ident.span(),
            format!(
                "`#[derive(Associations)]` on `{ident}` needs a parent\nhelp: add `#[quarry(belongs_to(Parent))]`, or `belongs_to(Parent, foreign_key = column)`"
            ),
        ));
    }
    let (impl_generics, ty_generics, where_clause) = model.generics.split_for_impl();
    let mut errors = Errors::default();
    let mut impls = Vec::new();
    for BelongsTo { parent, foreign_key } in &model.belongs_to {
        let column = foreign_key.clone().unwrap_or_else(|| default_foreign_key(parent));
        let Some(field) = model.field_for_column(&column) else {
            errors.push(syn::Error::new(
                column.span(),
                format!(
                    "`{ident}` has no field for the foreign key column `{column}` of `belongs_to({})`\nhelp: add the field, or name the column with `belongs_to(Parent, foreign_key = column)`",
                    quote!(#parent).to_string().replace(' ', "")
                ),
            ));
            continue;
        };
        let member = &field.member;
        let (key_type, value) = match option_inner(&field.ty) {
            Some(inner) => (inner, quote!(self.#member.as_ref())),
            None => (&field.ty, quote!(::std::option::Option::Some(&self.#member))),
        };
        impls.push(quote! {
            impl #impl_generics ::quarry::associations::BelongsTo<#parent> for #ident #ty_generics #where_clause {
                type ForeignKey = #key_type;
                type ForeignKeyColumn = #table::#column;
                fn foreign_key(&self) -> ::std::option::Option<&Self::ForeignKey> {
                    #value
                }
                fn foreign_key_column() -> Self::ForeignKeyColumn {
                    #table::#column
                }
            }
        });
    }
    errors.finish()?;
    Ok(quote! { const _: () = { #(#impls)* }; })
}

/// `User` → `user_id`, `BlogPost` → `blog_post_id`: the parent's name in snake case, then `_id`.
fn default_foreign_key(parent: &syn::Path) -> syn::Ident {
    let last = parent.segments.last().map(|s| s.ident.to_string()).unwrap_or_default();
    let mut snake = String::new();
    for (i, c) in last.chars().enumerate() {
        if c.is_uppercase() {
            if i > 0 {
                snake.push('_');
            }
            snake.extend(c.to_lowercase());
        } else {
            snake.push(c);
        }
    }
    let span = parent.segments.last().map_or_else(proc_macro2::Span::call_site, |s| s.ident.span());
    format_ident!("{snake}_id", span = span)
}

/// `T` for a field typed `Option<T>` (a nullable foreign key).
fn option_inner(ty: &Type) -> Option<&Type> {
    if !is_option(ty) {
        return None;
    }
    let Type::Path(p) = ty else { return None };
    match &p.path.segments.last()?.arguments {
        PathArguments::AngleBracketed(args) => match args.args.first()? {
            GenericArgument::Type(inner) => Some(inner),
            _ => None,
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_foreign_key_is_the_parent_in_snake_case_with_id() {
        for (parent, key) in [("User", "user_id"), ("BlogPost", "blog_post_id"), ("crate::models::Team", "team_id")] {
            let path: syn::Path = syn::parse_str(parent).expect("a path");
            assert_eq!(default_foreign_key(&path).to_string(), key);
        }
    }
}
