//! Relations between rows: a child row `BelongsTo` a parent row through a foreign key
//! (`#[derive(Associations)]` with `#[quarry(belongs_to(Parent))]`), the children of some parents
//! (`Child::belonging_to(&parents)`), and children grouped under their parents (`.grouped_by(&parents)`).
//!
//! ```
//! # use quarry::prelude::*;
//! # use quarry::sqlite::SqliteConnection;
//! quarry::table! { users (id) { id -> Integer, name -> Text, } }
//! quarry::table! { posts (id) { id -> Integer, user_id -> Integer, title -> Text, } }
//!
//! #[derive(Queryable, Identifiable)]
//! #[quarry(table_name = users)]
//! struct User { id: i32, name: String }
//!
//! #[derive(Debug, PartialEq, Queryable, Identifiable, Associations)]
//! #[quarry(table_name = posts, belongs_to(User))]
//! struct Post { id: i32, user_id: i32, title: String }
//!
//! let mut conn = SqliteConnection::establish(":memory:")?;
//! conn.batch_execute(
//!     "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
//!      CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users, title TEXT NOT NULL);
//!      INSERT INTO users VALUES (1, 'Ann'), (2, 'Bo');
//!      INSERT INTO posts VALUES (1, 2, 'hi'), (2, 1, 'first'), (3, 1, 'second');",
//! )?;
//! let users: Vec<User> = users::table.order(users::id).load(&mut conn)?;
//! let posts: Vec<Post> = Post::belonging_to(&users).order(posts::id).load(&mut conn)?;
//! let grouped: Vec<Vec<Post>> = posts.grouped_by(&users);
//! let titles: Vec<(String, Vec<String>)> = users
//!     .into_iter()
//!     .zip(grouped)
//!     .map(|(user, posts)| (user.name, posts.into_iter().map(|p| p.title).collect()))
//!     .collect();
//! assert_eq!(titles, [("Ann".into(), vec!["first".into(), "second".into()]), ("Bo".into(), vec!["hi".into()])]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::{HashMap, HashSet};
use std::hash::Hash;

use crate::connection::{CanLoad, Connection, RunQueryDsl};
use crate::expression::{AsExpression, Eq, Expression, ExpressionMethods, In, Operand};
use crate::query::{AsQuery, Condition, FilteredBy, Identifiable, QueryDsl};
use crate::result::QueryResult;
use crate::result::{BuildErrorKind, build_error};
use crate::schema::Column;
use crate::schema::Table;

/// A child row that references a parent row through a foreign key; `#[derive(Associations)]` with
/// `#[quarry(belongs_to(Parent))]` (or `belongs_to(Parent, foreign_key = column)`) implements it.
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not belong to `{Parent}`",
    label = "no `belongs_to({Parent})` on `{Self}`",
    note = "derive `Associations` on the child with `#[quarry(belongs_to({Parent}))]`; the parent derives `Identifiable`"
)]
pub trait BelongsTo<Parent> {
    /// The Rust type of the foreign key's value (`i32` for a column `user_id -> Integer` read into an
    /// `i32` or an `Option<i32>`).
    type ForeignKey: Hash + std::cmp::Eq;
    /// The foreign key column.
    type ForeignKeyColumn: Column;
    /// The foreign key's value; `None` when a nullable foreign key is NULL.
    fn foreign_key(&self) -> Option<&Self::ForeignKey>;
    /// The foreign key column.
    fn foreign_key_column() -> Self::ForeignKeyColumn;
}

/// A joined row whose first part belongs to `Parent` belongs to it too: `grouped_by` takes the rows of
/// `PostTag::belonging_to(&posts).inner_join(tags::table)` (`Vec<(PostTag, Tag)>`) as it takes links.
impl<Parent, Child: BelongsTo<Parent>, Other> BelongsTo<Parent> for (Child, Other) {
    type ForeignKey = Child::ForeignKey;
    type ForeignKeyColumn = Child::ForeignKeyColumn;
    fn foreign_key(&self) -> Option<&Self::ForeignKey> {
        self.0.foreign_key()
    }
    fn foreign_key_column() -> Self::ForeignKeyColumn {
        Child::foreign_key_column()
    }
}

type FkColumn<Child, Parent> = <Child as BelongsTo<Parent>>::ForeignKeyColumn;
type FkTable<Child, Parent> = <FkColumn<Child, Parent> as Column>::Table;
type FkSqlType<Child, Parent> = <FkColumn<Child, Parent> as Expression>::SqlType;
type ParentId<'a, Parent> = <&'a Parent as Identifiable>::Id;

