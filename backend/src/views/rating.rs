//! Ratings as the API shows them: the three answers, the "not solved" mark, and how long the rating may change.

use chrono::{Duration, NaiveDateTime};
use shared::voice::{Rate, Rating, RATING_EDIT_DAYS};

use crate::db::models::RatingRow;
use crate::db::{self, DbConn};
use crate::error::AppError;
use crate::views::utc;

pub fn rate_of(r: &RatingRow) -> Rate {
    Rate {
        timely: r.timely,
        attitude: r.attitude,
        result: r.result,
        not_solved: r.not_solved,
        comment: r.comment.clone(),
    }
}

/// A rating as shown, with how long it may be changed.
pub fn rating_dto(r: &RatingRow, editable_until: NaiveDateTime) -> Rating {
    Rating {
        rate: rate_of(r),
        created_at: utc(r.created_at),
        updated_at: utc(r.updated_at),
        editable_until: utc(editable_until),
    }
}

/// The resident's rating of an item, as staff see it on the item.
pub fn rating_of_item(conn: &mut DbConn, item_id: &str) -> Result<Option<Rating>, AppError> {
    Ok(db::voice::rating_of_item(conn, item_id)?.map(|r| {
        let until = r.created_at + Duration::days(RATING_EDIT_DAYS);
        rating_dto(&r, until)
    }))
}
