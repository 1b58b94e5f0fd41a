//! A user's own types as column values, on every backend: Rust enums stored as text, as integers and as
//! a PostgreSQL enum type (`#[derive(DbEnum)]`), newtypes (`#[derive(DbNewType)]`), and a type with
//! hand-written `ToSql`/`FromSql` (`#[derive(AsExpression, FromSqlRow)]`, Diesel's spelling).

mod common;

use common::backends::BackendSql;
use common::*;
use quarry::backend::Backend;
use quarry::deserialize::{DeserializeResult, FromSql, ValueRef};
use quarry::prelude::*;
use quarry::result::{Error, QueryResult};
use quarry::serialize::{BindValue, ToSql};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, DbEnum)]
enum Status {
    Todo,
    InProgress,
    #[quarry(rename = "finished")]
    Done,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, DbEnum)]
#[quarry(sql_type = quarry::sql_types::Integer)]
enum Priority {
    Low = 1,
    Normal = 5,
    High = 10,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, DbEnum)]
#[quarry(rename_all = "SCREAMING_SNAKE_CASE")]
enum Shout {
    LoudNoise,
}

quarry::table! {
    tasks (id) {
        id -> Integer,
        title -> Text,
        status -> Text,
        priority -> Integer,
        previous -> Nullable<Text>,
    }
}

#[derive(Debug, PartialEq, Queryable, Selectable, Insertable, AsChangeset, Identifiable)]
#[quarry(table_name = tasks)]
struct Task {
    id: i32,
    title: String,
    status: Status,
    priority: Priority,
    previous: Option<Status>,
}

const TASKS: &str = "CREATE TABLE tasks (
    id INTEGER PRIMARY KEY, title TEXT NOT NULL, status TEXT NOT NULL, priority INTEGER NOT NULL, previous TEXT
)";

fn task(id: i32, status: Status, priority: Priority, previous: Option<Status>) -> Task {
    Task { id, title: format!("task {id}"), status, priority, previous }
}

on_every_backend! {
    fn enums_are_written_and_read_as_text_and_as_integers(conn) {
        conn.batch_execute(TASKS)?;
        quarry::insert_into(tasks::table)
            .values(&vec![
                task(1, Status::Todo, Priority::Low, None),
                task(2, Status::InProgress, Priority::High, Some(Status::Todo)),
                task(3, Status::Done, Priority::Normal, Some(Status::InProgress)),
            ])
            .execute(conn)?;
        // Stored as the text and the numbers the attributes say.
        let raw: Vec<(String, i32, Option<String>)> =
            tasks::table.order(tasks::id).select((tasks::status, tasks::priority, tasks::previous)).load(conn)?;
        assert_eq!(
            raw,
            [
                ("todo".to_owned(), 1, None),
                ("in_progress".to_owned(), 10, Some("todo".to_owned())),
                ("finished".to_owned(), 5, Some("in_progress".to_owned())),
            ]
        );
        // Compared, listed, set and read back as the enum.
        let open: Vec<Task> = tasks::table
            .filter(tasks::status.ne(Status::Done))
            .filter(tasks::priority.eq_any([Priority::Low, Priority::High]))
            .order(tasks::id)
            .select(Task::as_select())
            .load(conn)?;
        assert_eq!(open, [task(1, Status::Todo, Priority::Low, None), task(2, Status::InProgress, Priority::High, Some(Status::Todo))]);
        quarry::update(tasks::table.find(1))
            .set((tasks::status.eq(Status::InProgress), tasks::previous.eq(Some(Status::Todo))))
            .execute(conn)?;
        let statuses: Vec<Status> = tasks::table.order(tasks::id).select(tasks::status).load(conn)?;
        assert_eq!(statuses, [Status::InProgress, Status::InProgress, Status::Done]);
        let changed = task(3, Status::Todo, Priority::Low, Some(Status::Done));
        quarry::update(tasks::table.find(3)).set(&changed).execute(conn)?;
        let back: Task = tasks::table.find(3).select(Task::as_select()).first(conn)?;
        assert_eq!(back, changed);
        let loud: String = quarry::select(Shout::LoudNoise.into_sql::<quarry::sql_types::Text>()).get_result(conn)?;
        assert_eq!(loud, "LOUD_NOISE");
        Ok(())
    }

    fn a_stored_value_no_variant_has_is_an_error_naming_the_column_and_the_value(conn) {
        conn.batch_execute(TASKS)?;
        conn.batch_execute("INSERT INTO tasks VALUES (1, 'a', 'lost', 5, NULL), (2, 'b', 'todo', 7, NULL)")?;
        let err = tasks::table.find(1).select(tasks::status).get_result::<Status>(conn).unwrap_err();
        assert!(matches!(err, Error::DeserializationError(_)), "{err}");
        let text = err.to_string();
        assert!(text.contains("`status`") && text.contains("\"lost\"") && text.contains("todo, in_progress, finished"), "{text}");
        let err = tasks::table.find(2).select(tasks::priority).get_result::<Priority>(conn).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("`priority`") && text.contains('7') && text.contains("1, 5, 10"), "{text}");
        Ok(())
    }
}