/// `Child::belonging_to(&parent)` / `Child::belonging_to(&parents)`: the child table filtered to the rows
/// whose foreign key names the parent (`fk = id`) or one of the parents (`fk IN (ids)`). A query like any
/// other: add `filter`, `order`, `select`, then `load`.
pub trait BelongingToDsl: Sized {
    /// The children of `parents`: `&parent`, `&[parents]` or `&vec_of_parents`.
    //
    // The query's type is a parameter fixed by the bound rather than a projection in the signature: a
    // wrong argument is then one unmet bound, reported once, with `ParentsOf`'s message.
    fn belonging_to<Parents, Children>(parents: Parents) -> Children
    where
        Parents: ParentsOf<Self, Children = Children>,
    {
        parents.children()
    }
}

impl<Child> BelongingToDsl for Child {}

/// What `Child::belonging_to(..)` accepts: `&Parent`, `&[Parent]` or `&Vec<Parent>` of a parent that
/// `Child` has a `belongs_to` for.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a parent of `{Child}`",
    label = "not a parent of `{Child}`",
    note = "derive `Associations` on `{Child}` with `#[quarry(belongs_to(Parent))]`, and `Identifiable` on the parent; pass `&parent`, `&[parents]` or `&vec_of_parents`"
)]
pub trait ParentsOf<Child> {
    /// The query for their children.
    type Children;
    /// The query for their children.
    fn children(self) -> Self::Children;
}

#[diagnostic::do_not_recommend]
impl<'a, Parent, Child> ParentsOf<Child> for &'a Parent
where
    &'a Parent: Identifiable,
    Child: BelongsTo<Parent>,
    ParentId<'a, Parent>: AsExpression<FkSqlType<Child, Parent>>,
    Eq<FkColumn<Child, Parent>, Operand<FkSqlType<Child, Parent>, ParentId<'a, Parent>>>: Condition,
{
    type Children = FilteredBy<
        FkTable<Child, Parent>,
        Eq<FkColumn<Child, Parent>, Operand<FkSqlType<Child, Parent>, ParentId<'a, Parent>>>,
    >;

    fn children(self) -> Self::Children {
        FkTable::<Child, Parent>::default().filter(Child::foreign_key_column().eq(self.id()))
    }
}

/// The children of several parents: `fk IN (their ids)`.
type ChildrenOf<'a, Child, Parent> = FilteredBy<
    FkTable<Child, Parent>,
    In<FkColumn<Child, Parent>, FkSqlType<Child, Parent>, Vec<ParentId<'a, Parent>>>,
>;

#[diagnostic::do_not_recommend]
impl<'a, Parent, Child> ParentsOf<Child> for &'a [Parent]
where
    &'a Parent: Identifiable,
    Child: BelongsTo<Parent>,
    Vec<ParentId<'a, Parent>>: crate::expression::InListTrait<FkSqlType<Child, Parent>>,
    In<FkColumn<Child, Parent>, FkSqlType<Child, Parent>, Vec<ParentId<'a, Parent>>>: Condition,
{
    type Children = ChildrenOf<'a, Child, Parent>;

    fn children(self) -> Self::Children {
        let ids: Vec<_> = self.iter().map(Identifiable::id).collect();
        FkTable::<Child, Parent>::default().filter(Child::foreign_key_column().eq_any(ids))
    }
}

#[diagnostic::do_not_recommend]
impl<'a, Parent, Child> ParentsOf<Child> for &'a Vec<Parent>
where
    &'a [Parent]: ParentsOf<Child>,
{
    type Children = <&'a [Parent] as ParentsOf<Child>>::Children;

    fn children(self) -> Self::Children {
        self.as_slice().children()
    }
}

/// `children.grouped_by(&parents)`: one `Vec` of children per parent, in the parents' order, each child
/// under the parent its foreign key names. A child whose key names none of the parents (or is NULL) is
/// left out, never misplaced; with the children loaded by `belonging_to(&parents)` there is none.
pub trait GroupedBy<'a, Parent>: IntoIterator + Sized {
    /// The children of each parent, in the order of `parents`.
    fn grouped_by(self, parents: &'a [Parent]) -> Vec<Vec<Self::Item>>;
}

