//! `#[quarry::auto_type]`: writes the return type of a function that builds a query, from the
//! function's last expression (Diesel 2.2's `#[dsl::auto_type]`).
//!
//! Each DSL call names its type in `quarry::dsl` after the call (`recv.filter(p)` is
//! `dsl::Filter<Recv, P>`, `recv.eq(v)` is `dsl::Eq<Recv, V>`, `count(e)` is `dsl::count<E>`), so the
//! type is read off the expression: paths are their own types (`users::table`, `users::name`),
//! literals have Rust's default types (`1` is `i32`, `"a"` is `&'static str`), and a variable has the
//! type its parameter or `let` names (or the type of its `let`'s value). What cannot be read this way (a
//! `match`, a closure, a function Quarry does not know) is one error asking for a `let` with a type.
//! `#[auto_type(type_alias)]` also declares the type under the function's name, so that a call of it
//! without arguments in another `auto_type` function has a type too.

use std::collections::HashMap;

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote};
use syn::spanned::Spanned;
use syn::{Expr, FnArg, ItemFn, Lit, Pat, ReturnType, Stmt, Type};

/// The methods `auto_type` knows: their type's name in `quarry::dsl`, and how many of their arguments
/// that type takes (`limit(n)`'s type does not depend on `n`).
const METHODS: &[(&str, &str, usize)] = &[
    ("select", "Select", 1),
    ("filter", "Filter", 1),
    ("or_filter", "OrFilter", 1),
    ("find", "Find", 1),
    ("order", "Order", 1),
    ("order_by", "OrderBy", 1),
    ("then_order_by", "ThenOrderBy", 1),
    ("limit", "Limit", 0),
    ("offset", "Offset", 0),
    ("group_by", "GroupBy", 1),
    ("having", "Having", 1),
    ("inner_join", "InnerJoin", 1),
    ("left_join", "LeftJoin", 1),
    ("left_outer_join", "LeftJoin", 1),
    ("on", "On", 1),
    ("count", "CountRows", 0),
    ("for_update", "ForUpdate", 0),
    ("single_value", "SingleValue", 0),
    ("eq", "Eq", 1),
    ("ne", "NotEq", 1),
    ("gt", "Gt", 1),
    ("ge", "GtEq", 1),
    ("lt", "Lt", 1),
    ("le", "LtEq", 1),
    ("like", "Like", 1),
    ("not_like", "NotLike", 1),
    ("ilike", "ILike", 1),
    ("not_ilike", "NotILike", 1),
    ("concat", "Concat", 1),
    ("eq_any", "EqAny", 1),
    ("ne_all", "NeAll", 1),
    ("between", "Between", 2),
    ("is_null", "IsNull", 0),
    ("is_not_null", "IsNotNull", 0),
    ("asc", "Asc", 0),
    ("desc", "Desc", 0),
    ("and", "And", 1),
    ("or", "Or", 1),
    ("nullable", "Nullable", 0),
    ("assume_not_null", "AssumeNotNull", 0),
];

/// The methods whose arguments are values of the receiver's SQL type.
const COMPARISONS: &[&str] = &["eq", "ne", "gt", "ge", "lt", "le", "between"];

/// The free functions `auto_type` knows; their types carry the functions' names.
const FUNCTIONS: &[&str] = &["count_star", "count", "count_distinct", "sum", "avg", "min", "max", "exists", "not"];

pub fn expand(attr: TokenStream, item: TokenStream) -> TokenStream {
    match expand_fn(attr, item) {
        Ok(tokens) => tokens,
        Err(e) => e.to_compile_error(),
    }
}

