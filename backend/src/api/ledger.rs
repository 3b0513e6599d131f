//! The ledger 《民情直通车台账》 (附件1): the items in the account's scope with filters, keyset paging, my items,
//! and the Excel export with the seed's columns in the seed's order.

use std::collections::HashMap;

use actix_web::{web, HttpResponse};
use base64::Engine as _;
use chrono::{NaiveDate, NaiveDateTime, TimeZone};
use serde::Deserialize;
use shared::item::{mask_phone, ItemStatus, LedgerPage, LedgerRow};
use shared::{Channel, ItemType, Level, Outcome};

use crate::auth::AuthUser;
use crate::db::items::LedgerQuery;
use crate::db::models::{ItemRow, UnitRow};
use crate::db::{self, DbConn};
use crate::error::AppError;
use crate::state::AppState;

/// The most rows one export holds.
const EXPORT_MAX_ROWS: i64 = 100_000;

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct LedgerParams {
    /// First day, YYYY-MM-DD, in the city's time zone.
    pub from: Option<String>,
    /// Last day (inclusive), YYYY-MM-DD.
    pub to: Option<String>,
    /// 收集方式 code.
    pub channel: Option<String>,
    /// 类型 code.
    pub item_type: Option<String>,
    /// 级别 code.
    pub level: Option<String>,
    /// Status code.
    pub status: Option<String>,
    /// Only items under this street, community, station, grid or building.
    pub unit_id: Option<i64>,
    /// Only items collected by this account.
    pub collector_id: Option<i64>,
    /// true: only items whose current stage is past its due time.
    pub overdue: Option<bool>,
    /// Only these items (comma-separated ids, at most 500): the items behind a figure of the statistics.
    pub ids: Option<String>,
    /// From the previous page's `next_cursor`.
    pub cursor: Option<String>,
    /// Rows per page (1–200, default 50).
    pub limit: Option<i64>,
}

fn day_start(state: &AppState, field: &str, text: &str) -> Result<NaiveDateTime, AppError> {
    let date = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| AppError::field(field, "日期格式应为 2026-11-29"))?;
    let local = date.and_hms_opt(0, 0, 0).unwrap_or_default();
    Ok(state.tz.from_local_datetime(&local).earliest().map(|t| t.naive_utc()).unwrap_or(local))
}

fn code<T>(
    field: &str,
    value: &Option<String>,
    parse: fn(&str) -> Option<T>,
    code: fn(T) -> &'static str,
) -> Result<Option<String>, AppError> {
    match value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => parse(v)
            .map(|x| Some(code(x).to_string()))
            .ok_or_else(|| AppError::field(field, format!("无法识别的取值“{v}”"))),
    }
}

fn encode_cursor(row: &ItemRow) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!(
        "{}|{}",
        row.collected_at.and_utc().timestamp_micros(),
        row.id
    ))
}

fn decode_cursor(text: &str) -> Result<(NaiveDateTime, String), AppError> {
    let bad = || AppError::field("cursor", "翻页参数无效，请从第一页重新加载");
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(text).map_err(|_| bad())?;
    let raw = String::from_utf8(raw).map_err(|_| bad())?;
    let (micros, id) = raw.split_once('|').ok_or_else(bad)?;
    let at = chrono::DateTime::from_timestamp_micros(micros.parse().map_err(|_| bad())?).ok_or_else(bad)?;
    Ok((at.naive_utc(), id.to_string()))
}

