//! The derives for a user's own value types: `SqlType` (a SQL type marker), `AsExpression` and
//! `FromSqlRow` (the plumbing around hand-written `ToSql`/`FromSql` impls, as in Diesel), `DbEnum` (a
//! Rust enum stored as text or as an integer) and `DbNewType` (a one-field tuple struct used wherever
//! its inner type is).
//!
//! These read their own input: an enum or a one-field struct, not the row structs `Model` describes.

use proc_macro2::TokenStream;
use quote::quote;
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, Ident, Type};

use super::Errors;

/// Parses the input and runs `generate`; any error becomes the output.
pub fn expand(input: TokenStream, generate: fn(&DeriveInput) -> syn::Result<TokenStream>) -> TokenStream {
    match syn::parse2::<DeriveInput>(input).and_then(|i| generate(&i)) {
        Ok(tokens) => tokens,
        Err(e) => e.to_compile_error(),
    }
}

fn no_generics(input: &DeriveInput, derive: &str) -> syn::Result<()> {
    match input.generics.params.first() {
        Some(p) => Err(syn::Error::new(
            p.span(),
            format!(
                "`#[derive({derive})]` takes a type without generic parameters\nhelp: derive it on a concrete type"
            ),
        )),
        None => Ok(()),
    }
}

/// The `sql_type = X` keys of `#[quarry(..)]` on the type, with `other` taking the derive's other keys;
/// an unknown key is an error ending with `allowed`.
fn sql_types(
    input: &DeriveInput,
    allowed: &str,
    mut other: impl FnMut(&syn::meta::ParseNestedMeta<'_>) -> syn::Result<bool>,
) -> syn::Result<Vec<Type>> {
    let mut types = Vec::new();
    let mut errors = Errors::default();
    for attr in input.attrs.iter().filter(|a| a.path().is_ident("quarry")) {
        errors.check(attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("sql_type") {
                types.push(resolve(meta.value()?.parse()?));
                Ok(())
            } else if other(&meta)? {
                Ok(())
            } else {
                Err(meta.error(format!("unknown attribute `{}`\nhelp: {allowed}", super::path_text(&meta.path))))
            }
        }));
    }
    errors.finish()?;
    Ok(types)
}

