//! `table!`: parse the declaration, check it, and expand it to a module per table.

use proc_macro2::TokenStream;
use quarry_table_syntax::syntax::{ColumnDecl, Schema, TableDecl, type_name};
use quarry_table_syntax::types;
use quote::{format_ident, quote, quote_spanned};
use syn::{Ident, Type};

use crate::rows;

/// Whether `name` is a SQL type `table!` knows without a `use` line.
pub(crate) fn is_built_in(name: &str) -> bool {
    types::find(name).is_some()
}

/// Is SQL type `ty` one only some backends have (`Array<..>` and `Interval` are PostgreSQL's)?
fn needs_backend(ty: &Type) -> bool {
    let mut ty = Some(ty);
    while let Some((name, inner)) = ty.and_then(type_name) {
        if name == "Array" || types::find(&name).is_some_and(|t| t.postgres_only) {
            return true;
        }
        ty = inner;
    }
    false
}

/// Checks a column's SQL type.
fn check_sql_type(ty: &Type, custom_types_allowed: bool) -> syn::Result<()> {
    let Some((name, inner)) = type_name(ty) else {
        return Err(syn::Error::new_spanned(ty, "expected a SQL type such as `Integer` or `Nullable<Text>`"));
    };
    if name == "Nullable" {
        return match inner {
            Some(inner) => check_sql_type(inner, custom_types_allowed),
            None => Err(syn::Error::new_spanned(ty, "`Nullable` needs a type\nhelp: write `Nullable<Text>`")),
        };
    }
    if name == "Array" {
        return match inner {
            Some(inner) => check_sql_type(inner, custom_types_allowed),
            None => Err(syn::Error::new_spanned(ty, "`Array` needs an element type\nhelp: write `Array<Text>`")),
        };
    }
    if is_built_in(&name) || custom_types_allowed {
        return Ok(());
    }
    Err(syn::Error::new_spanned(
        ty,
        format!(
            "unknown SQL type `{name}`\nhelp: use one of {}, or `Nullable<...>` or `Array<...>` of one; for a custom SQL type, import it with a `use` line at the top of `table!`",
            types::BUILT_IN.iter().map(|t| t.name).collect::<Vec<_>>().join(", ")
        ),
    ))
}

