//! `quarry.toml`: `database_url`, `migrations_dir` and `schema_file`, all optional.

use std::path::{Path, PathBuf};

/// The settings of `quarry.toml`, with defaults when it or a key is absent.
pub struct Config {
    pub database_url: Option<String>,
    pub migrations_dir: PathBuf,
    pub schema_file: Option<PathBuf>,
}

impl Config {
    /// Reads `path` if it exists; an unknown key or a non-string value is an error naming it.
    pub fn load(path: &Path) -> Result<Config, String> {
        let mut config = Config { database_url: None, migrations_dir: PathBuf::from("migrations"), schema_file: None };
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(config),
            Err(e) => return Err(format!("cannot read `{}`: {e}", path.display())),
        };
        let table: toml::Table = text.parse().map_err(|e| format!("`{}` is not valid TOML: {e}", path.display()))?;
        for (key, value) in table {
            let Some(value) = value.as_str().map(str::to_owned) else {
                return Err(format!("`{key}` in `{}` must be a string", path.display()));
            };
            match key.as_str() {
                "database_url" => config.database_url = Some(value),
                "migrations_dir" => config.migrations_dir = PathBuf::from(value),
                "schema_file" => config.schema_file = Some(PathBuf::from(value)),
                _ => {
                    return Err(format!(
                        "unknown key `{key}` in `{}`: the keys are database_url, migrations_dir and schema_file",
                        path.display()
                    ));
                }
            }
        }
        Ok(config)
    }
}