/// Turns the parameters into a query over the account's scopes.
fn build_query(
    conn: &mut DbConn,
    state: &AppState,
    user: &AuthUser,
    p: &LedgerParams,
    limit: i64,
) -> Result<LedgerQuery, AppError> {
    let from = p.from.as_deref().filter(|s| !s.trim().is_empty()).map(|t| day_start(state, "from", t)).transpose()?;
    let to =
        p.to.as_deref()
            .filter(|s| !s.trim().is_empty())
            .map(|t| day_start(state, "to", t).map(|d| d + chrono::Duration::days(1)))
            .transpose()?;
    if let (Some(f), Some(t)) = (from, to) {
        if f >= t {
            return Err(AppError::field("to", "结束日期不能早于开始日期"));
        }
    }
    let within = match p.unit_id {
        None => None,
        Some(id) => match db::org::get(conn, id) {
            Ok(u) if user.can_see(&u) && db::items::under(&u).is_some() => Some(u),
            _ => return Err(AppError::field("unit_id", "该单位不存在或不在您的范围内")),
        },
    };
    Ok(LedgerQuery {
        scopes: user.roles.iter().map(|b| b.unit.clone()).collect(),
        within,
        from,
        to,
        channel: code("channel", &p.channel, Channel::parse, Channel::code)?,
        item_type: code("item_type", &p.item_type, ItemType::parse, ItemType::code)?,
        level: code("level", &p.level, Level::parse, Level::code)?,
        status: code("status", &p.status, ItemStatus::parse, ItemStatus::code)?,
        collector_id: p.collector_id,
        overdue_at: p.overdue.unwrap_or(false).then(|| state.clock.now_naive()),
        ids: match p.ids.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(list) => {
                let ids: Vec<String> =
                    list.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();
                if ids.len() > 500 {
                    return Err(AppError::field("ids", "一次最多查看500条"));
                }
                Some(ids)
            }
        },
        before: p.cursor.as_deref().filter(|c| !c.is_empty()).map(decode_cursor).transpose()?,
        limit,
    })
}

/// Ledger rows for the given items, with names looked up in a fixed number of queries.
fn rows(conn: &mut DbConn, items: &[ItemRow], now: NaiveDateTime) -> Result<Vec<LedgerRow>, AppError> {
    let ids: Vec<String> = items.iter().map(|i| i.id.clone()).collect();
    let collectors: Vec<i64> =
        items.iter().flat_map(|i| [Some(i.collector_id), i.told_by, i.building_leader_id]).flatten().collect();
    let names = db::items::names_of(conn, &collectors)?;
    let counts = db::items::photo_counts(conn, &ids)?;
    let mut unit_ids: Vec<i64> = items.iter().flat_map(|i| [i.place_id, i.community_id]).collect();
    unit_ids.sort_unstable();
    unit_ids.dedup();
    let units: Vec<UnitRow> = db::org::by_ids(conn, &unit_ids)?;
    let full = db::org::full_names(conn, &units)?;
    let unit_names: HashMap<i64, &str> = units.iter().map(|u| (u.id, u.name.as_str())).collect();
    Ok(items
        .iter()
        .map(|i| LedgerRow {
            id: i.id.clone(),
            seq: i.seq,
            collected_at: crate::views::utc(i.collected_at),
            collector: {
                let collector = names.get(&i.collector_id).cloned().unwrap_or_default();
                // A building leader who reported it to the grid leader is credited beside them.
                match i.building_leader_id.filter(|b| *b != i.collector_id).and_then(|b| names.get(&b)) {
                    Some(leader) => format!("{collector}（楼长{leader}）"),
                    None => collector,
                }
            },
            channel: i.channel,
            source: i.source,
            item_type: i.item_type,
            level: i.level,
            ledger: crate::views::item::ledger_fields_with(i, i.told_by.and_then(|id| names.get(&id).cloned())),
            status: i.status,
            community: unit_names.get(&i.community_id).map(|s| s.to_string()).unwrap_or_default(),
            place: full.get(&i.place_id).cloned().unwrap_or_default(),
            summary: i.content.chars().take(60).collect(),
            photo_count: counts.get(&i.id).copied().unwrap_or(0),
            stage_due_at: i.stage_due_at.map(crate::views::utc),
            overdue: crate::regulation::deadlines::overdue(i.stage_due_at, now),
        })
        .collect())
}

