//! Window frames (Diesel's spelling): `frame::Rows.frame_between(frame::UnboundedPreceding,
//! frame::CurrentRow)`, `frame::Range.frame_start_with(2.preceding())`, with an optional exclusion
//! (`frame_between_with_exclusion(.., frame::ExcludeCurrentRow)`). A start of UNBOUNDED FOLLOWING or an
//! end of UNBOUNDED PRECEDING does not compile. Offsets are `u64` constants, written into the SQL.

use super::{AppearsOnWindow, MaybeAbsent};
use crate::backend::RunsOn;
use crate::render::{AstPass, QueryFragment, QueryId};
use crate::result::QueryResult;

/// A whole frame clause, for [`frame_by`](super::WindowExpressionMethods::frame_by).
pub trait FrameClause: QueryFragment + QueryId {}

macro_rules! frame_words {
    ($($(#[$meta:meta])* $name:ident $sql:literal;)*) => {$(
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
        pub struct $name;
        impl QueryFragment for $name {
            fn walk(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
                out.push_sql($sql);
                Ok(())
            }
        }
        impl QueryId for $name {
            type QueryId = $name;
        }
    )*};
}
frame_words! {
    /// `ROWS`: the frame counts rows.
    Rows "ROWS";
    /// `RANGE`: the frame spans values of the window's ORDER BY key.
    Range "RANGE";
    /// `GROUPS`: the frame counts groups of peers (rows equal in the window's order).
    Groups "GROUPS";
    /// `UNBOUNDED PRECEDING`: the partition's first row.
    UnboundedPreceding "UNBOUNDED PRECEDING";
    /// `UNBOUNDED FOLLOWING`: the partition's last row.
    UnboundedFollowing "UNBOUNDED FOLLOWING";
    /// `CURRENT ROW`.
    CurrentRow "CURRENT ROW";
    // Exclusions follow the bounds, so each writes the space before it.
    /// `EXCLUDE CURRENT ROW`.
    ExcludeCurrentRow " EXCLUDE CURRENT ROW";
    /// `EXCLUDE GROUP`: the current row and its peers.
    ExcludeGroup " EXCLUDE GROUP";
    /// `EXCLUDE TIES`: the current row's peers, not the row itself.
    ExcludeTies " EXCLUDE TIES";
    /// `EXCLUDE NO OTHERS`: the default.
    ExcludeNoOthers " EXCLUDE NO OTHERS";
}

/// `n PRECEDING`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Preceding(u64);
/// `n FOLLOWING`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Following(u64);

macro_rules! offset_bounds {
    ($($name:ident $sql:literal),*) => {$(
        impl QueryFragment for $name {
            fn walk(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
                // A `u64` is only digits: written inline, as the frame's offset must be a constant.
                out.push_sql(&self.0.to_string());
                out.push_sql($sql);
                Ok(())
            }
        }
        // The offset is in the SQL, so it is part of the statement's identity: no static id.
        impl QueryId for $name {
            type QueryId = ();
            const HAS_STATIC_QUERY_ID: bool = false;
        }
    )*};
}
offset_bounds!(Preceding " PRECEDING", Following " FOLLOWING");

/// `2.preceding()`, `0.following()`: a bound `n` rows (or groups, or key units) from the current row.
pub trait FrameBoundDsl {
    /// `n PRECEDING`.
    fn preceding(self) -> Preceding;
    /// `n FOLLOWING`.
    fn following(self) -> Following;
}
impl FrameBoundDsl for u64 {
    fn preceding(self) -> Preceding {
        Preceding(self)
    }
    fn following(self) -> Following {
        Following(self)
    }
}

/// A frame's kind: ROWS, RANGE or GROUPS.
pub trait FrameKind: QueryFragment + QueryId {}
#[diagnostic::do_not_recommend]
impl FrameKind for Rows {}
#[diagnostic::do_not_recommend]
impl FrameKind for Range {}
#[diagnostic::do_not_recommend]
impl FrameKind for Groups {}

/// A bound a frame may start at: not UNBOUNDED FOLLOWING.
#[diagnostic::on_unimplemented(
    message = "a frame cannot start at `{Self}`",
    label = "start at `UnboundedPreceding`, `CurrentRow`, `n.preceding()` or `n.following()`"
)]
pub trait StartBound: QueryFragment + QueryId {}
#[diagnostic::do_not_recommend]
impl StartBound for UnboundedPreceding {}
#[diagnostic::do_not_recommend]
impl StartBound for CurrentRow {}
#[diagnostic::do_not_recommend]
impl StartBound for Preceding {}
#[diagnostic::do_not_recommend]
impl StartBound for Following {}