/// Collects every mistake in the declaration, so one compile reports them all.
fn check(schema: &Schema) -> syn::Result<()> {
    let custom_types_allowed = !schema.uses.is_empty();
    let mut errors: Option<syn::Error> = None;
    let mut push = |e: syn::Error| match &mut errors {
        Some(all) => all.combine(e),
        None => errors = Some(e),
    };
    for table in &schema.tables {
        let mut seen: Vec<&Ident> = Vec::new();
        for column in &table.columns {
            if seen.contains(&&column.name) {
                push(syn::Error::new(
                    column.name.span(),
                    format!(
                        "column `{}` is declared twice in table `{}`\nhelp: remove one, or rename it and map it with `#[sql_name = \"...\"]`",
                        column.name, table.name
                    ),
                ));
            }
            if column.name == "table" || column.name == "star" || column.name == "all_columns" {
                push(syn::Error::new(
                    column.name.span(),
                    format!(
                        "a column cannot be named `{}` in Rust (the table module uses that name)\nhelp: rename it and keep the SQL name with `#[sql_name = \"{}\"]`",
                        column.name, column.name
                    ),
                ));
            }
            seen.push(&column.name);
            if let Err(e) = check_sql_type(&column.sql_type, custom_types_allowed) {
                push(e);
            }
        }
        match &table.primary_key {
            Some(keys) => {
                for key in keys {
                    if !table.columns.iter().any(|c| &c.name == key) {
                        push(syn::Error::new(
                            key.span(),
                            format!(
                                "primary key column `{key}` is not a column of table `{}`\nhelp: declare it in the braces, e.g. `{key} -> Integer,`",
                                table.name
                            ),
                        ));
                    }
                }
            }
            None if !table.columns.iter().any(|c| c.name == "id") => push(syn::Error::new(
                table.name.span(),
                format!(
                    "table `{}` has no primary key: without `(key)` it defaults to `id`, which is not declared\nhelp: name the key column(s): `{} (key_column) {{ ... }}`",
                    table.name, table.name
                ),
            )),
            None => {}
        }
        if table.columns.is_empty() {
            push(syn::Error::new(
                table.name.span(),
                format!(
                    "table `{}` has no columns\nhelp: declare them: `{} (id) {{ id -> Integer, }}`",
                    table.name, table.name
                ),
            ));
        }
    }
    match errors {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

pub fn expand(input: TokenStream) -> TokenStream {
    let schema: Schema = match syn::parse2(input) {
        Ok(s) => s,
        Err(e) => return e.to_compile_error(),
    };
    if let Err(e) = check(&schema) {
        return e.to_compile_error();
    }
    let tables = schema.tables.iter().map(|t| expand_table(t, &schema.uses));
    quote!(#(#tables)*)
}

fn expand_table(table: &TableDecl, uses: &[syn::ItemUse]) -> TokenStream {
    let name = &table.name;
    let sql_name = table.sql_name();
    let docs = &table.docs;
    let schema = table.schema.as_ref().map(|s| syn::ext::IdentExt::unraw(s).to_string());
    let qualified = match &schema {
        Some(schema) => format!("{schema}.{sql_name}"),
        None => sql_name.clone(),
    };
    let default_doc = format!("The table `{qualified}`.");
    // The identity spells the schema too: `auth.users` and `users` are two tables to the compiler.
    let id_parts: Vec<&str> = schema.iter().map(String::as_str).chain([sql_name.as_str()]).collect();
    let schema_const = match &schema {
        Some(schema) => {
            quote!(const SCHEMA: ::std::option::Option<&'static str> = ::std::option::Option::Some(#schema);)
        }
        None => quote!(),
    };
    let push_schema = schema.as_ref().map(|schema| quote!(out.push_identifier(#schema); out.push_sql(".");));
    let pk: Vec<Ident> = table.primary_key.clone().unwrap_or_else(|| vec![Ident::new("id", name.span())]);
    let pk_type = if pk.len() == 1 { quote!(columns::#(#pk)*) } else { quote!((#(columns::#pk,)*)) };
    let pk_value = if pk.len() == 1 { quote!(columns::#(#pk)*) } else { quote!((#(columns::#pk,)*)) };
    let column_names: Vec<&Ident> = table.columns.iter().map(|c| &c.name).collect();
    let column_sql_names: Vec<String> = table.columns.iter().map(ColumnDecl::sql_name).collect();
    let all_columns = rows::nest(column_names.iter().map(|c| quote!(columns::#c)).collect());
    let column_items = table.columns.iter().map(|c| expand_column(c, &id_parts));
    let id_bits = id_type(&id_parts, true);
    // The name the FROM clause exposes: `auth.users` is `users` there.
    let exposed_bits = if schema.is_some() { id_type(&[sql_name.as_str()], true) } else { id_bits.clone() };
    // Its columns written with the schema (`"auth"."users"."id"`) take no other source's bare name.
    let bare_bits = if schema.is_some() { quote!(::quarry::schema::NotBare) } else { id_bits.clone() };
    // Spanned on the table's name, so that a note pointing at the table shows its line, not the macro.
    let table_struct = quote_spanned! {name.span()=>
        #[doc = #default_doc]
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
        pub struct table;
    };
    let table_in_from = quote_spanned! {name.span()=>
        #[diagnostic::do_not_recommend]
        impl ::quarry::schema::TableInFrom<table> for table {}
        impl ::quarry::schema::HasTableId for table {
            type Id = #id_bits;
            type Exposed = #exposed_bits;
            type Bare = #bare_bits;
        }
        impl ::quarry::schema::SingleSource for table {}
    };
    quote! {
        #(#docs)*
        #[doc = #default_doc]
        #[allow(non_camel_case_types, non_upper_case_globals, dead_code, unused_imports, unreachable_pub)]
        pub mod #name {
            use ::quarry::sql_types::*;
            use ::quarry::schema::id_words::*;
            #(#uses)*
            pub use self::columns::*;

            #table_struct

            /// All columns, in declaration order.
            pub const all_columns: #all_columns = #all_columns;

            /// The SQL type of a whole row.
            pub type SqlType = <#all_columns as ::quarry::__private::Expression>::SqlType;

            /// `table.into_boxed()` for backend `DB`, as a function returns it (Diesel's name); `ST` is the
            /// row's SQL type, the whole row's unless the query selects something else; `Lock` is
            /// `quarry::query::lock::RowsLocked` for a query boxed after `for_update()` or another lock.
            pub type BoxedQuery<'a, DB, ST = SqlType, Lock = ::quarry::query::NoLock> = ::quarry::query::BoxedSelectStatement<'a, ST, table, DB, ::quarry::expression::NoGroupBy, Lock>;

            /// Every column of the table: `"table".*`.
            #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
            pub struct star;

            impl ::quarry::schema::Table for table {
                type PrimaryKey = #pk_type;
                type AllColumns = #all_columns;
                const NAME: &'static str = #sql_name;
                #schema_const
                const COLUMN_NAMES: &'static [&'static str] = &[#(#column_sql_names),*];
                fn primary_key(&self) -> Self::PrimaryKey {
                    #pk_value
                }
                fn all_columns() -> Self::AllColumns {
                    all_columns
                }
            }

            impl ::quarry::schema::QuerySource for table {
                type DefaultSelection = #all_columns;
                fn walk_from(&self, out: &mut ::quarry::render::AstPass<'_>) -> ::quarry::result::QueryResult<()> {
                    #push_schema
                    out.push_identifier(#sql_name);
                    Ok(())
                }
                fn default_selection(&self) -> Self::DefaultSelection {
                    all_columns
                }
            }

            impl ::quarry::render::QueryId for table {
                type QueryId = table;
            }
            impl<DB> ::quarry::__private::RunsOn<DB> for table {}

            #table_in_from

            impl<__QuarryConn> ::quarry::connection::RunQueryDsl<__QuarryConn> for table {}

            impl ::quarry::__private::AsQuery for table {
                type Query = ::quarry::query::SelectStatement<table, ::quarry::query::DefaultSelect>;
                fn as_query(self) -> Self::Query {
                    ::quarry::query::SelectStatement::simple(self)
                }
            }

            #[diagnostic::do_not_recommend]
            impl ::quarry::query::IntoUpdateTarget<table, ::quarry::query::NoWhere> for table {
                fn into_update_target(self) -> ::quarry::query::UpdateTarget<table, ::quarry::query::NoWhere> {
                    ::quarry::query::UpdateTarget { table: self, where_clause: ::quarry::query::NoWhere }
                }
            }

            impl ::quarry::__private::Expression for star {
                type SqlType = SqlType;
            }
            impl ::quarry::render::QueryFragment for star {
                fn walk(&self, out: &mut ::quarry::render::AstPass<'_>) -> ::quarry::result::QueryResult<()> {
                    ::quarry::render::QueryFragment::walk(&::quarry::schema::Star(table), out)
                }
            }
            impl ::quarry::render::QueryId for star {
                type QueryId = star;
            }
            impl<DB> ::quarry::__private::RunsOn<DB> for star {}
            #[diagnostic::do_not_recommend]
            impl<QS> ::quarry::__private::AppearsOn<QS> for star where table: ::quarry::schema::TableInFrom<QS> {}
            impl<QS> ::quarry::__private::SelectNullability<QS> for star where table: ::quarry::schema::NotNullableIn<QS> {}
            #[diagnostic::do_not_recommend]
            impl ::quarry::expression::NonAggregate for star {}
            impl<G> ::quarry::expression::ValidGrouping<G> for star
            where
                #all_columns: ::quarry::expression::ValidGrouping<G>,
            {
                type Kind = <#all_columns as ::quarry::expression::ValidGrouping<G>>::Kind;
            }

            /// The table and its columns, for `use users::dsl::*`.
            pub mod dsl {
                pub use super::columns::*;
                pub use super::table as #name;
            }

            /// The columns of the table.
            pub mod columns {
                // The table module's imports, the `use` lines of `table!` among them (written for the
                // module `table!` stands in: `use super::sql_types::Mood` must not be read from here).
                use super::*;
                use super::table;
                #(#column_items)*
            }
        }
    }
}

/// The type-level id of a table or alias (`parts` = its SQL name) or of a column (its table's name and
/// its own): each part's length (4 bytes) and bytes, as a list of 32-bit words of eight hexadecimal
/// digits, the last word padded with zeros. The lengths make the spelling unambiguous, so two ids are
/// equal exactly when the names are. With `short`, the words and digits are written by name alone, for
/// a scope that imports `::quarry::schema::id_words::*` (a table's module).
pub fn id_type(parts: &[&str], short: bool) -> TokenStream {
    let mut bytes = Vec::new();
    for part in parts {
        bytes.extend_from_slice(&u32::try_from(part.len()).unwrap_or(u32::MAX).to_be_bytes());
        bytes.extend_from_slice(part.as_bytes());
    }
    while bytes.len() % 4 != 0 {
        bytes.push(0);
    }
    let path = if short { quote!() } else { quote!(::quarry::schema::id_words::) };
    let digit = |d: u8| {
        let name = syn::Ident::new(&format!("H{d:X}"), proc_macro2::Span::call_site());
        quote!(#path #name)
    };
    bytes.chunks(4).rev().fold(quote!(()), |rest, word| {
        let digits = word.iter().flat_map(|b| [digit(b >> 4), digit(b & 0xf)]);
        quote!((#path W<#(#digits),*>, #rest))
    })
}

fn expand_column(column: &ColumnDecl, table_parts: &[&str]) -> TokenStream {
    let name = &column.name;
    let ty = &column.sql_type;
    let docs = &column.docs;
    let sql_name = column.sql_name();
    let default_doc = format!("The column `{sql_name}` (SQL type `{}`).", quote!(#ty).to_string().replace(' ', ""));
    // Every column gets `+ - * /`; the bound on its SQL type reports arithmetic on a non-numeric
    // column in SQL words, rather than as a missing operator.
    let ops = [("Add", "add"), ("Sub", "sub"), ("Mul", "mul"), ("Div", "div")].map(|(t, m)| {
        let trait_ident = format_ident!("{}", t);
        let method = format_ident!("{}", m);
        quote! {
            impl<Rhs> ::quarry::__private::#trait_ident<Rhs> for #name
            where
                #ty: ::quarry::sql_types::Arithmetic<Rhs>,
            {
                type Output = ::quarry::expression::#trait_ident<#name, ::quarry::expression::Operand<#ty, Rhs>>;
                fn #method(self, rhs: Rhs) -> Self::Output {
                    ::quarry::expression::#trait_ident::new(
                        self,
                        ::quarry::expression::Operand::with_walker(rhs, <#ty as ::quarry::sql_types::Arithmetic<Rhs>>::walk_operand),
                    )
                }
            }
        }
    });
    let arithmetic = quote!(#(#ops)*);
    // A column of a type only some backends have runs where its type does: checked by an impl in
    // `quarry`, whose error names the type (a bound on the backend here would quote the whole `table!`).
    let needs =
        needs_backend(ty).then(|| quote!(where ::quarry::backend::SqlTypeOf<#ty>: ::quarry::__private::RunsOn<DB>));
    let id_parts: Vec<&str> = table_parts.iter().copied().chain([sql_name.as_str()]).collect();
    let column_id = id_type(&id_parts, true);
    // Spanned on the column's name: when a column is used outside its table, the compiler's note
    // "but it is implemented for ..." then points at this column's line in the schema.
    let membership = quote_spanned! {name.span()=>
        #[diagnostic::do_not_recommend]
        impl ::quarry::__private::AppearsOn<table> for #name {}
        #[diagnostic::do_not_recommend]
        impl<I, O> ::quarry::__private::AppearsOn<::quarry::query::Correlated<I, O>> for #name
        where
            table: ::quarry::schema::TableInFrom<::quarry::query::Correlated<I, O>>,
        {
        }
        #[diagnostic::do_not_recommend]
        impl<L, R, K, On> ::quarry::__private::AppearsOn<::quarry::query::Join<L, R, K, On>> for #name
        where
            table: ::quarry::schema::TableInFrom<::quarry::query::Join<L, R, K, On>>,
        {
        }
        impl<QS> ::quarry::__private::SelectNullability<QS> for #name where table: ::quarry::schema::NotNullableIn<QS> {}
        #[diagnostic::do_not_recommend]
        impl<T> ::quarry::schema::ColumnOf<T> for #name where table: ::quarry::schema::SameTable<T> {}
        impl ::quarry::expression::HasColumnId for #name {
            type Id = #column_id;
        }
    };
    quote! {
        #(#docs)*
        #[doc = #default_doc]
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
        pub struct #name;

        impl ::quarry::__private::Expression for #name {
            type SqlType = #ty;
        }
        impl ::quarry::schema::Column for #name {
            type Table = table;
            const NAME: &'static str = #sql_name;
        }
        impl ::quarry::render::QueryFragment for #name {
            fn walk(&self, out: &mut ::quarry::render::AstPass<'_>) -> ::quarry::result::QueryResult<()> {
                ::quarry::schema::walk_column::<Self>(out)
            }
        }
        impl ::quarry::render::QueryId for #name {
            type QueryId = #name;
        }
        impl<DB> ::quarry::__private::RunsOn<DB> for #name #needs {}
        #membership
        #arithmetic
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error_of(input: TokenStream) -> String {
        expand(input).to_string()
    }

    #[test]
    fn unknown_sql_type_is_named_with_the_known_ones() {
        let out = error_of(quote!(users (id) { id -> Integer, name -> Strin, }));
        assert!(out.contains("unknown SQL type `Strin`"), "{out}");
        assert!(out.contains("help: use one of"), "{out}");
    }

    #[test]
    fn duplicate_column_is_an_error() {
        let out = error_of(quote!(users (id) { id -> Integer, id -> Text, }));
        assert!(out.contains("column `id` is declared twice in table `users`"), "{out}");
    }

    #[test]
    fn missing_primary_key_column_is_an_error() {
        let out = error_of(quote!(users (uid) { id -> Integer, }));
        assert!(out.contains("primary key column `uid` is not a column of table `users`"), "{out}");
    }

    #[test]
    fn default_primary_key_must_exist() {
        let out = error_of(quote!(users { name -> Text, }));
        assert!(out.contains("table `users` has no primary key"), "{out}");
    }

    #[test]
    fn custom_types_are_allowed_after_a_use_line() {
        let out = expand(quote!(use my::Json; docs (id) { id -> Integer, body -> Json, }));
        assert!(!out.to_string().contains("compile_error"), "{out}");
    }

    #[test]
    fn every_error_is_reported_at_once() {
        let out = error_of(quote!(users (uid) { id -> Intger, id -> Text, }));
        assert_eq!(out.matches("compile_error").count(), 3, "{out}");
    }

    /// Tokens `table!` expands to for a table of `columns` columns.
    fn expansion_size(columns: usize) -> usize {
        let cols: Vec<TokenStream> = (0..columns)
            .map(|i| {
                let name = quote::format_ident!("c{i}");
                quote!(#name -> Nullable<Text>,)
            })
            .collect();
        let out = expand(quote!(t (c0) { #(#cols)* }));
        assert!(!out.to_string().contains("compile_error"), "{out}");
        fn count(ts: TokenStream) -> usize {
            ts.into_iter()
                .map(|t| match t {
                    proc_macro2::TokenTree::Group(g) => 1 + count(g.stream()),
                    _ => 1,
                })
                .sum()
        }
        count(out)
    }

    #[test]
    fn expansion_grows_linearly_with_the_column_count() {
        // A fixed part per table plus the same amount per column: doubling the columns must not more than
        // double the code, and each added column costs the same whether the table has 16 or 128.
        let sizes: Vec<usize> = [16, 32, 64, 128].into_iter().map(expansion_size).collect();
        for w in sizes.windows(2) {
            assert!(w[1] <= 2 * w[0], "expansion more than doubled: {sizes:?}");
        }
        let per_column_small = (sizes[1] - sizes[0]) as f64 / 16.0;
        let per_column_large = (sizes[3] - sizes[2]) as f64 / 64.0;
        assert!(
            per_column_large <= per_column_small * 1.05,
            "a column costs {per_column_small} tokens at 16-32 columns but {per_column_large} at 64-128: {sizes:?}"
        );
    }
}