impl<'a, Parent: 'a, Child, Children> GroupedBy<'a, Parent> for Children
where
    Children: IntoIterator<Item = Child>,
    Child: BelongsTo<Parent>,
    Child::ForeignKey: 'a,
    &'a Parent: Identifiable<Id = &'a Child::ForeignKey>,
{
    fn grouped_by(self, parents: &'a [Parent]) -> Vec<Vec<Child>> {
        let mut position: HashMap<&Child::ForeignKey, usize> = HashMap::with_capacity(parents.len());
        for (i, parent) in parents.iter().enumerate() {
            // Two parents with one id: the children go to the first.
            position.entry(parent.id()).or_insert(i);
        }
        let mut groups: Vec<Vec<Child>> = parents.iter().map(|_| Vec::new()).collect();
        for child in self {
            if let Some(&i) = child.foreign_key().and_then(|key| position.get(key)) {
                groups[i].push(child);
            }
        }
        groups
    }
}

/// At most this many parent ids go into one `IN (...)` list: SQLite accepts 32,766 bind values per
/// statement, and `with_children`'s refinement may add its own.
pub const MAX_PARENTS_PER_QUERY: usize = 10_000;

/// The children query [`WithChildren`] starts from: the child table, filtered to the given parent ids.
pub type ChildrenByIds<Child, Parent> = FilteredBy<
    FkTable<Child, Parent>,
    In<FkColumn<Child, Parent>, FkSqlType<Child, Parent>, Vec<<Child as BelongsTo<Parent>>::ForeignKey>>,
>;

/// A row type whose rows can be loaded as the children of `Parent` rows: `BelongsTo<Parent>` with a key
/// that can be listed and compared with the parents' ids. What [`WithChildren`] and its kin need of the
/// child, in one bound; implemented for every such type.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be loaded as the children of `{Parent}`",
    label = "not a child of `{Parent}`",
    note = "derive `Associations` on `{Self}` with `#[quarry(belongs_to({Parent}))]`, and `Identifiable` on `{Parent}`"
)]
pub trait ChildOf<Parent>: BelongsTo<Parent> + Sized {
    /// The children queries for `parents`: each parent's id once, at most [`MAX_PARENTS_PER_QUERY`] to a
    /// query. (A concrete type, not a projection, so that a closure refining it is checked before the
    /// child type is known.)
    fn queries(parents: &[Parent]) -> Vec<ChildrenByIds<Self, Parent>>;
    /// `children` under their parents, in the parents' order.
    fn group(children: Vec<Self>, parents: &[Parent]) -> Vec<Vec<Self>>;
}

#[diagnostic::do_not_recommend]
impl<Parent, Child> ChildOf<Parent> for Child
where
    Child: BelongsTo<Parent>,
    Child::ForeignKey: Clone,
    for<'a> &'a Parent: Identifiable<Id = &'a Child::ForeignKey>,
    Vec<Child::ForeignKey>: crate::expression::InListTrait<FkSqlType<Child, Parent>>,
    In<FkColumn<Child, Parent>, FkSqlType<Child, Parent>, Vec<Child::ForeignKey>>: Condition,
{
    fn queries(parents: &[Parent]) -> Vec<ChildrenByIds<Self, Parent>> {
        // Each id once, so that a parent listed twice cannot bring its children twice (from two chunks).
        let mut seen = HashSet::with_capacity(parents.len());
        let ids: Vec<Child::ForeignKey> =
            parents.iter().map(|parent| parent.id()).filter(|id| seen.insert(*id)).cloned().collect();
        ids.chunks(MAX_PARENTS_PER_QUERY)
            .map(|chunk| FkTable::<Child, Parent>::default().filter(Child::foreign_key_column().eq_any(chunk.to_vec())))
            .collect()
    }

    fn group(children: Vec<Self>, parents: &[Parent]) -> Vec<Vec<Self>> {
        children.grouped_by(parents)
    }
}