/// A start that may stand alone (`ROWS start`, which ends at the current row): at or before it.
#[diagnostic::on_unimplemented(
    message = "a frame given only its start ends at the current row, so it cannot start at `{Self}`",
    label = "start at `UnboundedPreceding`, `CurrentRow` or `n.preceding()`, or use `frame_between`"
)]
pub trait LoneStart: StartBound {}
#[diagnostic::do_not_recommend]
impl LoneStart for UnboundedPreceding {}
#[diagnostic::do_not_recommend]
impl LoneStart for CurrentRow {}
#[diagnostic::do_not_recommend]
impl LoneStart for Preceding {}

/// A frame from `Self` to `End` starts no later than it ends: CURRENT ROW cannot end before the current
/// row, nor a following start end at or before it.
#[diagnostic::on_unimplemented(
    message = "a frame from `{Self}` cannot end at `{End}`, before it starts",
    label = "the end must not come before the start: CURRENT ROW < n FOLLOWING"
)]
pub trait EndsAfter<End> {}
#[diagnostic::do_not_recommend]
impl<E> EndsAfter<E> for UnboundedPreceding {}
#[diagnostic::do_not_recommend]
impl<E> EndsAfter<E> for Preceding {}
// An UNBOUNDED FOLLOWING start is refused as a start (`StartBound`): once is enough.
#[diagnostic::do_not_recommend]
impl<E> EndsAfter<E> for UnboundedFollowing {}
#[diagnostic::do_not_recommend]
impl EndsAfter<CurrentRow> for CurrentRow {}
#[diagnostic::do_not_recommend]
impl EndsAfter<Following> for CurrentRow {}
#[diagnostic::do_not_recommend]
impl EndsAfter<UnboundedFollowing> for CurrentRow {}
#[diagnostic::do_not_recommend]
impl EndsAfter<Following> for Following {}
#[diagnostic::do_not_recommend]
impl EndsAfter<UnboundedFollowing> for Following {}

/// A bound a frame may end at: not UNBOUNDED PRECEDING.
#[diagnostic::on_unimplemented(
    message = "a frame cannot end at `{Self}`",
    label = "end at `UnboundedFollowing`, `CurrentRow`, `n.preceding()` or `n.following()`"
)]
pub trait EndBound: QueryFragment + QueryId {}
#[diagnostic::do_not_recommend]
impl EndBound for UnboundedFollowing {}
#[diagnostic::do_not_recommend]
impl EndBound for CurrentRow {}
#[diagnostic::do_not_recommend]
impl EndBound for Preceding {}
#[diagnostic::do_not_recommend]
impl EndBound for Following {}

/// An exclusion: which rows near the current one the frame leaves out.
pub trait Exclusion: QueryFragment + QueryId {}
#[diagnostic::do_not_recommend]
impl Exclusion for ExcludeCurrentRow {}
#[diagnostic::do_not_recommend]
impl Exclusion for ExcludeGroup {}
#[diagnostic::do_not_recommend]
impl Exclusion for ExcludeTies {}
#[diagnostic::do_not_recommend]
impl Exclusion for ExcludeNoOthers {}

/// No exclusion.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NoExclusion;
impl QueryFragment for NoExclusion {
    fn walk(&self, _: &mut AstPass<'_>) -> QueryResult<()> {
        Ok(())
    }
}
impl QueryId for NoExclusion {
    type QueryId = NoExclusion;
}

/// `ROWS start [EXCLUDE ..]`: from `start` to the current row.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StartFrame<K, S, X = NoExclusion> {
    kind: K,
    start: S,
    exclusion: X,
}

/// `ROWS BETWEEN start AND end [EXCLUDE ..]`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BetweenFrame<K, S, E, X = NoExclusion> {
    kind: K,
    start: S,
    end: E,
    exclusion: X,
}

impl<K: QueryFragment, S: QueryFragment, X: QueryFragment> QueryFragment for StartFrame<K, S, X> {
    fn walk(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        self.kind.walk(out)?;
        out.push_sql(" ");
        self.start.walk(out)?;
        self.exclusion.walk(out)
    }
}