/// A PostgreSQL enum type (`CREATE TYPE mood AS ENUM ..`) declared for `table!` with `#[derive(SqlType)]`;
/// on SQLite the same declarations run over a TEXT column.
mod sql_types {
    #[derive(quarry::SqlType)]
    pub struct Mood;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, DbEnum)]
#[quarry(sql_type = sql_types::Mood)]
enum Mood {
    Sad,
    Ok,
    Happy,
}

quarry::table! {
    use quarry::sql_types::*;
    use super::sql_types::Mood;

    people (id) {
        id -> Integer,
        mood -> Mood,
        was -> Nullable<Mood>,
    }
}

on_every_backend! {
    fn an_enum_of_a_sql_type_of_its_own_is_a_postgres_enum_there(conn) {
        if conn.is_postgres() {
            conn.batch_execute(
                "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
                 CREATE TABLE people (id INTEGER PRIMARY KEY, mood mood NOT NULL, was mood)",
            )?;
        } else {
            conn.batch_execute("CREATE TABLE people (id INTEGER PRIMARY KEY, mood TEXT NOT NULL, was TEXT)")?;
        }
        quarry::insert_into(people::table)
            .values(&vec![
                (people::id.eq(1), people::mood.eq(Mood::Happy), people::was.eq(None::<Mood>)),
                (people::id.eq(2), people::mood.eq(Mood::Sad), people::was.eq(Some(Mood::Ok))),
                (people::id.eq(3), people::mood.eq(Mood::Ok), people::was.eq(Some(Mood::Happy))),
            ])
            .execute(conn)?;
        let glad: Vec<(i32, Mood, Option<Mood>)> = people::table
            .filter(people::mood.eq_any(vec![Mood::Happy, Mood::Ok]))
            .order(people::id)
            .load(conn)?;
        assert_eq!(glad, [(1, Mood::Happy, None), (3, Mood::Ok, Some(Mood::Happy))]);
        let moved: Vec<Mood> = quarry::update(people::table.filter(people::was.is_not_null()))
            .set(people::mood.eq(Mood::Happy))
            .returning(people::mood)
            .get_results(conn)?;
        assert_eq!(moved, [Mood::Happy, Mood::Happy]);
        if conn.is_postgres() {
            // The server's own order of the labels, not the text's.
            let ordered: Vec<Mood> = people::table.order(people::was.desc()).select(people::was).load::<Option<Mood>>(conn)?.into_iter().flatten().collect();
            assert_eq!(ordered, [Mood::Happy, Mood::Ok]);
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, DbNewType)]
struct UserId(i32);

#[derive(Debug, Clone, PartialEq, DbNewType)]
struct UserName(String);

/// A newtype whose field takes NULL: it reads NULL as its field does.
#[derive(Debug, Clone, PartialEq, DbNewType)]
struct HairColor(Option<String>);

#[derive(Debug, PartialEq, Queryable, Selectable, Identifiable)]
#[quarry(table_name = users)]
struct TypedUser {
    id: UserId,
    name: UserName,
    hair_color: Option<UserName>,
}

#[derive(Insertable, AsChangeset)]
#[quarry(table_name = users)]
struct TypedNewUser<'a> {
    name: &'a UserName,
    hair_color: Option<UserName>,
}