/// Eager loading: the parents with their children, in two queries however many parents there are (one
/// more per [`MAX_PARENTS_PER_QUERY`] parents), never one per parent.
///
/// ```
/// # use quarry::prelude::*;
/// # use quarry::sqlite::SqliteConnection;
/// # quarry::table! { users (id) { id -> Integer, name -> Text, } }
/// # quarry::table! { posts (id) { id -> Integer, user_id -> Integer, title -> Text, } }
/// # #[derive(Queryable, Identifiable)]
/// # #[quarry(table_name = users)]
/// # struct User { id: i32, name: String }
/// # #[derive(Queryable, Associations)]
/// # #[quarry(table_name = posts, belongs_to(User))]
/// # struct Post { id: i32, user_id: i32, title: String }
/// # let mut conn = SqliteConnection::establish(":memory:")?;
/// # conn.batch_execute(
/// #     "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
/// #      CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL, title TEXT NOT NULL);
/// #      INSERT INTO users VALUES (1, 'Ann'), (2, 'Bo');
/// #      INSERT INTO posts VALUES (1, 2, 'hi'), (2, 1, 'first'), (3, 1, 'second');",
/// # )?;
/// let users: Vec<User> = users::table.order(users::name).load(&mut conn)?;
/// let with_posts: Vec<(User, Vec<Post>)> = users.with_children(&mut conn, |posts| posts.order(posts::id.desc()))?;
/// let (ann, ann_posts) = &with_posts[0];
/// assert_eq!((ann.name.as_str(), ann_posts.len(), ann_posts[0].title.as_str()), ("Ann", 2, "second"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
// The connection and the refined query are the trait's parameters, not the method's: the child type is
// then the method's only one, and `users.with_children::<Post>(..)` names it when the parent has several
// kinds of children (the closure's argument type depends on it, so rustc must know it first).
pub trait WithChildren<Parent, Conn, Q>: Sized + Into<Vec<Parent>> {
    /// Each parent with its children (`Child` has a `belongs_to(Parent)`), in the parents' order. The
    /// children's query passes through `refine` first: `|posts| posts` as it is, or ordered and filtered
    /// further (`|posts| posts.filter(posts::published.eq(true)).order(posts::id)`); a parent whose
    /// children are all filtered out gets an empty `Vec`. `refine` should narrow (`filter`, `order`,
    /// `select`): it runs once per [`MAX_PARENTS_PER_QUERY`] parents, so an `or_filter` would bring in
    /// rows past those parents and a `limit` would count per group of parents. A parent listed twice gets
    /// its children at its first place and an empty `Vec` at the second. When the parent has several
    /// kinds of children and the result's type is not written, name the kind:
    /// `users.with_children::<Post>(&mut conn, |posts| posts.order(posts::id))`.
    fn with_children<Child>(
        self,
        conn: &mut Conn,
        refine: impl Fn(ChildrenByIds<Child, Parent>) -> Q,
    ) -> QueryResult<Vec<(Parent, Vec<Child>)>>
    where
        Conn: Connection + CanLoad<Q, Child>,
        Child: ChildOf<Parent>,
        Q: RunQueryDsl<Conn>,
    {
        let parents: Vec<Parent> = self.into();
        let mut children: Vec<Child> = Vec::new();
        for query in Child::queries(&parents) {
            children.extend(refine(query).load::<Child>(conn)?);
        }
        let groups = Child::group(children, &parents);
        Ok(parents.into_iter().zip(groups).collect())
    }
}

impl<Parent, Conn, Q> WithChildren<Parent, Conn, Q> for Vec<Parent> {}

/// Regroups `values`, made from `sizes` groups flattened in order, into those groups; an error when
/// the counts disagree (a nested loader must give one value per child).
fn regroup<P, V>(parents: Vec<P>, sizes: Vec<usize>, values: Vec<V>) -> QueryResult<Vec<(P, Vec<V>)>> {
    let expected: usize = sizes.iter().sum();
    if values.len() != expected {
        return Err(build_error(
            BuildErrorKind::Other,
            format!(
                "the nested loader gave {} values for {expected} children: it must give one per child, in their order",
                values.len()
            ),
        ));
    }
    let mut values = values.into_iter();
    Ok(parents.into_iter().zip(sizes).map(|(p, n)| (p, values.by_ref().take(n).collect())).collect())
}

