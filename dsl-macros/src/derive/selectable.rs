//! `#[derive(Selectable)]`: the struct names its own columns (`User::as_select()`) and reads them back.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};

use super::{Errors, Model, build_struct, column_path, field_counts, hidden};
use crate::rows;

pub fn generate(model: &Model) -> syn::Result<TokenStream> {
    let ident = &model.ident;
    let table = model.table("Selectable")?;
    let mut errors = Errors::default();
    // Each field's selection: its column's path (the expression and its type alike), an embedded
    // struct's `SelectBy`, or a computed expression with its type; the last two are also the struct's
    // `Parts`, checked against the query on their own.
    let mut exprs: Vec<TokenStream> = Vec::new();
    let mut columns: Vec<TokenStream> = Vec::new();
    let mut parts: Vec<TokenStream> = Vec::new();
    for f in &model.fields {
        let ty = &f.ty;
        let (expr, expr_type) = if f.embed {
            if f.select_expression.is_some() || f.column_name.is_some() {
                errors.push(syn::Error::new(
                    f.span,
                    "an embedded struct reads its own columns: `embed` takes no `select_expression` or `column_name`",
                ));
                continue;
            }
            (
                quote_spanned!(f.span=> <#ty as ::quarry::expression::SelectableHelper>::as_select()),
                quote_spanned!(f.span=> ::quarry::expression::SelectBy<#ty>),
            )
        } else if let Some(expr) = &f.select_expression {
            let expr_type = match &f.select_expression_type {
                Some(t) => quote!(#t),
                None => match crate::auto_type::infer_expression_type(expr) {
                    Ok(t) => t,
                    Err(e) => {
                        // auto_type's reason, without its advice for functions.
                        let text = e.to_string();
                        let reason = text.lines().next().unwrap_or_default();
                        let reason = reason.split_once("this: ").map_or(reason, |(_, r)| r);
                        errors.push(syn::Error::new(
                            e.span(),
                            format!("the type of this `select_expression` cannot be read from it: {reason}\nhelp: name it with `select_expression_type = ..`"),
                        ));
                        continue;
                    }
                },
            };
            (quote_spanned!(f.span=> #expr), expr_type)
        } else {
            match errors.check(column_path(table, f)) {
                Some(c) => (c.clone(), c),
                None => continue,
            }
        };
        if f.embed || f.select_expression.is_some() {
            parts.push(expr_type.clone());
        }
        exprs.push(expr);
        columns.push(expr_type);
    }
    errors.finish()?;
    let selection = rows::nest(columns.clone());
    let construct = rows::nest(exprs);
    let parts = if parts.is_empty() { quote!(::quarry::expression::NoParts) } else { quote!((#(#parts,)*)) };
    let db = hidden("DB");
    let db_tokens = quote!(#db);
    let sql_types: Vec<TokenStream> =
        columns.iter().map(|c| quote!(<#c as ::quarry::__private::Expression>::SqlType)).collect();
    let (impl_generics, ty_generics, where_clause) = model.generics.split_for_impl();

    let mut row_generics = model.generics.clone();
    row_generics.params.push(syn::parse_quote!(#db: ::quarry::backend::Backend));
    let row_where = row_generics.make_where_clause();
    for (f, st) in model.fields.iter().zip(&sql_types) {
        let ty = &f.ty;
        row_where.predicates.push(syn::parse_quote!(#ty: ::quarry::deserialize::FromSqlRow<#st, #db>));
    }
    let (row_impl_generics, _, row_where) = row_generics.split_for_impl();
    let build = build_struct(model, &sql_types, &db_tokens);
    let field_counts = field_counts(model, &sql_types, &db_tokens);

    // One check per field, spanned on its type: can this Rust type hold its column on the backends named
    // by `check_for_backend(..)`, else on the first one built in (SQLite, else PostgreSQL)?
    let checks = model.fields.iter().zip(&columns).map(|(f, c)| {
        let ty = &f.ty;
        if model.check_for_backend.is_empty() {
            return quote_spanned!(f.span=> ::quarry::deserialize::field_can_hold::<#c, #ty>(););
        }
        let each = model
            .check_for_backend
            .iter()
            .map(|db| quote_spanned!(f.span=> ::quarry::deserialize::field_can_hold_on::<#c, #ty, #db>();));
        quote!(#(#each)*)
    });
    let check_fn = if model.generics.params.is_empty() {
        quote! {
            #[allow(dead_code)]
            fn __quarry_check_fields() {
                #(#checks)*
            }
        }
    } else {
        quote!()
    };

    Ok(quote! {
        const _: () = {
            impl #impl_generics ::quarry::expression::Selectable for #ident #ty_generics #where_clause {
                type SelectExpression = #selection;
                type Table = #table::table;
                type Nullability = ::quarry::sql_types::NotNull;
                type Parts = #parts;
                fn construct_selection() -> Self::SelectExpression {
                    #construct
                }
            }

            #[diagnostic::do_not_recommend]
            impl #row_impl_generics ::quarry::deserialize::FromSqlRow<::quarry::expression::AsSelect<#ident #ty_generics>, #db>
                for #ident #ty_generics #row_where
            {
                const FIELD_COUNT: usize = 0 #(+ #field_counts)*;
                fn build_from_row<__R: ::quarry::deserialize::Row<#db>>(
                    __row: &mut ::quarry::deserialize::RowReader<'_, __R>,
                ) -> ::quarry::result::QueryResult<Self> {
                    Ok(#build)
                }
            }

            #check_fn
        };
    })
}