on_every_backend! {
    fn newtypes_stand_wherever_their_field_type_does(conn) {
        let bo: TypedUser = users::table.find(UserId(2)).select(TypedUser::as_select()).first(conn)?;
        assert_eq!(bo, TypedUser { id: UserId(2), name: UserName("Bo".into()), hair_color: Some(UserName("red".into())) });
        let ids: Vec<UserId> = users::table
            .filter(users::id.eq_any(vec![UserId(1), UserId(3)]).or(users::name.eq(UserName("Bo".into()))))
            .order(users::id.desc())
            .select(users::id)
            .load(conn)?;
        assert_eq!(ids, [UserId(3), UserId(2), UserId(1)]);
        let name = UserName("Di".into());
        let new_id: UserId = quarry::insert_into(users::table)
            .values(&TypedNewUser { name: &name, hair_color: None })
            .returning(users::id)
            .get_result(conn)?;
        assert_eq!(new_id, UserId(4));
        quarry::update(users::table.filter(users::id.eq(new_id)))
            .set(&TypedNewUser { name: &UserName("Dee".into()), hair_color: Some(UserName("grey".into())) })
            .execute(conn)?;
        let dee: (UserName, Option<UserName>) =
            users::table.find(new_id).select((users::name, users::hair_color)).get_result(conn)?;
        assert_eq!(dee, (UserName("Dee".into()), Some(UserName("grey".into()))));
        let colors: Vec<HairColor> = users::table.order(users::id).limit(2).select(users::hair_color).load(conn)?;
        assert_eq!(colors, [HairColor(None), HairColor(Some("red".into()))]);
        let bald: Vec<UserId> = users::table.filter(users::hair_color.is_not_distinct_from(HairColor(None))).select(users::id).load(conn)?;
        assert_eq!(bald, [UserId(1)]);
        // Posts of users read by their typed key.
        let mut authors: Vec<UserId> = posts::table.select(posts::user_id).distinct().load(conn)?;
        authors.sort();
        assert_eq!(authors, [UserId(1), UserId(2), UserId(3)]);
        Ok(())
    }
}

/// A type with its conversions written by hand, as a Diesel user writes them.
#[derive(Debug, Clone, Copy, PartialEq, AsExpression, FromSqlRow)]
#[quarry(sql_type = quarry::sql_types::Text)]
struct Rgb(u8, u8, u8);

impl ToSql<quarry::sql_types::Text> for Rgb {
    fn to_sql(&self) -> QueryResult<BindValue<'_>> {
        Ok(BindValue::OwnedStr(format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)))
    }
}

impl<DB: Backend> FromSql<quarry::sql_types::Text, DB> for Rgb {
    fn from_sql(value: DB::RawValue<'_>) -> DeserializeResult<Self> {
        let text = value.read_str()?;
        let hex = text
            .strip_prefix('#')
            .filter(|h| h.len() == 6 && h.is_ascii())
            .ok_or_else(|| format!("{text:?} is not #rrggbb"))?;
        let part = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16);
        Ok(Rgb(part(0)?, part(2)?, part(4)?))
    }
}

on_every_backend! {
    fn a_type_with_hand_written_conversions_is_a_value_and_a_field(conn) {
        quarry::update(users::table.find(2)).set(users::hair_color.eq(Some(Rgb(255, 0, 16)))).execute(conn)?;
        let stored: Option<String> = users::table.find(2).select(users::hair_color).get_result(conn)?;
        assert_eq!(stored.as_deref(), Some("#ff0010"));
        let back: Option<Rgb> = users::table.filter(users::hair_color.eq(Rgb(255, 0, 16))).select(users::hair_color).get_result(conn)?;
        assert_eq!(back, Some(Rgb(255, 0, 16)));
        // "black" is no colour of this kind: the error names the column and says why.
        let err = users::table.find(3).select(users::hair_color).get_result::<Option<Rgb>>(conn).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("`hair_color`") && text.contains("\"black\" is not #rrggbb"), "{text}");
        Ok(())
    }
}