fn expand_fn(attr: TokenStream, item: TokenStream) -> syn::Result<TokenStream> {
    let type_alias = match syn::parse2::<Option<syn::Ident>>(attr.clone()) {
        Ok(None) => false,
        Ok(Some(ident)) if ident == "type_alias" => true,
        _ => return Err(syn::Error::new(attr.span(), "`auto_type` takes no argument but `type_alias`")),
    };
    let mut function: ItemFn = syn::parse2(item)?;
    let arrow = match &function.sig.output {
        ReturnType::Type(arrow, ty) if matches!(**ty, Type::Infer(_)) => *arrow,
        output => {
            return Err(syn::Error::new(
                if matches!(output, ReturnType::Default) { function.sig.ident.span() } else { output.span() },
                "`auto_type` writes the return type in place of `-> _`: declare the function `-> _`",
            ));
        }
    };
    let mut types = Types::default();
    for input in &function.sig.inputs {
        if let FnArg::Typed(arg) = input
            && let Pat::Ident(name) = &*arg.pat
        {
            types.known.insert(name.ident.to_string(), (*arg.ty).clone());
        }
    }
    let Some((last, rest)) = function.block.stmts.split_last() else {
        return Err(syn::Error::new(function.block.span(), "`auto_type` needs the function to end with the query"));
    };
    for stmt in rest {
        if let Stmt::Local(local) = stmt {
            types.bind(local)?;
        }
    }
    let tail = match last {
        Stmt::Expr(expr, None) => expr,
        other => {
            return Err(syn::Error::new(
                other.span(),
                "`auto_type` reads the type of the function's last expression: end the function with the query, without `;` or `return`",
            ));
        }
    };
    let ty = types.infer(tail)?;
    function.sig.output = ReturnType::Type(arrow, Box::new(syn::parse2(ty.clone())?));
    if !type_alias {
        return Ok(function.into_token_stream());
    }
    // `type_alias`: the type also under the function's name, for other `auto_type` functions that call
    // this one (`filter(is_red())` is a `Filter<_, is_red>`) and for struct fields.
    if !function.sig.generics.params.is_empty() {
        return Err(syn::Error::new(
            function.sig.generics.span(),
            "`auto_type(type_alias)` names the type of a function without generic parameters",
        ));
    }
    if let Some(borrowed) = function.sig.inputs.iter().find(|input| {
        input
            .to_token_stream()
            .into_iter()
            .any(|t| matches!(&t, proc_macro2::TokenTree::Punct(p) if p.as_char() == '&' || p.as_char() == '\''))
    }) {
        return Err(syn::Error::new(
            borrowed.span(),
            "`auto_type(type_alias)` cannot name a type that borrows a parameter: take it by value (`String`), or leave out `type_alias`",
        ));
    }
    let (vis, name) = (&function.vis, &function.sig.ident);
    Ok(quote! {
        #[allow(non_camel_case_types)]
        #vis type #name = #ty;
        #function
    })
}

/// The types of the variables in scope: parameters and `let`s.
/// The type of an expression written with the DSL, as `auto_type` reads it (for `Selectable`'s
/// `select_expression` without `select_expression_type`).
pub fn infer_expression_type(expr: &Expr) -> syn::Result<TokenStream> {
    Types::default().infer(expr)
}

#[derive(Default)]
struct Types {
    known: HashMap<String, Type>,
    /// `let`s whose type could not be read: the error, reported where the variable is used.
    unreadable: HashMap<String, syn::Error>,
    /// `let`s of an unsuffixed number literal, typed (as rustc types them) by where they are used.
    numbers: HashMap<String, syn::Ident>,
}

impl Types {
    fn bind(&mut self, local: &syn::Local) -> syn::Result<()> {
        let (name, ty) = match &local.pat {
            Pat::Type(typed) => (&*typed.pat, Some((*typed.ty).clone())),
            pat => (pat, None),
        };
        let Pat::Ident(name) = name else { return Ok(()) };
        if let (None, Some(init)) = (&ty, &local.init)
            && let Some(kind) = self.number_literal(&init.expr)
        {
            self.numbers.insert(name.ident.to_string(), kind);
        }
        let ty = match (ty, &local.init) {
            (Some(ty), _) => ty,
            (None, Some(init)) => match self.infer(&init.expr) {
                Ok(tokens) => syn::parse2(tokens)?,
                // A `let` the last expression does not use may be anything; one it uses is reported there.
                Err(e) => {
                    self.unreadable.insert(name.ident.to_string(), e);
                    return Ok(());
                }
            },
            (None, None) => return Ok(()),
        };
        self.known.insert(name.ident.to_string(), ty);
        Ok(())
    }

    /// `Int` or `Float` for an unsuffixed number literal (negated or not), or a `let` of one, whose type
    /// rustc infers from where it is used.
    fn number_literal(&self, expr: &Expr) -> Option<syn::Ident> {
        match expr {
            Expr::Unary(e) if matches!(e.op, syn::UnOp::Neg(_)) => self.number_literal(&e.expr),
            Expr::Paren(e) => self.number_literal(&e.expr),
            Expr::Lit(e) => match &e.lit {
                Lit::Int(i) if i.suffix().is_empty() => Some(syn::Ident::new("Int", i.span())),
                Lit::Float(f) if f.suffix().is_empty() => Some(syn::Ident::new("Float", f.span())),
                _ => None,
            },
            Expr::Path(e) => e.path.get_ident().and_then(|i| self.numbers.get(&i.to_string())).cloned(),
            _ => None,
        }
    }