/// Eager loading at any depth (Django's `prefetch_related("posts__comments")`, SQLAlchemy's chained
/// `selectinload`): one query per level, never one per row. `nest` gets every parent's children at once
/// and gives each child back with what it loads for it, in their order; usually a `with_children` of its
/// own.
///
/// ```
/// # use quarry::prelude::*;
/// # use quarry::sqlite::SqliteConnection;
/// # quarry::table! { users (id) { id -> Integer, name -> Text, } }
/// # quarry::table! { posts (id) { id -> Integer, user_id -> Integer, title -> Text, } }
/// # quarry::table! { comments (id) { id -> Integer, post_id -> Integer, body -> Text, } }
/// # #[derive(Queryable, Identifiable)]
/// # #[quarry(table_name = users)]
/// # struct User { id: i32, name: String }
/// # #[derive(Queryable, Identifiable, Associations)]
/// # #[quarry(table_name = posts, belongs_to(User))]
/// # struct Post { id: i32, user_id: i32, title: String }
/// # #[derive(Queryable, Associations)]
/// # #[quarry(table_name = comments, belongs_to(Post))]
/// # struct Comment { id: i32, post_id: i32, body: String }
/// # let mut conn = SqliteConnection::establish(":memory:")?;
/// # conn.batch_execute(
/// #     "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
/// #      CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL, title TEXT NOT NULL);
/// #      CREATE TABLE comments (id INTEGER PRIMARY KEY, post_id INTEGER NOT NULL, body TEXT NOT NULL);
/// #      INSERT INTO users VALUES (1, 'Ann'), (2, 'Bo');
/// #      INSERT INTO posts VALUES (1, 1, 'hi'), (2, 1, 'again');
/// #      INSERT INTO comments VALUES (1, 2, 'nice'), (2, 2, 'more');",
/// # )?;
/// let users: Vec<User> = users::table.order(users::id).load(&mut conn)?;
/// let tree: Vec<(User, Vec<(Post, Vec<Comment>)>)> = users.with_children_nested(
///     &mut conn,
///     |posts| posts.order(posts::id),
///     |posts, conn| posts.with_children(conn, |comments| comments.order(comments::id)),
/// )?;
/// let (ann, ann_posts) = &tree[0];
/// assert_eq!((ann.name.as_str(), ann_posts.len(), ann_posts[1].1.len()), ("Ann", 2, 2));
/// assert!(tree[1].1.is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait WithChildrenNested<Parent, Conn, Q>: Sized + Into<Vec<Parent>> {
    /// Each parent with its children (loaded as [`WithChildren::with_children`] loads them), each child
    /// turned by `nest` into what it holds.
    fn with_children_nested<Child, Nested>(
        self,
        conn: &mut Conn,
        refine: impl Fn(ChildrenByIds<Child, Parent>) -> Q,
        nest: impl FnOnce(Vec<Child>, &mut Conn) -> QueryResult<Vec<Nested>>,
    ) -> QueryResult<Vec<(Parent, Vec<Nested>)>>
    where
        Conn: Connection + CanLoad<Q, Child>,
        Child: ChildOf<Parent>,
        Q: RunQueryDsl<Conn>,
    {
        let parents: Vec<Parent> = self.into();
        let (parents, groups): (Vec<Parent>, Vec<Vec<Child>>) =
            parents.with_children(conn, refine)?.into_iter().unzip();
        let sizes = groups.iter().map(Vec::len).collect();
        let nested = nest(groups.into_iter().flatten().collect(), conn)?;
        regroup(parents, sizes, nested)
    }
}

impl<Parent, Conn, Q> WithChildrenNested<Parent, Conn, Q> for Vec<Parent> {}

