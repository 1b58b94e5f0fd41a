//! The grammar of `table!`, as the macro expands it and the CLI compares it with a live database: one
//! parser, so both read a schema file alike. `joinable!(child -> parent (column))` is read here for the
//! CLI; the macro is a `macro_rules!` matching the same tokens.
//!
//! ```text
//! table! {
//!     use some::CustomType;            // optional `use` lines: types of the database's own
//!     /// docs
//!     #[sql_name = "Users"]            // optional: the SQL name where the Rust name differs
//!     schema.users (id) {              // optional schema; optional primary key (default `id`)
//!         id -> Integer,
//!         #[sql_name = "e-mail"]
//!         email -> Nullable<Text>,
//!     }
//!     ...more tables
//! }
//! joinable!(posts -> users (user_id));
//! ```

use proc_macro2::Span;
use quote::quote;
use syn::ext::IdentExt;
use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{Attribute, Ident, LitStr, Token, Type, braced, parenthesized};

/// Everything one `table!` invocation declares.
pub struct Schema {
    /// The `use` lines before the tables (types of the database's own).
    pub uses: Vec<syn::ItemUse>,
    /// The tables, at least one.
    pub tables: Vec<TableDecl>,
}

/// One table of a `table!`.
pub struct TableDecl {
    /// Its doc comments.
    pub docs: Vec<Attribute>,
    /// `#[sql_name = ".."]`, where the SQL name differs from the Rust one.
    pub sql_name: Option<LitStr>,
    /// The schema in `schema.table` (PostgreSQL's schema, SQLite's attached database).
    pub schema: Option<Ident>,
    /// Its Rust name (the module's).
    pub name: Ident,
    /// The primary key's columns as written; `None` when left out (then `id`).
    pub primary_key: Option<Vec<Ident>>,
    /// Its columns, in order.
    pub columns: Vec<ColumnDecl>,
}

/// One column of a table.
pub struct ColumnDecl {
    /// Its doc comments.
    pub docs: Vec<Attribute>,
    /// `#[sql_name = ".."]`, where the SQL name differs from the Rust one.
    pub sql_name: Option<LitStr>,
    /// Its Rust name.
    pub name: Ident,
    /// Its SQL type as written (`Nullable<Text>`).
    pub sql_type: Type,
}

/// `joinable!(child -> parent (column))`.
pub struct JoinableDecl {
    /// The table holding the foreign key.
    pub child: Ident,
    /// The table it references.
    pub parent: Ident,
    /// The foreign key's column of `child`.
    pub column: Ident,
}

/// An identifier's name without `r#`.
pub fn unraw(ident: &Ident) -> String {
    ident.unraw().to_string()
}

impl TableDecl {
    /// The table's name in SQL: `#[sql_name]`, else its Rust name.
    pub fn sql_name(&self) -> String {
        self.sql_name.as_ref().map_or_else(|| unraw(&self.name), LitStr::value)
    }

    /// The primary key's columns: as written, or `id` when left out.
    pub fn key_columns(&self) -> Vec<String> {
        match &self.primary_key {
            Some(keys) => keys.iter().map(unraw).collect(),
            None => vec!["id".to_owned()],
        }
    }
}

impl ColumnDecl {
    /// The column's name in SQL: `#[sql_name]`, else its Rust name.
    pub fn sql_name(&self) -> String {
        self.sql_name.as_ref().map_or_else(|| unraw(&self.name), LitStr::value)
    }
}

/// Splits attributes into doc comments and `#[sql_name = "..."]`; anything else is an error.
fn split_attrs(attrs: Vec<Attribute>) -> syn::Result<(Vec<Attribute>, Option<LitStr>)> {
    let mut docs = Vec::new();
    let mut sql_name = None;
    for attr in attrs {
        if attr.path().is_ident("doc") {
            docs.push(attr);
        } else if attr.path().is_ident("sql_name") {
            let value = &attr.meta.require_name_value()?.value;
            match value {
                syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) => sql_name = Some(s.clone()),
                other => {
                    return Err(syn::Error::new_spanned(
                        other,
                        "`sql_name` takes a string\nhelp: write `#[sql_name = \"the_sql_name\"]`",
                    ));
                }
            }
        } else {
            return Err(syn::Error::new_spanned(
                &attr,
                "unknown attribute in `table!`\nhelp: only doc comments and `#[sql_name = \"...\"]` are accepted",
            ));
        }
    }
    Ok((docs, sql_name))
}