/// Quarry's own SQL types may be named bare (`Text`, `Integer`): they are Quarry's wherever the derive's
/// input stands. Any other type (a path, `Nullable<..>`) is the user's, as written.
fn resolve(ty: Type) -> Type {
    if let Type::Path(p) = &ty
        && p.qself.is_none()
        && let [segment] = p.path.segments.iter().collect::<Vec<_>>().as_slice()
        && crate::table::is_built_in(&segment.ident.to_string())
    {
        return syn::parse_quote!(::quarry::sql_types::#p);
    }
    ty
}

/// What lets a bound Rust value stand as an operand in any query, for `T` and `&T`: a value reads no
/// table, is never NULL by a join, is no aggregate, runs on every backend, is a constant for grouping,
/// and renders as one placeholder whatever its value (so the statement cache keys on its type). The
/// list is Quarry's own, for its value types too (`__value_operand!`).
fn operand_plumbing(ident: &Ident) -> TokenStream {
    quote!(::quarry::__private::__value_operand!('__quarry_ref; #ident, &'__quarry_ref #ident);)
}

/// `T` and `&T` as values of SQL type `st` and of `Nullable<st>`, each bound through `ToSql<st>`
/// (`__value_as!`, as Quarry's own value types).
fn bound_as(ident: &Ident, st: &Type) -> TokenStream {
    quote!(::quarry::__private::__value_as!('__quarry_ref; #ident => [#st]; &'__quarry_ref #ident => [#st];);)
}

/// `#[derive(SqlType)]` on a unit struct: a SQL type of one value that admits no NULL (`Nullable<T>`
/// adds it), for a column whose type Quarry lacks (a PostgreSQL enum type, say).
pub fn sql_type(input: &DeriveInput) -> syn::Result<TokenStream> {
    no_generics(input, "SqlType")?;
    if !matches!(&input.data, Data::Struct(s) if matches!(s.fields, Fields::Unit)) {
        return Err(syn::Error::new(
            input.ident.span(),
            "`#[derive(SqlType)]` declares a SQL type marker, which holds no value\nhelp: write a unit struct: `pub struct Mood;`",
        ));
    }
    if let Some(attr) = input.attrs.iter().find(|a| a.path().is_ident("quarry")) {
        return Err(syn::Error::new(attr.span(), "`#[derive(SqlType)]` takes no `#[quarry(..)]` attribute"));
    }
    let ident = &input.ident;
    Ok(quote! {
        impl ::quarry::sql_types::SqlType for #ident {
            type IsNull = ::quarry::sql_types::NotNull;
        }
        impl ::quarry::sql_types::SingleValue for #ident {}
        impl ::quarry::sql_types::NeverNull for #ident {}
        impl ::quarry::deserialize::RowType for #ident {
            type Names = ::quarry::deserialize::Unnamed;
        }
    })
}

/// `#[derive(AsExpression)]` with `#[quarry(sql_type = X)]` (one or more): the type is a value of each
/// `X` (and `Nullable<X>`) wherever a value may stand, through the user's `impl ToSql<X> for T`.
pub fn as_expression(input: &DeriveInput) -> syn::Result<TokenStream> {
    no_generics(input, "AsExpression")?;
    let types = sql_types(input, "`#[derive(AsExpression)]` takes `#[quarry(sql_type = Text)]`", |_| Ok(false))?;
    if types.is_empty() {
        return Err(syn::Error::new(
            input.ident.span(),
            "`#[derive(AsExpression)]` needs the SQL type the value is bound as\nhelp: add `#[quarry(sql_type = Text)]`, with an `impl quarry::serialize::ToSql<Text>` for the type",
        ));
    }
    let ident = &input.ident;
    let mut out = operand_plumbing(ident);
    for st in &types {
        out.extend(bound_as(ident, st));
    }
    Ok(quote!(const _: () = { #out };))
}

/// `#[derive(FromSqlRow)]`: the type reads as a one-column row through the user's `FromSql` impls.
pub fn from_sql_row(input: &DeriveInput) -> syn::Result<TokenStream> {
    no_generics(input, "FromSqlRow")?;
    // Diesel's spelling puts `sql_type` on the type for both derives: accepted, not needed here.
    sql_types(
        input,
        "`#[derive(FromSqlRow)]` takes `#[quarry(sql_type = Text)]` (Diesel's spelling; not needed)",
        |_| Ok(false),
    )?;
    let ident = &input.ident;
    Ok(quote!(impl ::quarry::deserialize::SingleField for #ident {}))
}

/// How a variant's name becomes its text: `rename_all = ".."`.
#[derive(Clone, Copy)]
enum Case {
    Snake,
    ScreamingSnake,
    Kebab,
    Lower,
    Upper,
    Camel,
    Pascal,
}

impl Case {
    const NAMES: &'static str = "\"snake_case\", \"SCREAMING_SNAKE_CASE\", \"kebab-case\", \"lowercase\", \"UPPERCASE\", \"camelCase\", \"PascalCase\"";

    fn parse(text: &str) -> Option<Case> {
        Some(match text {
            "snake_case" => Case::Snake,
            "SCREAMING_SNAKE_CASE" => Case::ScreamingSnake,
            "kebab-case" => Case::Kebab,
            "lowercase" => Case::Lower,
            "UPPERCASE" => Case::Upper,
            "camelCase" => Case::Camel,
            "PascalCase" => Case::Pascal,
            _ => return None,
        })
    }

    /// The words of a `PascalCase` variant name (`HTTPError` is `HTTP`, `Error`).
    fn words(name: &str) -> Vec<String> {
        let chars: Vec<char> = name.chars().collect();
        let mut words: Vec<String> = Vec::new();
        for (i, &c) in chars.iter().enumerate() {
            let starts = i == 0
                || c == '_'
                || chars[i - 1] == '_'
                || (c.is_uppercase()
                    && (chars[i - 1].is_lowercase()
                        || chars[i - 1].is_ascii_digit()
                        || chars.get(i + 1).is_some_and(|n| n.is_lowercase())));
            if c == '_' {
                continue;
            }
            if starts || words.is_empty() {
                words.push(String::new());
            }
            if let Some(w) = words.last_mut() {
                w.push(c);
            }
        }
        words
    }

    fn apply(self, name: &str) -> String {
        let words = Case::words(name);
        let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
        let capitalized = |w: &String| {
            let mut c = w.chars();
            c.next().map(|f| f.to_uppercase().chain(c).collect::<String>()).unwrap_or_default()
        };
        match self {
            Case::Snake => lower.join("_"),
            Case::ScreamingSnake => lower.join("_").to_uppercase(),
            Case::Kebab => lower.join("-"),
            Case::Lower => lower.concat(),
            Case::Upper => lower.concat().to_uppercase(),
            Case::Pascal => lower.iter().map(capitalized).collect(),
            Case::Camel => {
                let pascal: String = lower.iter().map(capitalized).collect();
                let mut c = pascal.chars();
                c.next().map(|f| f.to_lowercase().chain(c).collect()).unwrap_or_default()
            }
        }
    }
}

/// Is `st` one of the integer SQL types, and which bind value carries it?
fn integer_type(st: &Type) -> Option<(TokenStream, TokenStream)> {
    let Type::Path(p) = st else { return None };
    let last = p.path.segments.last()?;
    match last.ident.to_string().as_str() {
        "SmallInt" => Some((quote!(i16), quote!(I16))),
        "Integer" => Some((quote!(i32), quote!(I32))),
        "BigInt" => Some((quote!(i64), quote!(I64))),
        _ => None,
    }
}

/// `#[derive(DbEnum)]` on an enum of unit variants: each variant is one value of the column, as text
/// (`sql_type = Text`, the default, or a custom SQL type such as a PostgreSQL enum's) or as an integer
/// (`sql_type = SmallInt`/`Integer`/`BigInt`: the variant's discriminant).
pub fn db_enum(input: &DeriveInput) -> syn::Result<TokenStream> {
    no_generics(input, "DbEnum")?;
    let Data::Enum(data) = &input.data else {
        return Err(syn::Error::new(
            input.ident.span(),
            "`#[derive(DbEnum)]` maps the variants of an enum to column values\nhelp: for a struct with one field, `#[derive(DbNewType)]`",
        ));
    };
    let mut case = Case::Snake;
    let allowed = "`#[derive(DbEnum)]` takes `#[quarry(sql_type = Text)]` (or `Integer`, `SmallInt`, `BigInt`, a custom SQL type) and `#[quarry(rename_all = \"snake_case\")]`";
    let types = sql_types(input, allowed, |meta| {
        if !meta.path.is_ident("rename_all") {
            return Ok(false);
        }
        let text: syn::LitStr = meta.value()?.parse()?;
        case = Case::parse(&text.value()).ok_or_else(|| {
            syn::Error::new(text.span(), format!("unknown `rename_all` style\nhelp: one of {}", Case::NAMES))
        })?;
        Ok(true)
    })?;
    let st: Type = match types.as_slice() {
        [] => syn::parse_quote!(::quarry::sql_types::Text),
        [one] => one.clone(),
        [_, second, ..] => {
            return Err(syn::Error::new(second.span(), "`#[derive(DbEnum)]` stores the enum as one SQL type"));
        }
    };
    let ident = &input.ident;
    let integer = integer_type(&st);
    // Text, an integer, or a SQL type of the user's own (a PostgreSQL enum): Quarry's other types would
    // get the variants' names as text.
    if let Type::Path(p) = &st
        && let Some(last) = p.path.segments.last()
        && integer.is_none()
        && last.ident != "Text"
        && (crate::table::is_built_in(&last.ident.to_string()) || last.ident == "Nullable")
    {
        return Err(syn::Error::new(
            last.ident.span(),
            format!(
                "an enum is stored as text or as an integer, not as `{}`\nhelp: `sql_type = Text`, `Integer`, `SmallInt`, `BigInt`, or a SQL type of your own (`#[derive(SqlType)]`); a nullable column takes an `Option` of the enum",
                last.ident
            ),
        ));
    }
    let mut errors = Errors::default();
    if data.variants.is_empty() {
        errors.push(syn::Error::new(ident.span(), "`#[derive(DbEnum)]` needs at least one variant"));
    }
    let mut variants: Vec<(Ident, String)> = Vec::new();
    for v in &data.variants {
        if !matches!(v.fields, Fields::Unit) {
            errors.push(syn::Error::new(
                v.ident.span(),
                format!("variant `{}` holds data, and a column value is one of a fixed set\nhelp: `#[derive(DbEnum)]` takes unit variants only", v.ident),
            ));
            continue;
        }
        let mut text = case.apply(&v.ident.to_string());
        for attr in v.attrs.iter().filter(|a| a.path().is_ident("quarry")) {
            errors.check(attr.parse_nested_meta(|meta| {
                if !meta.path.is_ident("rename") {
                    return Err(meta.error("unknown variant attribute\nhelp: a variant takes `#[quarry(rename = \"..\")]`"));
                }
                let lit: syn::LitStr = meta.value()?.parse()?;
                if integer.is_some() {
                    return Err(syn::Error::new(
                        lit.span(),
                        "an enum stored as an integer writes each variant's discriminant, not a name\nhelp: set the number with `Variant = 3`",
                    ));
                }
                if lit.value().contains('\0') {
                    return Err(syn::Error::new(lit.span(), "a NUL byte in a variant's text, which PostgreSQL's text cannot hold"));
                }
                text = lit.value();
                Ok(())
            }));
        }
        if integer.is_none()
            && let Some((other, _)) = variants.iter().find(|(_, t)| *t == text)
        {
            errors.push(syn::Error::new(
                    v.ident.span(),
                    format!("variants `{other}` and `{}` are both written as \"{text}\"\nhelp: give one another name with `#[quarry(rename = \"..\")]`", v.ident),
                ));
        }
        variants.push((v.ident.clone(), text));
    }
    errors.finish()?;

    let names: Vec<&Ident> = variants.iter().map(|(v, _)| v).collect();
    let expected = variants.iter().map(|(_, t)| t.as_str()).collect::<Vec<_>>().join(", ");
    let (to_sql, from_sql) = match &integer {
        Some((rust, bind)) => (
            quote! {
                Ok(::quarry::serialize::BindValue::#bind(match self { #( #ident::#names => #ident::#names as #rust, )* }))
            },
            quote! {
                let value = ::quarry::deserialize::ValueRef::read_i64(&value)?;
                #( if value == #ident::#names as i64 { return Ok(#ident::#names); } )*
                Err(format!(
                    "{value} is not a value of `{}` (expected one of: {})",
                    stringify!(#ident),
                    [#( #ident::#names as i64 ),*].iter().map(|v| v.to_string()).collect::<Vec<_>>().join(", ")
                ).into())
            },
        ),
        None => {
            let texts: Vec<&String> = variants.iter().map(|(_, t)| t).collect();
            (
                quote! {
                    Ok(::quarry::serialize::BindValue::Str(match self { #( #ident::#names => #texts, )* }))
                },
                quote! {
                    match ::quarry::deserialize::ValueRef::read_str(&value)? {
                        #( #texts => Ok(#ident::#names), )*
                        other => Err(format!(
                            "{other:?} is not a value of `{}` (expected one of: {})",
                            stringify!(#ident),
                            #expected
                        ).into()),
                    }
                },
            )
        }
    };
    // Each discriminant must fit the column's integer type: checked when the crate compiles.
    let fits = integer.as_ref().map(|(rust, _)| {
        quote! {
            const _: () = { #( assert!(
                (#ident::#names as i128) >= #rust::MIN as i128 && (#ident::#names as i128) <= #rust::MAX as i128,
                "a discriminant of this DbEnum does not fit in its SQL integer type"
            ); )* };
        }
    });
    let plumbing = operand_plumbing(ident);
    let bound = bound_as(ident, &st);
    Ok(quote! {
        const _: () = {
            #fits
            impl ::quarry::serialize::ToSql<#st> for #ident {
                fn to_sql(&self) -> ::quarry::result::QueryResult<::quarry::serialize::BindValue<'_>> {
                    #to_sql
                }
            }
            impl<__DB: ::quarry::backend::Backend> ::quarry::deserialize::FromSql<#st, __DB> for #ident {
                fn from_sql(value: __DB::RawValue<'_>) -> ::quarry::deserialize::DeserializeResult<Self> {
                    #from_sql
                }
            }
            impl ::quarry::deserialize::SingleField for #ident {}
            #plumbing
            #bound
        };
    })
}

/// `#[derive(DbNewType)]` on `struct UserId(i32)`: the struct is written and read wherever its field's
/// type is (same SQL types), and nowhere else.
pub fn new_type(input: &DeriveInput) -> syn::Result<TokenStream> {
    no_generics(input, "DbNewType")?;
    let inner = match &input.data {
        Data::Struct(s) => match &s.fields {
            Fields::Unnamed(f) if f.unnamed.len() == 1 => f.unnamed.first().map(|f| &f.ty),
            _ => None,
        },
        _ => None,
    };
    let Some(inner) = inner else {
        return Err(syn::Error::new(
            input.ident.span(),
            "`#[derive(DbNewType)]` wraps one value\nhelp: write a tuple struct with one field: `struct UserId(i32);`",
        ));
    };
    if let Some(attr) = input.attrs.iter().find(|a| a.path().is_ident("quarry")) {
        return Err(syn::Error::new(
            attr.span(),
            "`#[derive(DbNewType)]` takes no `#[quarry(..)]` attribute: the field's type says the SQL types",
        ));
    }
    let ident = &input.ident;
    let plumbing = operand_plumbing(ident);
    Ok(quote! {
        const _: () = {
            impl<__ST> ::quarry::serialize::ToSql<__ST> for #ident where #inner: ::quarry::serialize::ToSql<__ST> {
                fn to_sql(&self) -> ::quarry::result::QueryResult<::quarry::serialize::BindValue<'_>> {
                    ::quarry::serialize::ToSql::<__ST>::to_sql(&self.0)
                }
            }
            #[diagnostic::do_not_recommend]
            impl<__ST> ::quarry::expression::AsExpression<__ST> for #ident where #inner: ::quarry::expression::AsExpression<__ST> {
                fn walk_operand(&self, out: &mut ::quarry::render::AstPass<'_>) -> ::quarry::result::QueryResult<()> {
                    ::quarry::expression::AsExpression::<__ST>::walk_operand(&self.0, out)
                }
            }
            #[diagnostic::do_not_recommend]
            impl<'__quarry_ref, __ST> ::quarry::expression::AsExpression<__ST> for &'__quarry_ref #ident where #inner: ::quarry::expression::AsExpression<__ST> {
                fn walk_operand(&self, out: &mut ::quarry::render::AstPass<'_>) -> ::quarry::result::QueryResult<()> {
                    ::quarry::expression::AsExpression::<__ST>::walk_operand(&self.0, out)
                }
            }
            impl<__ST, __DB: ::quarry::backend::Backend> ::quarry::deserialize::FromSql<__ST, __DB> for #ident where #inner: ::quarry::deserialize::FromSql<__ST, __DB> {
                fn from_sql(value: __DB::RawValue<'_>) -> ::quarry::deserialize::DeserializeResult<Self> {
                    <#inner as ::quarry::deserialize::FromSql<__ST, __DB>>::from_sql(value).map(#ident)
                }
                // A field that takes NULL (`struct MaybeId(Option<i32>)`) decides what NULL is.
                fn from_nullable_sql(value: ::std::option::Option<__DB::RawValue<'_>>) -> ::quarry::deserialize::DeserializeResult<Self> {
                    <#inner as ::quarry::deserialize::FromSql<__ST, __DB>>::from_nullable_sql(value).map(#ident)
                }
            }
            impl ::quarry::deserialize::SingleField for #ident {}
            #plumbing
        };
    })
}

#[cfg(test)]
mod tests {
    use super::Case;

    #[test]
    fn variant_names_are_cased_by_words() {
        assert_eq!(Case::Snake.apply("InProgress"), "in_progress");
        assert_eq!(Case::Snake.apply("HTTPError"), "http_error");
        assert_eq!(Case::Snake.apply("Level2Item"), "level2_item");
        assert_eq!(Case::ScreamingSnake.apply("InProgress"), "IN_PROGRESS");
        assert_eq!(Case::Kebab.apply("InProgress"), "in-progress");
        assert_eq!(Case::Lower.apply("InProgress"), "inprogress");
        assert_eq!(Case::Upper.apply("InProgress"), "INPROGRESS");
        assert_eq!(Case::Camel.apply("InProgress"), "inProgress");
        assert_eq!(Case::Pascal.apply("in_progress"), "InProgress");
        assert_eq!(Case::Snake.apply("A"), "a");
    }
}