impl<K: QueryFragment, S: QueryFragment, E: QueryFragment, X: QueryFragment> QueryFragment
    for BetweenFrame<K, S, E, X>
{
    fn walk(&self, out: &mut AstPass<'_>) -> QueryResult<()> {
        self.kind.walk(out)?;
        out.push_sql(" BETWEEN ");
        self.start.walk(out)?;
        out.push_sql(" AND ");
        self.end.walk(out)?;
        self.exclusion.walk(out)
    }
}

impl<K: QueryId, S: QueryId, X: QueryId> QueryId for StartFrame<K, S, X> {
    type QueryId = StartFrame<K::QueryId, S::QueryId, X::QueryId>;
    const HAS_STATIC_QUERY_ID: bool = S::HAS_STATIC_QUERY_ID;
}
impl<K: QueryId, S: QueryId, E: QueryId, X: QueryId> QueryId for BetweenFrame<K, S, E, X> {
    type QueryId = BetweenFrame<K::QueryId, S::QueryId, E::QueryId, X::QueryId>;
    const HAS_STATIC_QUERY_ID: bool = S::HAS_STATIC_QUERY_ID && E::HAS_STATIC_QUERY_ID;
}

// The bounds were checked when the frame was built (`frame_between` and the like).
impl<K, S, X> FrameClause for StartFrame<K, S, X> where Self: QueryFragment + QueryId {}
impl<K, S, E, X> FrameClause for BetweenFrame<K, S, E, X> where Self: QueryFragment + QueryId {}

// Frames name no column and run on every backend Quarry has (SQLite 3.28+ and PostgreSQL 11+ have
// GROUPS and EXCLUDE).
impl<K, S, X> MaybeAbsent for StartFrame<K, S, X> {}
impl<K, S, E, X> MaybeAbsent for BetweenFrame<K, S, E, X> {}
impl<QS, K, S, X> AppearsOnWindow<QS> for StartFrame<K, S, X> {}
impl<QS, K, S, E, X> AppearsOnWindow<QS> for BetweenFrame<K, S, E, X> {}
impl<DB, K, S, X> RunsOn<DB> for StartFrame<K, S, X> {}
impl<DB, K, S, E, X> RunsOn<DB> for BetweenFrame<K, S, E, X> {}

/// Builds a frame from its kind (Diesel's names): `Rows.frame_start_with(..)`, `Rows.frame_between(..)`.
pub trait FrameClauseDsl: FrameKind + Sized {
    /// `ROWS start`: from `start` to the current row.
    fn frame_start_with<S: LoneStart>(self, start: S) -> StartFrame<Self, S> {
        StartFrame { kind: self, start, exclusion: NoExclusion }
    }

    /// `ROWS start EXCLUDE ..`.
    fn frame_start_with_exclusion<S: LoneStart, X: Exclusion>(self, start: S, exclusion: X) -> StartFrame<Self, S, X> {
        StartFrame { kind: self, start, exclusion }
    }

    /// `ROWS BETWEEN start AND end`.
    fn frame_between<S: StartBound + EndsAfter<E>, E: EndBound>(self, start: S, end: E) -> BetweenFrame<Self, S, E> {
        BetweenFrame { kind: self, start, end, exclusion: NoExclusion }
    }

    /// `ROWS BETWEEN start AND end EXCLUDE ..`.
    fn frame_between_with_exclusion<S: StartBound + EndsAfter<E>, E: EndBound, X: Exclusion>(
        self,
        start: S,
        end: E,
        exclusion: X,
    ) -> BetweenFrame<Self, S, E, X> {
        BetweenFrame { kind: self, start, end, exclusion }
    }
}
impl<K: FrameKind> FrameClauseDsl for K {}

/// Whether a frame needs the window's ORDER BY: GROUPS always (peers are rows equal in that order), and
/// RANGE with an offset (the offset is measured on the order's key). [`Needed`] or [`NotNeeded`].
pub trait FrameOrder {
    /// The answer.
    type Order;
}
/// The frame needs the window's ORDER BY.
#[derive(Debug)]
pub struct Needed;
/// The frame needs no ORDER BY.
#[derive(Debug)]
pub struct NotNeeded;