fn page(conn: &mut DbConn, q: &LedgerQuery, now: NaiveDateTime) -> Result<LedgerPage, AppError> {
    let (items, total) = q.run(conn)?;
    let next_cursor = (items.len() as i64 == q.limit).then(|| items.last().map(encode_cursor)).flatten();
    Ok(LedgerPage { rows: rows(conn, &items, now)?, next_cursor, total })
}

fn limit_of(p: &LedgerParams) -> Result<i64, AppError> {
    match p.limit {
        None => Ok(50),
        Some(n) if (1..=200).contains(&n) => Ok(n),
        Some(_) => Err(AppError::field("limit", "每页条数应在1到200之间")),
    }
}

/// The ledger within the account's scope, newest first.
#[utoipa::path(get, path = "/api/ledger", tag = "items", security(("bearer" = [])), params(LedgerParams),
    responses((status = 200, body = LedgerPage), (status = 422, body = shared::ApiError)))]
pub async fn list(
    state: web::Data<AppState>,
    user: AuthUser,
    p: web::Query<LedgerParams>,
) -> Result<web::Json<LedgerPage>, AppError> {
    let p = p.into_inner();
    let limit = limit_of(&p)?;
    let st = state.clone();
    state
        .db
        .read(move |conn| {
            let q = build_query(conn, &st, &user, &p, limit)?;
            page(conn, &q, st.clock.now_naive())
        })
        .await
        .map(web::Json)
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct MineParams {
    /// From the previous page's `next_cursor`.
    pub cursor: Option<String>,
    /// Rows per page (1–200, default 50).
    pub limit: Option<i64>,
}

/// The items I collected, newest first.
#[utoipa::path(get, path = "/api/items/mine", tag = "items", security(("bearer" = [])), params(MineParams),
    responses((status = 200, body = LedgerPage)))]
pub async fn mine(
    state: web::Data<AppState>,
    user: AuthUser,
    p: web::Query<MineParams>,
) -> Result<web::Json<LedgerPage>, AppError> {
    let p = p.into_inner();
    let limit = limit_of(&LedgerParams { limit: p.limit, ..Default::default() })?;
    let now = state.clock.now_naive();
    state
        .db
        .read(move |conn| {
            let city = db::org::city(conn)?.ok_or_else(|| AppError::Internal(anyhow::anyhow!("no city")))?;
            let q = LedgerQuery {
                scopes: vec![city],
                collector_id: Some(user.id()),
                before: p.cursor.as_deref().filter(|c| !c.is_empty()).map(decode_cursor).transpose()?,
                limit,
                ..Default::default()
            };
            page(conn, &q, now)
        })
        .await
        .map(web::Json)
}

/// The columns of 附件1 in its order; 办结情况 spans its four options.
pub const EXPORT_HEADERS: &[&str] = &[
    "序号",
    "收集时间",
    "收集人",
    "收集方式",
    "类型",
    "级别",
    "是否办结",
    "办结时间",
    "办结情况",
    "",
    "",
    "",
    "是否向居民反馈结果",
    "反馈时间",
    "反馈人",
    "社区",
    "地点",
    "居民",
    "联系电话",
    "收集内容",
];

/// The ledger as an Excel file, with the seed's header; the same filters as the list.
#[utoipa::path(get, path = "/api/ledger/export", tag = "items", security(("bearer" = [])), params(LedgerParams),
    responses((status = 200, description = "the workbook", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
              (status = 422, body = shared::ApiError)))]
