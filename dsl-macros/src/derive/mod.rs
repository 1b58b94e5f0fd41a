//! The derives: `#[quarry(...)]` attribute parsing into a model shared by all of them.

pub mod associations;
pub mod by_name;
pub mod changeset;
pub mod identifiable;
pub mod insertable;
pub mod queryable;
pub mod selectable;
pub mod value;

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, Ident, Member, Path, Token, Type};

/// Parses the derive's input into a [`Model`] and runs `generate` on it; any error becomes the output.
pub fn expand(input: TokenStream, generate: fn(&Model) -> syn::Result<TokenStream>) -> TokenStream {
    match Model::parse(input).and_then(|m| generate(&m)) {
        Ok(tokens) => tokens,
        Err(e) => e.to_compile_error(),
    }
}

/// Attribute keys, as users write them.
mod kw {
    pub const TABLE_NAME: &str = "table_name";
    pub const PRIMARY_KEY: &str = "primary_key";
    pub const BELONGS_TO: &str = "belongs_to";
    pub const TREAT_NONE_AS_NULL: &str = "treat_none_as_null";
    pub const TREAT_NONE_AS_DEFAULT_VALUE: &str = "treat_none_as_default_value";
    pub const CHECK_FOR_BACKEND: &str = "check_for_backend";
    pub const COLUMN_NAME: &str = "column_name";
    pub const SQL_TYPE: &str = "sql_type";
    pub const EMBED: &str = "embed";
    pub const SELECT_EXPRESSION: &str = "select_expression";
    pub const SELECT_EXPRESSION_TYPE: &str = "select_expression_type";
}

const STRUCT_KEYS_HELP: &str = "help: struct attributes are `table_name = path`, `primary_key(a, b)`, `belongs_to(Parent)`, `belongs_to(Parent, foreign_key = col)`, `treat_none_as_null = true`, `treat_none_as_default_value = false` and `check_for_backend(quarry::pg::Pg)`";
const FIELD_KEYS_HELP: &str = "help: field attributes are `column_name = col`, `sql_type = Type`, `embed`, `select_expression = expr` and `select_expression_type = Type`";

/// One `belongs_to(Parent, foreign_key = col)`.
pub struct BelongsTo {
    pub parent: Path,
    pub foreign_key: Option<Ident>,
}

/// A struct with `#[quarry(...)]` attributes, as the derives see it.
pub struct Model {
    pub ident: Ident,
    pub generics: syn::Generics,
    pub table_name: Option<Path>,
    pub primary_key: Option<Vec<Ident>>,
    pub belongs_to: Vec<BelongsTo>,
    pub treat_none_as_null: bool,
    /// `check_for_backend(quarry::pg::Pg, ..)`: the backends `Selectable` checks each field against.
    pub check_for_backend: Vec<Path>,
    pub fields: Vec<Field>,
    /// The struct has `#[diesel(..)]` attributes (Diesel's spelling, which Quarry's derives do not read).
    pub diesel_attributes: bool,
}

/// A field of the struct.
pub struct Field {
    pub member: Member,
    pub ty: Type,
    pub column_name: Option<Ident>,
    pub sql_type: Option<Type>,
    /// `#[quarry(embed)]`: a `Selectable` struct of its own, read in place (`Selectable` only).
    pub embed: bool,
    /// `#[quarry(select_expression = ..)]`: a computed field (`Selectable` only).
    pub select_expression: Option<syn::Expr>,
    /// `#[quarry(select_expression_type = ..)]`: its type, when it cannot be read from the expression.
    pub select_expression_type: Option<Type>,
    pub span: Span,
}

impl Field {
    /// The column this field maps to: `column_name = ..` or the field's own name.
    pub fn column(&self) -> syn::Result<Ident> {
        if let Some(c) = &self.column_name {
            return Ok(c.clone());
        }
        match &self.member {
            Member::Named(ident) => Ok(ident.clone()),
            Member::Unnamed(_) => Err(syn::Error::new(
                self.span,
                "a tuple struct field has no name to find its column by\nhelp: add `#[quarry(column_name = the_column)]` to the field",
            )),
        }
    }
}

