//! The monthly report (专报, 第七条3) as drafted on the 1st: its due day, the figures of section 一 from the month's
//! items and ratings, and sections 一 and 二 in the words the street sends the city's leaders.

use std::collections::BTreeSet;

use chrono::{Datelike, Duration, NaiveDateTime, TimeZone};
use shared::stats::{completion_rate, percent, ReportFigures};
use shared::voice::{satisfaction_rate, Answer};
use shared::{OrgKind, Outcome};

use crate::db::models::{ItemRow, RatingRow, UnitRow};
use crate::db::{self, DbConn};
use crate::error::AppError;
use crate::notify::excerpt;
use crate::state::AppState;

/// The report is due at the end of the 5th of the month after the one reported (city time).
pub fn due_at(tz: chrono_tz::Tz, year: i32, month: u32) -> Option<NaiveDateTime> {
    let (_, next) = crate::stats::month_days(year, month)?;
    Some(crate::stats::day_start(tz, next + Duration::days(5)))
}

/// The figures of a month, its unsolved items, and its dissatisfied items with their ratings.
type Drafted = (ReportFigures, Vec<ItemRow>, Vec<(ItemRow, RatingRow)>);

/// The figures of section 一, from the month's items and ratings and the 附件3 query layer.
pub fn figures(
    conn: &mut DbConn,
    tz: chrono_tz::Tz,
    street_id: i64,
    year: i32,
    month: u32,
    now: NaiveDateTime,
) -> Result<Drafted, AppError> {
    let (first, next) = crate::stats::month_days(year, month).ok_or_else(|| AppError::field("month", "月份不正确"))?;
    let (from, to) = (crate::stats::day_start(tz, first), crate::stats::day_start(tz, next));
    // A closed month is counted as of its end, as its 附件3 is (`stats::month_cutoff`).
    let as_of = crate::stats::month_cutoff(tz, year, month, now);
    let month_items = db::figures::items_arrived_between(conn, (from, to), Some(street_id), as_of)?;
    let count = |o: &[Outcome]| month_items.iter().filter(|i| i.outcome.is_some_and(|x| o.contains(&x))).count() as i64;
    let solved_locally = count(&[Outcome::SolvedLocally]);
    let solved_with_departments = count(&[Outcome::SolvedByDeptIn10Days, Outcome::SolvedAfterCoordination]);
    let unsolved_items: Vec<ItemRow> =
        month_items.iter().filter(|i| i.outcome == Some(Outcome::Unsolvable)).cloned().collect();
    let types =
        |list: &mut dyn Iterator<Item = &ItemRow>| list.map(|i| i.item_type).collect::<BTreeSet<_>>().len() as i64;

    let (units, total) = crate::stats::monthly(conn, tz, year, month, Some(street_id), now)?;
    let dept_ids: Vec<i64> = units.keys().copied().collect();
    let depts = db::org::by_ids(conn, &dept_ids)?;
    let name = |id: i64| depts.iter().find(|d| d.id == id).map(|d| d.name.clone()).unwrap_or_default();
    let rate_of = |f: &crate::stats::UnitFigures| {
        let (s, b, d) = f.answers;
        satisfaction_rate(s, b, d)
    };
    let above_90 = units.iter().filter(|(_, f)| rate_of(f).is_some_and(|r| r > 0.9)).map(|(id, _)| name(*id)).collect();
    let below_50 = units.iter().filter(|(_, f)| rate_of(f).is_some_and(|r| r < 0.5)).map(|(id, _)| name(*id)).collect();
    let unsolved_departments: Vec<String> = {
        let ids: BTreeSet<i64> = unsolved_items.iter().filter_map(|i| i.department_id).collect();
        let units: Vec<UnitRow> = db::org::by_ids(conn, &ids.into_iter().collect::<Vec<_>>())?;
        units.into_iter().map(|u| u.name).collect()
    };

    let last = next - Duration::days(1);
    let month_ratings = db::figures::ratings_between(conn, (first, last), Some(street_id), as_of)?;
    let mut counts = (0, 0, 0);
    for r in &month_ratings {
        crate::stats::tally(&mut counts, r.answers());
    }
    let mut dissatisfied: Vec<(ItemRow, RatingRow)> = Vec::new();
    for r in month_ratings.iter().filter(|r| r.item_id.is_some()) {
        if r.not_solved || r.answers().contains(&Answer::Dissatisfied) {
            if let Some(item) = db::items::get(conn, r.item_id.as_deref().unwrap_or_default())? {
                dissatisfied.push((item, r.clone()));
            }
        }
    }
    let f = ReportFigures {
        types: types(&mut month_items.iter()),
        collected: month_items.len() as i64,
        solved: solved_locally + solved_with_departments,
        in_progress: month_items.len() as i64 - solved_locally - solved_with_departments - unsolved_items.len() as i64,
        unsolved: unsolved_items.len() as i64,
        solved_locally,
        solved_with_departments,
        completion_rate: completion_rate(
            total.received.len() as i64,
            total.on_time.len() as i64,
            total.in_progress.len() as i64,
        ),
        satisfaction: satisfaction_rate(counts.0, counts.1, counts.2),
        unsolved_types: types(&mut unsolved_items.iter()),
        unsolved_departments,
        above_90,
        below_50,
        dissatisfied_types: types(&mut dissatisfied.iter().map(|(i, _)| i)),
        dissatisfied_items: dissatisfied.len() as i64,
    };
    Ok((f, unsolved_items, dissatisfied))
}