/// Many-to-many through a link table (posts and tags through `post_tags`): each parent with the targets
/// linked to it, the links and their targets read by one query per [`MAX_PARENTS_PER_QUERY`] parents.
/// `query` gets the parents' ids and gives the links joined to their targets, selected as pairs; the
/// link `BelongsTo` the parent, so the pairs are grouped by it (a pair whose link names none of the
/// parents is left out). The types come from the pairs' `as_select()`: no annotation.
///
/// ```
/// # use quarry::prelude::*;
/// # use quarry::sqlite::SqliteConnection;
/// # quarry::table! { posts (id) { id -> Integer, title -> Text, } }
/// # quarry::table! { tags (id) { id -> Integer, label -> Text, } }
/// # quarry::table! { post_tags (post_id, tag_id) { post_id -> Integer, tag_id -> Integer, } }
/// # quarry::joinable!(post_tags -> tags (tag_id));
/// # quarry::joinable!(post_tags -> posts (post_id));
/// # quarry::allow_tables_to_appear_in_same_query!(posts, tags, post_tags);
/// # #[derive(Debug, Queryable, Selectable, Identifiable)]
/// # #[quarry(table_name = posts)]
/// # struct Post { id: i32, title: String }
/// # #[derive(Debug, PartialEq, Queryable, Selectable, Identifiable)]
/// # #[quarry(table_name = tags)]
/// # struct Tag { id: i32, label: String }
/// # #[derive(Queryable, Selectable, Associations)]
/// # #[quarry(table_name = post_tags, belongs_to(Post), belongs_to(Tag))]
/// # struct PostTag { post_id: i32, tag_id: i32 }
/// # let mut conn = SqliteConnection::establish(":memory:")?;
/// # conn.batch_execute(
/// #     "CREATE TABLE posts (id INTEGER PRIMARY KEY, title TEXT NOT NULL);
/// #      CREATE TABLE tags (id INTEGER PRIMARY KEY, label TEXT NOT NULL);
/// #      CREATE TABLE post_tags (post_id INTEGER NOT NULL, tag_id INTEGER NOT NULL, PRIMARY KEY (post_id, tag_id));
/// #      INSERT INTO posts VALUES (1, 'a'), (2, 'b');
/// #      INSERT INTO tags VALUES (1, 'rust'), (2, 'sql');
/// #      INSERT INTO post_tags VALUES (1, 1), (1, 2), (2, 2);",
/// # )?;
/// let posts: Vec<Post> = posts::table.order(posts::id).load(&mut conn)?;
/// let tagged = posts.with_related(&mut conn, |ids| {
///     post_tags::table
///         .inner_join(tags::table)
///         .filter(post_tags::post_id.eq_any(ids))
///         .order(tags::label)
///         .select((PostTag::as_select(), Tag::as_select()))
/// })?;
/// let labels: Vec<Vec<&str>> = tagged.iter().map(|(_, tags)| tags.iter().map(|t| t.label.as_str()).collect()).collect();
/// assert_eq!(labels, [vec!["rust", "sql"], vec!["sql"]]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait WithRelated<Parent>: Sized + Into<Vec<Parent>> {
    /// Each parent with the targets its links name, in the order `query` reads them.
    fn with_related<Key, Link, Target, Conn, Q>(
        self,
        conn: &mut Conn,
        query: impl Fn(Vec<Key>) -> Q,
    ) -> QueryResult<Vec<(Parent, Vec<Target>)>>
    where
        Conn: Connection,
        Key: Clone + Hash + std::cmp::Eq,
        for<'a> &'a Parent: Identifiable<Id = &'a Key>,
        Link: BelongsTo<Parent, ForeignKey = Key>,
        Q: RunQueryDsl<Conn>,
        Conn: CanLoad<Q, (Link, Target)>,
    {
        let parents: Vec<Parent> = self.into();
        let mut seen = HashSet::with_capacity(parents.len());
        let ids: Vec<Key> = parents.iter().map(|parent| parent.id()).filter(|id| seen.insert(*id)).cloned().collect();
        let mut pairs: Vec<(Link, Target)> = Vec::new();
        for chunk in ids.chunks(MAX_PARENTS_PER_QUERY) {
            pairs.extend(query(chunk.to_vec()).load::<(Link, Target)>(conn)?);
        }
        let groups = pairs.grouped_by(&parents);
        Ok(parents
            .into_iter()
            .zip(groups)
            .map(|(parent, pairs)| (parent, pairs.into_iter().map(|(_, target)| target).collect()))
            .collect())
    }
}

impl<Parent> WithRelated<Parent> for Vec<Parent> {}

/// Another kind of children beside those already loaded (a user's posts, then their comments): each
/// `(parent, loaded)` gets its children of the new kind as a third part, one query per
/// [`MAX_PARENTS_PER_QUERY`] parents. Has-one is a child list of at most one:
/// `.map(|(user, profiles)| (user, profiles.into_iter().next()))`.
pub trait AndChildren<Parent, Loaded, Conn, Q>: Sized + Into<Vec<(Parent, Loaded)>> {
    /// Each parent with what it had and its children of kind `Child`.
    fn and_children<Child>(
        self,
        conn: &mut Conn,
        refine: impl Fn(ChildrenByIds<Child, Parent>) -> Q,
    ) -> QueryResult<Vec<(Parent, Loaded, Vec<Child>)>>
    where
        Conn: Connection + CanLoad<Q, Child>,
        Child: ChildOf<Parent>,
        Q: RunQueryDsl<Conn>,
    {
        let (parents, loaded): (Vec<Parent>, Vec<Loaded>) = self.into().into_iter().unzip();
        let with = parents.with_children(conn, refine)?;
        Ok(with.into_iter().zip(loaded).map(|((parent, children), loaded)| (parent, loaded, children)).collect())
    }
}