impl Model {
    pub fn parse(input: TokenStream) -> syn::Result<Self> {
        let input: DeriveInput = syn::parse2(input)?;
        let fields = match &input.data {
            Data::Struct(s) => match &s.fields {
                Fields::Named(f) => f.named.iter().collect::<Vec<_>>(),
                Fields::Unnamed(f) => f.unnamed.iter().collect(),
                Fields::Unit => Vec::new(),
            },
            _ => {
                return Err(syn::Error::new(
                    input.ident.span(),
                    "Quarry's derives work on structs only\nhelp: map each row to a struct with one field per column",
                ));
            }
        };
        let mut model = Model {
            ident: input.ident.clone(),
            generics: input.generics.clone(),
            table_name: None,
            primary_key: None,
            belongs_to: Vec::new(),
            treat_none_as_null: false,
            check_for_backend: Vec::new(),
            fields: Vec::new(),
            diesel_attributes: input.attrs.iter().any(|a| a.path().is_ident("diesel")),
        };
        let mut errors = Errors::default();
        for attr in input.attrs.iter().filter(|a| a.path().is_ident("quarry")) {
            errors.check(attr.parse_nested_meta(|meta| model.struct_key(meta)));
        }
        for (i, f) in fields.into_iter().enumerate() {
            let member = match &f.ident {
                Some(ident) => Member::Named(ident.clone()),
                None => Member::Unnamed(syn::Index::from(i)),
            };
            let mut field = Field {
                member,
                ty: f.ty.clone(),
                column_name: None,
                sql_type: None,
                embed: false,
                select_expression: None,
                select_expression_type: None,
                span: f.span(),
            };
            for attr in f.attrs.iter().filter(|a| a.path().is_ident("quarry")) {
                errors.check(attr.parse_nested_meta(|meta| {
                    if meta.path.is_ident(kw::COLUMN_NAME) {
                        field.column_name = Some(meta.value()?.call(syn::ext::IdentExt::parse_any)?);
                    } else if meta.path.is_ident(kw::SQL_TYPE) {
                        field.sql_type = Some(meta.value()?.parse()?);
                    } else if meta.path.is_ident(kw::EMBED) {
                        field.embed = true;
                    } else if meta.path.is_ident(kw::SELECT_EXPRESSION) {
                        field.select_expression = Some(meta.value()?.parse()?);
                    } else if meta.path.is_ident(kw::SELECT_EXPRESSION_TYPE) {
                        field.select_expression_type = Some(meta.value()?.parse()?);
                    } else {
                        return Err(meta
                            .error(format!("unknown field attribute `{}`\n{FIELD_KEYS_HELP}", path_text(&meta.path))));
                    }
                    Ok(())
                }));
            }
            model.fields.push(field);
        }
        errors.finish()?;
        Ok(model)
    }

    fn struct_key(&mut self, meta: syn::meta::ParseNestedMeta<'_>) -> syn::Result<()> {
        if meta.path.is_ident(kw::TABLE_NAME) {
            self.table_name = Some(meta.value()?.parse()?);
        } else if meta.path.is_ident(kw::PRIMARY_KEY) {
            let content;
            syn::parenthesized!(content in meta.input);
            let keys = content.parse_terminated(syn::ext::IdentExt::parse_any, Token![,])?;
            self.primary_key = Some(keys.into_iter().collect());
        } else if meta.path.is_ident(kw::BELONGS_TO) {
            let content;
            syn::parenthesized!(content in meta.input);
            let parent: Path = content.parse()?;
            let mut foreign_key = None;
            if content.parse::<Option<Token![,]>>()?.is_some() && !content.is_empty() {
                let key: Ident = content.parse()?;
                if key != "foreign_key" {
                    return Err(syn::Error::new(
                        key.span(),
                        "expected `foreign_key = column`\nhelp: write `belongs_to(Parent, foreign_key = parent_id)`",
                    ));
                }
                content.parse::<Token![=]>()?;
                foreign_key = Some(content.call(syn::ext::IdentExt::parse_any)?);
            }
            self.belongs_to.push(BelongsTo { parent, foreign_key });
        } else if meta.path.is_ident(kw::TREAT_NONE_AS_NULL) {
            let value: syn::LitBool = meta.value()?.parse()?;
            self.treat_none_as_null = value.value;
        } else if meta.path.is_ident(kw::CHECK_FOR_BACKEND) {
            let content;
            syn::parenthesized!(content in meta.input);
            let backends = content.parse_terminated(<Path as syn::parse::Parse>::parse, Token![,])?;
            self.check_for_backend.extend(backends);
        } else if meta.path.is_ident(kw::TREAT_NONE_AS_DEFAULT_VALUE) {
            // Diesel's attribute: `false` is what Quarry's inserts (and `copy_from`) always do.
            let value: syn::LitBool = meta.value()?.parse()?;
            if value.value {
                return Err(syn::Error::new(
                    value.span(),
                    "Quarry writes NULL for `None` in a nullable column (`treat_none_as_default_value = false`); in a NOT NULL column `None` already leaves it to its default\nhelp: to let a nullable column take its default, insert a struct or tuple without that column",
                ));
            }
        } else if meta.path.is_ident(kw::COLUMN_NAME) || meta.path.is_ident(kw::SQL_TYPE) {
            return Err(meta.error(format!(
                "`{}` belongs on a field, not on the struct\n{STRUCT_KEYS_HELP}",
                path_text(&meta.path)
            )));
        } else {
            return Err(meta.error(format!("unknown struct attribute `{}`\n{STRUCT_KEYS_HELP}", path_text(&meta.path))));
        }
        Ok(())
    }