impl Parse for Schema {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let mut uses = Vec::new();
        while input.peek(Token![use]) {
            uses.push(input.parse()?);
        }
        let mut tables = Vec::new();
        while !input.is_empty() {
            tables.push(input.parse()?);
        }
        if tables.is_empty() {
            return Err(syn::Error::new(
                Span::call_site(),
                "`table!` declares no table\nhelp: write `table! { users (id) { id -> Integer, name -> Text, } }`",
            ));
        }
        Ok(Schema { uses, tables })
    }
}

impl Parse for TableDecl {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let (docs, sql_name) = split_attrs(input.call(Attribute::parse_outer)?)?;
        let first: Ident = input.call(Ident::parse_any)?;
        let (schema, name) = if input.peek(Token![.]) {
            input.parse::<Token![.]>()?;
            (Some(first), input.parse::<Ident>()?)
        } else {
            (None, syn::parse2(quote!(#first))?)
        };
        let primary_key = if input.peek(syn::token::Paren) {
            let content;
            parenthesized!(content in input);
            let keys = Punctuated::<Ident, Token![,]>::parse_terminated(&content)?;
            if keys.is_empty() {
                return Err(syn::Error::new(
                    name.span(),
                    format!(
                        "table `{name}` has an empty primary key\nhelp: name its key column(s): `{name} (id) {{ ... }}`"
                    ),
                ));
            }
            Some(keys.into_iter().collect())
        } else {
            None
        };
        if !input.peek(syn::token::Brace) {
            return Err(input.error(format!(
                "expected the columns of `{name}` in braces\nhelp: write `{name} (id) {{ id -> Integer, }}`"
            )));
        }
        let content;
        braced!(content in input);
        let columns = Punctuated::<ColumnDecl, Token![,]>::parse_terminated(&content)?;
        Ok(TableDecl { docs, sql_name, schema, name, primary_key, columns: columns.into_iter().collect() })
    }
}

impl Parse for ColumnDecl {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let (docs, sql_name) = split_attrs(input.call(Attribute::parse_outer)?)?;
        let name: Ident = input.call(Ident::parse_any)?;
        if !input.peek(Token![->]) {
            return Err(input.error(format!(
                "expected `->` and a SQL type after column `{name}`\nhelp: write `{name} -> Integer`"
            )));
        }
        input.parse::<Token![->]>()?;
        let sql_type = input.parse()?;
        Ok(ColumnDecl { docs, sql_name, name, sql_type })
    }
}

impl Parse for JoinableDecl {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let child = input.parse()?;
        input.parse::<Token![->]>()?;
        let parent = input.parse()?;
        let content;
        parenthesized!(content in input);
        let column = content.parse()?;
        Ok(JoinableDecl { child, parent, column })
    }
}

/// The last path segment's name of a SQL type, and its first type argument (`Nullable<T>`'s `T`).
pub fn type_name(ty: &Type) -> Option<(String, Option<&Type>)> {
    let Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    let inner = match &last.arguments {
        syn::PathArguments::AngleBracketed(args) => args.args.iter().find_map(|a| match a {
            syn::GenericArgument::Type(t) => Some(t),
            _ => None,
        }),
        _ => None,
    };
    Some((last.ident.to_string(), inner))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_keys_and_attributes_are_read_as_written() {
        let schema: Schema = syn::parse_str(
            r#"use a::Mood;
            /// People.
            #[sql_name = "People"]
            app.people (r#type, id) { id -> Integer, #[sql_name = "e-mail"] email -> Nullable<Text>, r#type -> Mood, }
            posts { id -> Integer, }"#,
        )
        .unwrap();
        assert_eq!(schema.uses.len(), 1);
        let people = &schema.tables[0];
        assert_eq!(
            (people.sql_name(), people.schema.as_ref().map(unraw)),
            ("People".to_owned(), Some("app".to_owned()))
        );
        assert_eq!(people.key_columns(), ["type", "id"]);
        let names: Vec<String> = people.columns.iter().map(ColumnDecl::sql_name).collect();
        assert_eq!(names, ["id", "e-mail", "type"]);
        assert_eq!(type_name(&people.columns[1].sql_type).map(|t| t.0), Some("Nullable".to_owned()));
        assert_eq!(schema.tables[1].key_columns(), ["id"]);
        let join: JoinableDecl = syn::parse_str("posts -> users (user_id)").unwrap();
        assert_eq!([unraw(&join.child), unraw(&join.parent), unraw(&join.column)], ["posts", "users", "user_id"]);
        for bad in ["", "users (id) { id Integer }", "users () { id -> Integer }", "#[primary] users { id -> Integer }"]
        {
            assert!(syn::parse_str::<Schema>(bad).is_err(), "{bad}");
        }
    }
}