impl<Parent, Loaded, Conn, Q> AndChildren<Parent, Loaded, Conn, Q> for Vec<(Parent, Loaded)> {}

/// The parents query [`WithParents`] runs: `table`, filtered to the given primary keys.
pub type ParentsByIds<T, Key> =
    FilteredBy<T, In<<T as Table>::PrimaryKey, <<T as Table>::PrimaryKey as Expression>::SqlType, Vec<Key>>>;

/// Eager loading the other way (Django's `select_related`): each child with its parent, in one query per
/// [`MAX_PARENTS_PER_QUERY`] distinct parents, never one per child.
///
/// ```
/// # use quarry::prelude::*;
/// # use quarry::sqlite::SqliteConnection;
/// # quarry::table! { users (id) { id -> Integer, name -> Text, } }
/// # quarry::table! { posts (id) { id -> Integer, user_id -> Integer, title -> Text, } }
/// # #[derive(Clone, Queryable, Identifiable)]
/// # #[quarry(table_name = users)]
/// # struct User { id: i32, name: String }
/// # #[derive(Queryable, Associations)]
/// # #[quarry(table_name = posts, belongs_to(User))]
/// # struct Post { id: i32, user_id: i32, title: String }
/// # let mut conn = SqliteConnection::establish(":memory:")?;
/// # conn.batch_execute(
/// #     "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
/// #      CREATE TABLE posts (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL, title TEXT NOT NULL);
/// #      INSERT INTO users VALUES (1, 'Ann'), (2, 'Bo');
/// #      INSERT INTO posts VALUES (1, 2, 'hi'), (2, 1, 'first'), (3, 1, 'second');",
/// # )?;
/// let posts: Vec<Post> = posts::table.order(posts::id).load(&mut conn)?;
/// let with_authors: Vec<(Post, Option<User>)> = posts.with_parents(&mut conn, users::table)?;
/// let authors: Vec<&str> = with_authors.iter().map(|(_, u)| u.as_ref().map_or("-", |u| u.name.as_str())).collect();
/// assert_eq!(authors, ["Bo", "Ann", "Ann"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait WithParents<Child>: Sized + Into<Vec<Child>> {
    /// Each child with the parent its foreign key names, read from `table` (the parent's table): `None`
    /// for a NULL key or a parent that does not exist. A parent shared by several children is cloned.
    fn with_parents<Parent, T, Q, Conn>(self, conn: &mut Conn, table: T) -> QueryResult<Vec<(Child, Option<Parent>)>>
    where
        Conn: Connection,
        Child: BelongsTo<Parent>,
        Child::ForeignKey: Clone,
        Parent: Clone,
        for<'a> &'a Parent: Identifiable<Id = &'a Child::ForeignKey>,
        T: Table,
        T::PrimaryKey: Expression,
        Vec<Child::ForeignKey>: crate::expression::InListTrait<<T::PrimaryKey as Expression>::SqlType>,
        In<T::PrimaryKey, <T::PrimaryKey as Expression>::SqlType, Vec<Child::ForeignKey>>: Condition,
        ParentsByIds<T, Child::ForeignKey>: RunQueryDsl<Conn> + AsQuery<Query = Q>,
        Conn: CanLoad<ParentsByIds<T, Child::ForeignKey>, Parent>,
    {
        let children: Vec<Child> = self.into();
        let mut seen = HashSet::new();
        let keys: Vec<Child::ForeignKey> =
            children.iter().filter_map(BelongsTo::foreign_key).filter(|key| seen.insert(*key)).cloned().collect();
        let mut parents: Vec<Parent> = Vec::with_capacity(keys.len());
        for chunk in keys.chunks(MAX_PARENTS_PER_QUERY) {
            let query = table.filter(table.primary_key().eq_any(chunk.to_vec()));
            parents.extend(query.load::<Parent>(conn)?);
        }
        let by_key: HashMap<&Child::ForeignKey, &Parent> = parents.iter().map(|p| (p.id(), p)).collect();
        Ok(children
            .into_iter()
            .map(|child| {
                let parent = child.foreign_key().and_then(|key| by_key.get(key)).map(|p| (*p).clone());
                (child, parent)
            })
            .collect())
    }
}

impl<Child> WithParents<Child> for Vec<Child> {}