    /// The table's path, or an error saying how to name it.
    pub fn table(&self, derive: &str) -> syn::Result<&Path> {
        self.table_name.as_ref().ok_or_else(|| {
            syn::Error::new(
                self.ident.span(),
                format!(
                    "`#[derive({derive})]` needs the table `{}` maps to\nhelp: add `#[quarry(table_name = your_table)]` above the struct{}",
                    self.ident,
                    if self.diesel_attributes {
                        " (Quarry's derives read `#[quarry(..)]`, with the keys Diesel's `#[diesel(..)]` takes)"
                    } else {
                        ""
                    }
                ),
            )
        })
    }

    /// The primary key's columns: `primary_key(..)` or `id`.
    pub fn primary_key(&self) -> Vec<Ident> {
        self.primary_key.clone().unwrap_or_else(|| vec![Ident::new("id", Span::call_site())])
    }

    /// The field mapped to column `column`.
    pub fn field_for_column(&self, column: &Ident) -> Option<&Field> {
        self.fields.iter().find(|f| f.column().ok().as_ref() == Some(column))
    }
}

fn path_text(path: &Path) -> String {
    quote!(#path).to_string().replace(' ', "")
}

/// Collects errors so that one compile reports every mistake.
#[derive(Default)]
pub struct Errors(Option<syn::Error>);

impl Errors {
    pub fn push(&mut self, e: syn::Error) {
        match &mut self.0 {
            Some(all) => all.combine(e),
            None => self.0 = Some(e),
        }
    }
    pub fn check<T>(&mut self, r: syn::Result<T>) -> Option<T> {
        r.map_err(|e| self.push(e)).ok()
    }
    pub fn finish(self) -> syn::Result<()> {
        self.0.map_or(Ok(()), Err)
    }
}

/// The column path `table::columns::col` of a field, spanned on the field for errors.
pub fn column_path(table: &Path, field: &Field) -> syn::Result<TokenStream> {
    let column = field.column()?;
    let column = Ident::new(&column.to_string(), field.span);
    Ok(quote::quote_spanned!(field.span=> #table::columns::#column))
}

/// Is this type written `Option<..>`?
pub fn is_option(ty: &Type) -> bool {
    matches!(ty, Type::Path(p) if p.qself.is_none() && p.path.segments.last().is_some_and(|s| s.ident == "Option"))
}

/// The fields' expressions reading them from a row: `field: <Ty as FromSqlRow<ST, DB>>::build_from_row(row)?`.
pub fn build_struct(model: &Model, sql_types: &[TokenStream], db: &TokenStream) -> TokenStream {
    let inits = model.fields.iter().zip(sql_types).map(|(f, st)| {
        let member = &f.member;
        let ty = &f.ty;
        quote!(#member: <#ty as ::quarry::deserialize::FromSqlRow<#st, #db>>::build_from_row(__row)?)
    });
    quote!(Self { #(#inits,)* })
}

/// Each field's column count, for `FromSqlRow::FIELD_COUNT`.
pub fn field_counts(model: &Model, sql_types: &[TokenStream], db: &TokenStream) -> Vec<TokenStream> {
    model
        .fields
        .iter()
        .zip(sql_types)
        .map(|(f, st)| {
            let ty = &f.ty;
            quote!(<#ty as ::quarry::deserialize::FromSqlRow<#st, #db>>::FIELD_COUNT)
        })
        .collect()
}

/// A fresh identifier for generated generic parameters, unlikely to clash with the user's.
pub fn hidden(name: &str) -> Ident {
    format_ident!("__quarry_{}", name)
}
