//! The late lines of a closed month: what was recorded after the month's end about it (an item noted in it that
//! arrived later, a 更正 of one of its items, a changed rating). They are listed beside the closed figures, dated,
//! and never change them.

use chrono::{NaiveDateTime, TimeZone};
use shared::item::FieldChange;
use shared::stats::LateLine;
use shared::voice::Answer;

use crate::db::{as_of, figures, DbConn};
use crate::views::utc;

/// The month's late lines (of one street, when given), oldest first; none while the month is still open.
pub fn late_lines(
    conn: &mut DbConn,
    tz: chrono_tz::Tz,
    (year, month): (i32, u32),
    street_id: Option<i64>,
    now: NaiveDateTime,
) -> diesel::QueryResult<Vec<LateLine>> {
    let Some((from, to)) = super::month_bounds(tz, year, month) else { return Ok(Vec::new()) };
    let Some((first, next)) = super::month_days(year, month) else { return Ok(Vec::new()) };
    if now <= to {
        return Ok(Vec::new());
    }
    let local = |t: NaiveDateTime| tz.from_utc_datetime(&t).format("%Y-%m-%d %H:%M").to_string();
    let mut lines = Vec::new();
    for item in as_of::noted_but_arrived_after(conn, (from, to), to, street_id)? {
        let (y, m) = super::month_of(tz, item.created_at);
        lines.push(LateLine {
            at: utc(item.created_at),
            item_id: item.id.clone(),
            what: format!("离线记录于{}，{}到达系统，计入{y}年{m}月", local(item.collected_at), local(item.created_at)),
        });
    }
    for (item_id, at, changes) in as_of::corrections_after(conn, (from, to), to, street_id)? {
        let changes: Vec<FieldChange> = serde_json::from_str(&changes).unwrap_or_default();
        let said: Vec<String> = changes
            .iter()
            .map(|c| match c.before.as_deref() {
                Some(before) => format!("{}由“{}”改为“{}”", c.label, before, c.after.as_deref().unwrap_or("")),
                None => format!("{}：{}", c.label, c.after.as_deref().unwrap_or("")),
            })
            .collect();
        lines.push(LateLine { at: utc(at), item_id, what: format!("更正：{}", said.join("；")) });
    }
    let last = next.pred_opt().unwrap_or(first);
    let changed: Vec<_> = figures::ratings_between(conn, (first, last), street_id, now)?
        .into_iter()
        .filter(|r| r.updated_at > to)
        .collect();
    let ids: Vec<i64> = changed.iter().map(|r| r.id).collect();
    for (rating_id, at, timely, attitude, result) in as_of::revisions_after(conn, &ids, to)? {
        let Some(r) = changed.iter().find(|r| r.id == rating_id) else { continue };
        let whose = match (&r.item_id, r.round_id) {
            (Some(_), _) => "居民评价",
            (None, Some(_)) => "每周测评",
            _ => "评价",
        };
        lines.push(LateLine {
            at: utc(at),
            item_id: r.item_id.clone().unwrap_or_default(),
            what: format!("{whose}改动（原为：{}），本月满意率仍按原评价计", answers([timely, attitude, result])),
        });
    }
    lines.sort_by(|a, b| a.at.cmp(&b.at).then_with(|| a.item_id.cmp(&b.item_id)));
    Ok(lines)
}

fn answers(a: [Answer; 3]) -> String {
    format!("是否及时{}，服务态度{}，处理结果{}", a[0].label(), a[1].label(), a[2].label())
}