pub async fn export(
    state: web::Data<AppState>,
    user: AuthUser,
    p: web::Query<LedgerParams>,
) -> Result<HttpResponse, AppError> {
    let p = LedgerParams { cursor: None, ..p.into_inner() };
    let st = state.clone();
    let bytes = state
        .db
        .read(move |conn| {
            let q = build_query(conn, &st, &user, &p, EXPORT_MAX_ROWS)?;
            let (items, _) = q.run(conn)?;
            let rows = rows(conn, &items, st.clock.now_naive())?;
            workbook(&st, &user, &items, &rows).map_err(|e| AppError::Internal(anyhow::anyhow!("export: {e}")))
        })
        .await?;
    Ok(HttpResponse::Ok()
        .content_type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        .insert_header(("Content-Disposition", "attachment; filename=\"minqing-ledger.xlsx\"; filename*=UTF-8''%E6%B0%91%E6%83%85%E7%9B%B4%E9%80%9A%E8%BD%A6%E5%8F%B0%E8%B4%A6.xlsx"))
        .body(bytes))
}

fn workbook(
    state: &AppState,
    user: &AuthUser,
    items: &[ItemRow],
    rows: &[LedgerRow],
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook};
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("民情直通车台账")?;
    let title = Format::new().set_bold().set_font_size(16).set_align(FormatAlign::Center);
    let head = Format::new().set_bold().set_border(FormatBorder::Thin).set_align(FormatAlign::Center).set_text_wrap();
    let cell = Format::new().set_border(FormatBorder::Thin).set_text_wrap();
    let last_col = (EXPORT_HEADERS.len() - 1) as u16;
    ws.merge_range(0, 0, 0, last_col, "民情直通车台账", &title)?;
    // Two header rows as in 附件1: 办结情况 over its four options, every other column spanning both rows.
    for (c, h) in EXPORT_HEADERS.iter().enumerate() {
        let c = c as u16;
        if (8..=11).contains(&c) {
            continue;
        }
        ws.merge_range(1, c, 2, c, h, &head)?;
    }
    ws.merge_range(1, 8, 1, 11, "办结情况（选项内打√）", &head)?;
    for (i, o) in Outcome::ALL.iter().enumerate() {
        ws.write_string_with_format(2, 8 + i as u16, o.label(), &head)?;
    }
    let fmt_time = |t: chrono::DateTime<chrono::Utc>| t.with_timezone(&state.tz).format("%Y-%m-%d %H:%M").to_string();
    for (r, (row, item)) in rows.iter().zip(items).enumerate() {
        let r = r as u32 + 3;
        let yes_no = |b: bool| if b { "是" } else { "否" };
        let ledger = &row.ledger;
        let values: Vec<String> = vec![
            row.seq.to_string(),
            fmt_time(row.collected_at),
            row.collector.clone(),
            match row.source {
                Some(source) => format!("{}（{}）", row.channel.label(), source.label()),
                None => row.channel.label().to_string(),
            },
            row.item_type.label().to_string(),
            row.level.label().to_string(),
            yes_no(ledger.closed).to_string(),
            ledger.closed_at.map(fmt_time).unwrap_or_default(),
        ];
        for (c, v) in values.iter().enumerate() {
            ws.write_string_with_format(r, c as u16, v, &cell)?;
        }
        for (i, o) in Outcome::ALL.iter().enumerate() {
            ws.write_string_with_format(r, 8 + i as u16, if ledger.outcome == Some(*o) { "√" } else { "" }, &cell)?;
        }
        let phone =
            item.resident_phone.as_deref().map(|p| if user.sees_phones() { p.to_string() } else { mask_phone(p) });
        let tail = [
            yes_no(ledger.resident_told).to_string(),
            ledger.told_at.map(fmt_time).unwrap_or_default(),
            ledger.told_by.clone().unwrap_or_default(),
            row.community.clone(),
            row.place.clone(),
            item.resident_name.clone().unwrap_or_default(),
            phone.unwrap_or_default(),
            item.content.clone(),
        ];
        for (i, v) in tail.iter().enumerate() {
            ws.write_string_with_format(r, 12 + i as u16, v, &cell)?;
        }
    }
    for (c, w) in [6, 17, 8, 9, 9, 7, 6, 17, 9, 9, 11, 11, 9, 17, 8, 10, 28, 8, 13, 50].iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    wb.save_to_buffer()
}
