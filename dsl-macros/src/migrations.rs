//! `embed_migrations!("migrations")`: compiles a folder of migrations into the program. Each subfolder
//! is one migration (its name orders it) with an `up.sql` and, optionally, a `down.sql`.

use std::path::{Path, PathBuf};

use proc_macro2::{Span, TokenStream};
use quote::quote;

pub fn expand(input: TokenStream) -> TokenStream {
    let relative = if input.is_empty() {
        "migrations".to_owned()
    } else {
        match syn::parse2::<syn::LitStr>(input) {
            Ok(lit) => lit.value(),
            Err(e) => return e.to_compile_error(),
        }
    };
    let root = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from).unwrap_or_default();
    match read(&root.join(&relative), &relative) {
        Ok(tokens) => tokens,
        Err(message) => syn::Error::new(Span::call_site(), message).to_compile_error(),
    }
}

fn read(dir: &Path, shown: &str) -> Result<TokenStream, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        format!(
            "cannot read the migrations folder `{shown}` ({}): {e}\nhelp: the path is relative to the crate's Cargo.toml; create it with `quarry setup`",
            dir.display()
        )
    })?;
    let mut folders = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| format!("cannot read the migrations folder `{shown}`: {e}"))?;
        if entry.path().is_dir() {
            let name = entry.file_name().into_string().map_err(|n| format!("migration folder {n:?} is not UTF-8"))?;
            if !name.starts_with('.') {
                folders.push((name, entry.path()));
            }
        }
    }
    folders.sort();
    let mut migrations = Vec::new();
    for (name, path) in folders {
        let up = path.join("up.sql");
        if !up.is_file() {
            return Err(format!(
                "`{shown}/{name}` is not a migration: it has no up.sql\nhelp: each folder of `{shown}` holds one migration's up.sql (and down.sql)"
            ));
        }
        let up = up.to_string_lossy().into_owned();
        let down = path.join("down.sql");
        let down = if down.is_file() {
            let down = down.to_string_lossy().into_owned();
            quote!(::core::option::Option::Some(::core::include_str!(#down)))
        } else {
            quote!(::core::option::Option::None)
        };
        migrations.push(quote! {
            ::quarry::migration::EmbeddedMigration { name: #name, up: ::core::include_str!(#up), down: #down }
        });
    }
    Ok(quote!(::quarry::migration::EmbeddedMigrations::new(&[#(#migrations),*])))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh folder for one test, deleted when the test ends.
    struct Temp(PathBuf);

    impl std::ops::Deref for Temp {
        type Target = Path;
        fn deref(&self) -> &Path {
            &self.0
        }
    }

    impl Drop for Temp {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn temp(name: &str) -> Temp {
        let dir = std::env::temp_dir().join(format!("quarry-macros-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        Temp(dir)
    }

    #[test]
    fn a_missing_folder_is_an_error_saying_where_it_was_looked_for() {
        let tmp = temp("missing");
        let err = read(&tmp.join("nope"), "nope").expect_err("missing");
        assert!(err.starts_with("cannot read the migrations folder `nope`"), "{err}");
        assert!(err.contains("relative to the crate's Cargo.toml"), "{err}");
    }

    #[test]
    fn a_folder_without_up_sql_is_not_a_migration() {
        let dir = temp("no-up");
        std::fs::create_dir_all(dir.join("2026_a")).expect("mkdir");
        std::fs::write(dir.join("2026_a/down.sql"), "DROP TABLE a;").expect("write");
        let err = read(&dir, "migrations").expect_err("no up.sql");
        assert!(err.starts_with("`migrations/2026_a` is not a migration: it has no up.sql"), "{err}");
    }

    #[test]
    fn folders_are_sorted_and_files_and_hidden_folders_skipped() {
        let dir = temp("sorted");
        for name in ["2026_b", "2026_a", ".git"] {
            std::fs::create_dir_all(dir.join(name)).expect("mkdir");
            std::fs::write(dir.join(name).join("up.sql"), "SELECT 1;").expect("write");
        }
        std::fs::write(dir.join("README"), "not a migration").expect("write");
        let out = read(&dir, "migrations").expect("reads").to_string();
        let a = out.find("\"2026_a\"").expect("2026_a embedded");
        let b = out.find("\"2026_b\"").expect("2026_b embedded");
        assert!(a < b, "{out}");
        assert!(!out.contains(".git") && !out.contains("README"), "{out}");
        assert_eq!(out.matches("None").count(), 2, "no down.sql: {out}");
    }
}