    fn infer(&self, expr: &Expr) -> syn::Result<TokenStream> {
        match expr {
            Expr::Paren(e) => self.infer(&e.expr),
            Expr::Group(e) => self.infer(&e.expr),
            Expr::Path(e) if e.qself.is_none() => {
                if let Some(ident) = e.path.get_ident() {
                    if let Some(ty) = self.known.get(&ident.to_string()) {
                        return Ok(ty.to_token_stream());
                    }
                    if let Some(error) = self.unreadable.get(&ident.to_string()) {
                        return Err(error.clone());
                    }
                }
                // Not a variable in scope: a path to a unit struct, which is its own type (`users::table`,
                // `users::name`, an imported `now`).
                Ok(e.path.to_token_stream())
            }
            Expr::Lit(e) => literal(&e.lit),
            Expr::Unary(e) if matches!(e.op, syn::UnOp::Neg(_)) => self.infer(&e.expr),
            Expr::Reference(e) => {
                let inner = self.infer(&e.expr)?;
                Ok(if e.mutability.is_some() { quote!(&mut #inner) } else { quote!(&#inner) })
            }
            Expr::Tuple(e) => {
                let parts = e.elems.iter().map(|e| self.infer(e)).collect::<syn::Result<Vec<_>>>()?;
                Ok(if parts.len() == 1 { quote!((#(#parts,)*)) } else { quote!((#(#parts),*)) })
            }
            Expr::MethodCall(call) => {
                let name = call.method.to_string();
                let Some(&(_, alias, used)) = METHODS.iter().find(|m| m.0 == name) else {
                    return Err(unknown(&call.method, &format!("`.{name}(..)`, a method it has no type name for")));
                };
                if call.turbofish.is_some() {
                    return Err(unknown(&call.method, "a method called with explicit type arguments"));
                }
                let receiver = self.infer(&call.receiver)?;
                let args = call
                    .args
                    .iter()
                    .take(used)
                    .map(|a| match self.number_literal(a) {
                        // rustc types such a literal by the receiver's SQL type (`1` beside a `BigInt` is an
                        // `i64`): so does the written type.
                        Some(kind) if COMPARISONS.contains(&name.as_str()) => Ok(quote! {
                            <<#receiver as ::quarry::expression::Expression>::SqlType as ::quarry::expression::LiteralTypes>::#kind
                        }),
                        // `find(1)`: the primary key's SQL type decides.
                        Some(kind) if name == "find" => Ok(quote! {
                            <<<<#receiver as ::quarry::query::QueryDsl>::From as ::quarry::schema::Table>::PrimaryKey
                                as ::quarry::expression::Expression>::SqlType as ::quarry::expression::LiteralTypes>::#kind
                        }),
                        _ => self.infer(a),
                    })
                    .collect::<syn::Result<Vec<_>>>()?;
                let alias = syn::Ident::new(alias, call.method.span());
                Ok(quote!(::quarry::dsl::#alias<#receiver #(, #args)*>))
            }
            Expr::Call(call) => {
                let Expr::Path(path) = &*call.func else {
                    return Err(unknown(&call.func, "a call of something other than a function"));
                };
                let Some(last) = path.path.segments.last() else {
                    return Err(unknown(&call.func, "a function `auto_type` does not know"));
                };
                let name = last.ident.to_string();
                if matches!(name.as_str(), "as_select" | "as_returning") && path.path.segments.len() > 1 {
                    // `User::as_select()`: the struct's select clause.
                    let mut model = path.path.clone();
                    model.segments.pop();
                    model.segments.pop_punct();
                    return Ok(quote!(::quarry::dsl::AsSelect<#model>));
                }
                let through_a_type = path
                    .path
                    .segments
                    .iter()
                    .rev()
                    .skip(1)
                    .any(|s| s.ident.to_string().starts_with(char::is_uppercase));
                if !FUNCTIONS.contains(&name.as_str()) && call.args.is_empty() && !through_a_type {
                    // Another `auto_type(type_alias)` function (or `random()`): its type carries its name.
                    return Ok(path.path.to_token_stream());
                }
                if !FUNCTIONS.contains(&name.as_str()) {
                    return Err(unknown(&call.func, &format!("`{name}(..)`, a function it has no type name for")));
                }
                let ident = syn::Ident::new(&name, last.ident.span());
                if call.args.is_empty() {
                    return Ok(quote!(::quarry::dsl::#ident));
                }
                let args = call.args.iter().map(|a| self.infer(a)).collect::<syn::Result<Vec<_>>>()?;
                Ok(quote!(::quarry::dsl::#ident<#(#args),*>))
            }
            other => Err(unknown(other, "an expression whose type `auto_type` cannot read")),
        }
    }
}

fn literal(lit: &Lit) -> syn::Result<TokenStream> {
    Ok(match lit {
        Lit::Str(_) => quote!(&'static str),
        Lit::ByteStr(_) => quote!(&'static [u8]),
        Lit::Bool(_) => quote!(bool),
        Lit::Int(i) if !i.suffix().is_empty() => syn::Ident::new(i.suffix(), Span::call_site()).into_token_stream(),
        Lit::Int(_) => quote!(i32),
        Lit::Float(f) if !f.suffix().is_empty() => syn::Ident::new(f.suffix(), Span::call_site()).into_token_stream(),
        Lit::Float(_) => quote!(f64),
        other => return Err(unknown(other, "a literal whose type `auto_type` cannot read")),
    })
}

fn unknown(at: &impl Spanned, what: &str) -> syn::Error {
    syn::Error::new(
        at.span(),
        format!(
            "`auto_type` cannot name the type of this: {what}\nhelp: bind it first with `let name: Type = ..;`, or write the function's return type"
        ),
    )
}
