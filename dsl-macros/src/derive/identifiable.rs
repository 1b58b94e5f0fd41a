//! `#[derive(Identifiable)]`: `&struct` names its row by primary key, for `update(&row)`/`delete(&row)`.

use proc_macro2::TokenStream;
use quote::quote;

use super::Model;

pub fn generate(model: &Model) -> syn::Result<TokenStream> {
    let ident = &model.ident;
    let table = model.table("Identifiable")?;
    let mut types = Vec::new();
    let mut values = Vec::new();
    for key in model.primary_key() {
        let Some(field) = model.field_for_column(&key) else {
            return Err(syn::Error::new(
                key.span(),
                format!(
                    "`{ident}` has no field for primary key column `{key}`\nhelp: add the field, or name the key with `#[quarry(primary_key({key}))]`"
                ),
            ));
        };
        let ty = &field.ty;
        let member = &field.member;
        types.push(quote!(&'__quarry_ref #ty));
        values.push(quote!(&self.#member));
    }
    let (id_type, id_value) = if types.len() == 1 {
        (types.remove(0), values.remove(0))
    } else {
        (quote!((#(#types,)*)), quote!((#(#values,)*)))
    };
    let mut generics = model.generics.clone();
    generics.params.insert(0, syn::parse_quote!('__quarry_ref));
    let (impl_generics, _, where_clause) = generics.split_for_impl();
    let (_, ty_generics, _) = model.generics.split_for_impl();
    Ok(quote! {
        const _: () = {
            impl #impl_generics ::quarry::query::Identifiable for &'__quarry_ref #ident #ty_generics #where_clause {
                type Table = #table::table;
                type Id = #id_type;
                fn id(self) -> Self::Id {
                    #id_value
                }
            }
            #[diagnostic::do_not_recommend]
            impl #impl_generics ::quarry::query::IntoUpdateTarget<#table::table, ::quarry::query::IdentifiedBy<Self>>
                for &'__quarry_ref #ident #ty_generics #where_clause
            {
                fn into_update_target(self) -> ::quarry::query::UpdateTarget<#table::table, ::quarry::query::IdentifiedBy<Self>> {
                    ::quarry::query::identified_target(self)
                }
            }
        };
    })
}