/// Whether a bound is an offset (`n PRECEDING`, `n FOLLOWING`): [`Needed`] for RANGE.
pub trait BoundOrder {
    /// The answer.
    type Order;
}
macro_rules! bound_order {
    ($($bound:ident => $order:ident),*) => {$(
        impl BoundOrder for $bound {
            type Order = $order;
        }
    )*};
}
bound_order!(
    UnboundedPreceding => NotNeeded, UnboundedFollowing => NotNeeded, CurrentRow => NotNeeded,
    Preceding => Needed, Following => Needed
);

/// `Needed` when either is.
pub trait EitherNeeds<B> {
    /// The answer.
    type Order;
}
impl<B> EitherNeeds<B> for Needed {
    type Order = Needed;
}
impl<B> EitherNeeds<B> for NotNeeded {
    type Order = B;
}

/// The order a frame kind asks for, given what its bounds ask for.
pub trait KindOrder<Bounds> {
    /// The answer.
    type Order;
}
impl<B> KindOrder<B> for Rows {
    type Order = NotNeeded;
}
impl<B> KindOrder<B> for Groups {
    type Order = Needed;
}
impl KindOrder<NotNeeded> for Range {
    type Order = NotNeeded;
}
impl KindOrder<Needed> for Range {
    type Order = OneNumericKey;
}

/// The frame measures its offset on the window's ORDER BY: a RANGE frame with `n PRECEDING` or
/// `n FOLLOWING` needs exactly one ORDER BY key, a number (the offset is added to it).
#[derive(Debug)]
pub struct OneNumericKey;

impl FrameOrder for super::NoFrame {
    type Order = NotNeeded;
}
impl<K: KindOrder<S::Order>, S: BoundOrder, X> FrameOrder for StartFrame<K, S, X> {
    type Order = K::Order;
}
impl<K, S: BoundOrder, E: BoundOrder, X> FrameOrder for BetweenFrame<K, S, E, X>
where
    S::Order: EitherNeeds<E::Order>,
    K: KindOrder<<S::Order as EitherNeeds<E::Order>>::Order>,
{
    type Order = K::Order;
}

/// A window's ORDER BY `Self` satisfies what its frame asks for (`Needs` is [`FrameOrder::Order`]).
#[diagnostic::on_unimplemented(
    message = "a GROUPS frame, or a RANGE frame with an offset, needs the window's ORDER BY (for RANGE, one numeric key)",
    label = "add `.window_order(..)`: the frame counts peers, or measures the offset, along that order"
)]
pub trait OrderForFrame<Needs> {}
#[diagnostic::do_not_recommend]
impl<O> OrderForFrame<NotNeeded> for O {}
#[diagnostic::do_not_recommend]
impl<O> OrderForFrame<Needed> for super::WindowOrder<O> {}
impl<O: OneNumericOrder> OrderForFrame<OneNumericKey> for O {}

/// A window ORDER BY of one numeric key ([`NumericKey`]).
#[diagnostic::on_unimplemented(
    message = "a RANGE frame with an offset needs exactly one window ORDER BY key, of a numeric SQL type",
    label = "the offset is added to that key to find the frame's rows",
    note = "order the window by one number (`.window_order(posts::score)`), or use a ROWS frame"
)]
pub trait OneNumericOrder {}
impl<K: NumericKey> OneNumericOrder for super::WindowOrder<K> {}

/// One ORDER BY key of a numeric SQL type (ascending or descending), as a RANGE frame with an offset needs.
#[diagnostic::on_unimplemented(
    message = "a RANGE frame with an offset needs exactly one window ORDER BY key, of a numeric SQL type: `{Self}` is not",
    label = "the offset is added to that key to find the frame's rows",
    note = "order the window by one number (`.window_order(posts::score)`), or use a ROWS frame"
)]
pub trait NumericKey {}
#[diagnostic::do_not_recommend]
impl<E: crate::expression::Expression<SqlType: crate::sql_types::NumericLike>> NumericKey for E {}
#[diagnostic::do_not_recommend]
impl<E: crate::expression::Expression<SqlType: crate::sql_types::NumericLike>> NumericKey
    for crate::expression::Asc<E>
{
}
#[diagnostic::do_not_recommend]
impl<E: crate::expression::Expression<SqlType: crate::sql_types::NumericLike>> NumericKey
    for crate::expression::Desc<E>
{
}
