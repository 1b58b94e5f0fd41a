use quarry::migration::{EmbeddedMigrations, MigrationHarness};
use quarry::pg::PgConnection;
use quarry::prelude::*;

const MIGRATIONS: EmbeddedMigrations = EmbeddedMigrations::new(&[]);

fn main() {
    let mut conn = PgConnection::establish("postgres://localhost/test").unwrap();
    let _ = conn.run_pending_migrations(MIGRATIONS);
}
