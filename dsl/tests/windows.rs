//! Window functions on every backend: the built-ins, aggregates over windows, frames, FILTER, windows in
//! grouped queries, and filtering on a window's result through a subquery in FROM.
//!
//! The seed's posts: 1 (user 1, "Hello", published), 2 (user 1, "Again"), 3 (user 2, "Red hair",
//! published), 4 (user 3, "Black", published).

mod common;

use common::*;
use quarry::dsl::frame::{self, FrameBoundDsl, FrameClauseDsl};
use quarry::dsl::{
    count, count_star, cume_dist, dense_rank, first_value, lag, lag_with_offset_and_default, last_value,
    lead_with_offset, max, nth_value, ntile, percent_rank, rank, row_number, sum,
};
use quarry::prelude::*;

// The rows of a subquery that numbers each author's posts, newest first.
quarry::table! {
    numbered (id) {
        id -> Integer,
        user_id -> Integer,
        n -> BigInt,
    }
}

on_every_backend! {
    fn row_number_partitioned_and_ordered(conn) {
        let q = posts::table
            .select((posts::id, row_number().partition_by(posts::user_id).window_order(posts::id.desc())))
            .order(posts::id);
        assert_eq!(
            sql(&q),
            r#"SELECT "posts"."id", ROW_NUMBER() OVER (PARTITION BY "posts"."user_id" ORDER BY "posts"."id" DESC) FROM "posts" ORDER BY "posts"."id""#
        );
        assert_eq!(q.load::<(i32, i64)>(conn)?, [(1, 2), (2, 1), (3, 1), (4, 1)]);
        let whole: Vec<i64> = posts::table.select(row_number().over()).load(conn)?;
        assert_eq!(whole.len(), 4);
        Ok(())
    }

    fn ranks_and_distributions(conn) {
        let q = posts::table
            .select((
                rank().window_order(posts::user_id),
                dense_rank().window_order(posts::user_id),
                percent_rank().window_order(posts::user_id),
                cume_dist().window_order(posts::user_id),
                ntile(2).window_order(posts::id),
            ))
            .order(posts::id);
        let rows: Vec<(i64, i64, f64, f64, i32)> = q.load(conn)?;
        assert_eq!(rows.iter().map(|r| r.0).collect::<Vec<_>>(), [1, 1, 3, 4]);
        assert_eq!(rows.iter().map(|r| r.1).collect::<Vec<_>>(), [1, 1, 2, 3]);
        let percent: Vec<f64> = rows.iter().map(|r| (r.2 * 3.0).round()).collect();
        assert_eq!(percent, [0.0, 0.0, 2.0, 3.0]);
        assert_eq!(rows.iter().map(|r| r.3).collect::<Vec<_>>(), [0.5, 0.5, 0.75, 1.0]);
        assert_eq!(rows.iter().map(|r| r.4).collect::<Vec<_>>(), [1, 1, 2, 2]);
        Ok(())
    }

    fn lag_lead_and_values_of_other_rows(conn) {
        let q = posts::table
            .select((
                lag(posts::id).window_order(posts::id),
                lead_with_offset(posts::id, 2).window_order(posts::id),
                lag_with_offset_and_default(posts::id, 1, 0).window_order(posts::id),
                first_value(posts::title).partition_by(posts::user_id).window_order(posts::id),
            ))
            .order(posts::id);
        let rows: Vec<(Option<i32>, Option<i32>, Option<i32>, Option<String>)> = q.load(conn)?;
        assert_eq!(rows.iter().map(|r| r.0).collect::<Vec<_>>(), [None, Some(1), Some(2), Some(3)]);
        assert_eq!(rows.iter().map(|r| r.1).collect::<Vec<_>>(), [Some(3), Some(4), None, None]);
        assert_eq!(rows.iter().map(|r| r.2).collect::<Vec<_>>(), [Some(0), Some(1), Some(2), Some(3)]);
        let firsts: Vec<&str> = rows.iter().map(|r| r.3.as_deref().unwrap_or("-")).collect();
        assert_eq!(firsts, ["Hello", "Hello", "Red hair", "Black"]);

        let whole_partition = frame::Rows.frame_between(frame::UnboundedPreceding, frame::UnboundedFollowing);
        let q = posts::table
            .select((
                last_value(posts::title).partition_by(posts::user_id).window_order(posts::id).frame_by(whole_partition),
                nth_value(posts::id, 2).window_order(posts::id).frame_by(whole_partition),
            ))
            .order(posts::id);
        let rows: Vec<(Option<String>, Option<i32>)> = q.load(conn)?;
        assert_eq!(rows[0], (Some("Again".to_owned()), Some(2)));
        assert_eq!(rows[3], (Some("Black".to_owned()), Some(2)));
        Ok(())
    }

    fn aggregates_over_windows_frames_and_filters(conn) {
        let rows: Vec<(i64, i64, Option<i64>, Option<i64>)> = posts::table
            .select((
                count(posts::id).over(),
                count_star().partition_by(posts::user_id),
                sum(posts::id).window_order(posts::id),
                sum(posts::id).window_order(posts::id).frame_by(frame::Rows.frame_start_with(1.preceding())),
            ))
            .order(posts::id)
            .load(conn)?;
        assert_eq!(rows.iter().map(|r| r.0).collect::<Vec<_>>(), [4, 4, 4, 4]);
        assert_eq!(rows.iter().map(|r| r.1).collect::<Vec<_>>(), [2, 2, 1, 1]);
        assert_eq!(rows.iter().map(|r| r.2).collect::<Vec<_>>(), [Some(1), Some(3), Some(6), Some(10)]);
        assert_eq!(rows.iter().map(|r| r.3).collect::<Vec<_>>(), [Some(1), Some(3), Some(5), Some(7)]);

        let others = frame::Rows.frame_between_with_exclusion(
            frame::UnboundedPreceding,
            frame::UnboundedFollowing,
            frame::ExcludeCurrentRow,
        );
        let q = posts::table
            .select((
                count_star().window_filter(posts::published.eq(true)).over(),
                count(posts::id).window_order(posts::id).frame_by(others),
                max(posts::id).window_order(posts::id).frame_by(frame::Groups.frame_between(1.preceding(), 0.following())),
            ))
            .order(posts::id);
        assert_eq!(
            sql(&q),
            r#"SELECT COUNT(*) FILTER (WHERE "posts"."published" = ?) OVER (), COUNT("posts"."id") OVER (ORDER BY "posts"."id" ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING EXCLUDE CURRENT ROW), MAX("posts"."id") OVER (ORDER BY "posts"."id" GROUPS BETWEEN 1 PRECEDING AND 0 FOLLOWING) FROM "posts" ORDER BY "posts"."id""#
        );
        let rows: Vec<(i64, i64, Option<i32>)> = q.load(conn)?;
        assert_eq!(rows, [(3, 3, Some(1)), (3, 3, Some(2)), (3, 3, Some(3)), (3, 3, Some(4))]);
        Ok(())
    }

    fn a_window_over_groups(conn) {
        // Authors ranked by their number of posts: the window orders the groups by an aggregate.
        let q = posts::table
            .group_by(posts::user_id)
            .select((posts::user_id, count_star(), rank().window_order(count_star().desc())))
            .order(posts::user_id);
        assert_eq!(q.load::<(i32, i64, i64)>(conn)?, [(1, 2, 1), (2, 1, 2), (3, 1, 2)]);
        // The running share of all posts, over the groups.
        let running: Vec<Option<i64>> = posts::table
            .group_by(posts::user_id)
            .select(sum(count_star()).window_order(posts::user_id))
            .order(posts::user_id)
            .load(conn)?;
        assert_eq!(running, [Some(2), Some(3), Some(4)]);
        // The previous group's count: `lag` of an aggregate (a window function inside an aggregate or
        // another window function does not compile: ui `window`).
        let previous: Vec<Option<i64>> =
            posts::table.group_by(posts::user_id).select(lag(count_star()).window_order(posts::user_id)).order(posts::user_id).load(conn)?;
        assert_eq!(previous, [None, Some(2), Some(1)]);
        Ok(())
    }

    fn filtering_on_a_window_through_a_subquery_in_from(conn) {
        // Each author's newest post: number the posts in a subquery, keep number 1 outside it.
        let numbered_posts = posts::table.select((
            posts::id,
            posts::user_id,
            row_number().partition_by(posts::user_id).window_order(posts::id.desc()),
        ));
        let newest: Vec<i32> = numbered::table
            .from_query(numbered_posts)
            .filter(numbered::n.eq(1))
            .order(numbered::user_id)
            .select(numbered::id)
            .load(conn)?;
        assert_eq!(newest, [2, 3, 4]);
        Ok(())
    }
}