/// "有A、B", or "暂无" for none, to complete "涉及部门单位…" and "…的单位…".
fn has(list: &[String]) -> String {
    if list.is_empty() {
        "暂无".into()
    } else {
        format!("有{}", list.join("、"))
    }
}

/// Section 一 in 附件4's sentence.
pub fn section1(street: &str, month: u32, f: &ReportFigures) -> String {
    format!(
        "截止本月5日，{street}{month}月共收集民情事项{}类、{}件，已解决落实{}件，正在解决中{}件，目前尚未解决{}件，其中街道社区自己解决{}件，经与部门单位沟通解决{}件。民情事项办结率达到{}，群众满意率达到{}。尚未解决事项涉及{}类问题，涉及部门单位{}。本月对各部门单位满意度测评结果高于90%的单位{}，满意度测评结果低于50%的单位{}，不满意的事项涉及{}类、{}件。",
        f.types,
        f.collected,
        f.solved,
        f.in_progress,
        f.unsolved,
        f.solved_locally,
        f.solved_with_departments,
        percent(f.completion_rate),
        percent(f.satisfaction),
        f.unsolved_types,
        has(&f.unsolved_departments),
        has(&f.above_90),
        has(&f.below_50),
        f.dissatisfied_types,
        f.dissatisfied_items,
    )
}

/// Section 二: the unsolved and dissatisfied items, each with its reason, for the street to complete.
fn section2(
    conn: &mut DbConn,
    unsolved: &[ItemRow],
    dissatisfied: &[(ItemRow, RatingRow)],
) -> Result<String, AppError> {
    let mut lines = Vec::new();
    for item in unsolved {
        let d = db::journey::current_dispatch(conn, &item.id)?;
        let reason = d.as_ref().and_then(|d| d.unsolved_reason.clone()).unwrap_or_else(|| "（待填写）".into());
        let counter = d.and_then(|d| d.countermeasures).unwrap_or_else(|| "（待填写）".into());
        let t = item.item_type.label();
        lines.push(format!(
            "{}.【{t}】{}（涉及事项）；未办结原因：{reason}；建议对策：{counter}；可能产生的社会影响：（待填写）",
            lines.len() + 1,
            excerpt(&item.content, 80)
        ));
    }
    for (item, r) in dissatisfied {
        let t = item.item_type.label();
        let what = if r.not_solved { "居民反映问题没有解决" } else { "居民评价不满意" };
        let comment = r.comment.as_deref().map(|c| format!("，居民意见：{c}")).unwrap_or_default();
        lines.push(format!("{}.【{t}】{}（{what}{comment}）", lines.len() + 1, excerpt(&item.content, 80)));
    }
    Ok(if lines.is_empty() { "本月无尚未解决或群众不满意的事项。".into() } else { lines.join("\n") })
}

/// Drafts the report of a street for a month if there is none yet; returns its id and whether this call made it. Safe with several instances: the
/// (street, year, month) key is unique and a second insert is rolled back to its savepoint.
pub fn draft(
    conn: &mut DbConn,
    tz: chrono_tz::Tz,
    street: &UnitRow,
    year: i32,
    month: u32,
    now: NaiveDateTime,
) -> Result<(i64, bool), AppError> {
    if let Some(id) = db::reports::of_month(conn, street.id, year, month)? {
        return Ok((id, false));
    }
    let (f, unsolved, dissatisfied) = figures(conn, tz, street.id, year, month, now)?;
    let s1 = section1(&street.name, month, &f);
    let s2 = section2(conn, &unsolved, &dissatisfied)?;
    let figures_json = serde_json::to_string(&f).map_err(|e| AppError::Internal(e.into()))?;
    // 第N期 is the street's next number in the report's year, in the order reports are drafted: a back-filled month
    // gets the next number, and a number once given never changes. Two instances drafting two months at once both
    // reach for the same number; the unique (street, year, number) key refuses the second, which takes the next.
    for _ in 0..3 {
        let number = db::reports::last_number(conn, street.id, year)?.unwrap_or(0) + 1;
        let draft = db::reports::Draft {
            street_id: street.id,
            year,
            month,
            number,
            sections: (&s1, &s2),
            figures_json: &figures_json,
            at: now,
        };
        let inserted = db::reports::insert_draft(conn, &draft);
        match inserted {
            Ok(id) => return Ok((id, true)),
            Err(diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)) => {
                if let Some(id) = db::reports::of_month(conn, street.id, year, month)? {
                    return Ok((id, false));
                }
            }
            Err(e) => return Err(e.into()),
        }
    }
    Err(AppError::conflict("专报正在由其他实例生成，请稍后再试"))
}

/// The job: from the 1st, the previous month's draft of every active street.
pub async fn draft_previous_month(state: &AppState) -> Result<usize, AppError> {
    let now = state.clock.now_naive();
    let today = state.tz.from_utc_datetime(&now).date_naive();
    let (year, month) = if today.month() == 1 { (today.year() - 1, 12) } else { (today.year(), today.month() - 1) };
    let tz = state.tz;
    state
        .db
        .write(move |conn| {
            let streets = db::org::active_of_kind(conn, OrgKind::Street)?;
            let mut made = 0;
            for s in &streets {
                if draft(conn, tz, s, year, month, now)?.1 {
                    made += 1;
                }
            }
            Ok(made)
        })
        .await
}
