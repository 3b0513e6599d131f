//! The monthly statistics table 《民情办理情况统计表》 (附件3) per street and month, or for the whole city: the figures
//! of `crate::stats` with the items behind each number, and its Excel export in 附件3's columns.

use actix_web::{web, HttpResponse};
use chrono::TimeZone;
use serde::Deserialize;
use shared::dto::UnitRef;
use shared::stats::{completion_rate, percent, Figure, StatsRow, StatsTable, STATS_DEFINITIONS};
use shared::voice::satisfaction_rate;
use shared::OrgKind;

use crate::auth::AuthUser;
use crate::db::{self, DbConn};
use crate::error::AppError;
use crate::state::AppState;
use crate::stats::UnitFigures;
use crate::views::utc;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct MonthParams {
    /// The year; this month's when absent.
    pub year: Option<i32>,
    /// The month, 1–12.
    pub month: Option<u32>,
    /// The street; absent for the whole city (city roles), or the account's own street.
    pub street_id: Option<i64>,
}

fn figure(ids: &[String]) -> Figure {
    Figure { count: ids.len() as i64, item_ids: ids.to_vec() }
}

fn row(seq: i64, unit: Option<UnitRef>, f: &UnitFigures) -> StatsRow {
    let (s, b, d) = f.answers;
    StatsRow {
        seq,
        unit,
        received: figure(&f.received),
        on_time: figure(&f.on_time),
        in_progress: figure(&f.in_progress),
        completion_rate: completion_rate(f.received.len() as i64, f.on_time.len() as i64, f.in_progress.len() as i64),
        not_in_10_days: figure(&f.not_in_10_days),
        solved_after_coordination: figure(&f.solved_after_coordination),
        unsolved_after_coordination: figure(&f.unsolved_after_coordination),
        satisfaction: satisfaction_rate(s, b, d),
        answers: s + b + d,
    }
}

/// Which street the account may see (None: the city), from the request.
fn street_for(user: &AuthUser, asked: Option<i64>) -> Result<Option<i64>, AppError> {
    let city_wide = user.roles.iter().any(|b| b.unit.kind == OrgKind::City);
    let own: Vec<i64> = user.roles.iter().filter(|b| b.unit.kind == OrgKind::Street).map(|b| b.unit.id).collect();
    match asked {
        Some(s) if city_wide || own.contains(&s) => Ok(Some(s)),
        Some(_) => Err(AppError::forbidden()),
        None if city_wide => Ok(None),
        None => own.first().copied().map(Some).ok_or_else(AppError::forbidden),
    }
}

fn table(conn: &mut DbConn, state: &AppState, p: &MonthParams, street: Option<i64>) -> Result<StatsTable, AppError> {
    let now = state.clock.now_naive();
    let (year, month) = crate::stats::month_param(state.tz, now, p.year, p.month)?;
    let street_unit = match street {
        Some(s) => {
            let u = db::org::get(conn, s).map_err(|_| AppError::field("street_id", "街道不存在"))?;
            if u.kind != OrgKind::Street {
                return Err(AppError::field("street_id", "请选择街道"));
            }
            Some(u)
        }
        None => None,
    };
    let (units, total) = crate::stats::monthly(conn, state.tz, year, month, street, now)?;
    let ids: Vec<i64> = units.keys().copied().collect();
    let mut depts = db::org::by_ids(conn, &ids)?;
    depts.sort_by_key(|d| d.id);
    let rows = depts
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let unit = UnitRef { id: d.id, kind: d.kind, name: d.name.clone(), full_name: d.name.clone() };
            row(i as i64 + 1, Some(unit), &units[&d.id])
        })
        .collect();
    let place = street_unit.as_ref().map_or_else(|| state.settings.city_name.clone(), |u| u.name.clone());
    Ok(StatsTable {
        street: street_unit.map(|u| UnitRef { id: u.id, kind: u.kind, full_name: u.name.clone(), name: u.name }),
        year,
        month,
        title: format!("{place}民情办理情况统计表（{year}年{month}月）"),
        as_of: utc(crate::stats::month_cutoff(state.tz, year, month, now)),
        rows,
        total: row(0, None, &total),
        definitions: STATS_DEFINITIONS.iter().map(|s| s.to_string()).collect(),
        late: crate::stats::late::late_lines(conn, state.tz, (year, month), street, now)?,
    })
}

/// 附件3 for a street and month (or the whole city): one row per department that accepted items that month.
#[utoipa::path(get, path = "/api/stats/monthly", tag = "stats", security(("bearer" = [])), params(MonthParams),
    responses((status = 200, body = StatsTable), (status = 403, body = shared::ApiError), (status = 422, body = shared::ApiError)))]
pub async fn monthly(
    state: web::Data<AppState>,
    user: AuthUser,
    p: web::Query<MonthParams>,
) -> Result<web::Json<StatsTable>, AppError> {
    let p = p.into_inner();
    let street = street_for(&user, p.street_id)?;
    let st = state.clone();
    state.db.read(move |conn| table(conn, &st, &p, street)).await.map(web::Json)
}

/// The same table as an .xlsx laid out like 附件3: title, header, rows, 合计, 备注.
#[utoipa::path(get, path = "/api/stats/monthly/export", tag = "stats", security(("bearer" = [])), params(MonthParams),
    responses((status = 200, description = "an .xlsx file", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
              (status = 403, body = shared::ApiError)))]
pub async fn export(
    state: web::Data<AppState>,
    user: AuthUser,
    p: web::Query<MonthParams>,
) -> Result<HttpResponse, AppError> {
    let p = p.into_inner();
    let street = street_for(&user, p.street_id)?;
    let st = state.clone();
    let t = state.db.read(move |conn| table(conn, &st, &p, street)).await?;
    let bytes = workbook(&t, state.tz).map_err(|e| AppError::Internal(anyhow::anyhow!("export: {e}")))?;
    Ok(HttpResponse::Ok()
        .content_type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"minqing-stats-{}-{:02}.xlsx\"", t.year, t.month),
        ))
        .body(bytes))
}

/// 附件3's columns, in its order.
pub const COLUMNS: &[&str] = &[
    "序号",
    "责任单位",
    "民情接单数量",
    "按时办结数量",
    "正在处理数量",
    "办结率",
    "10日内未办结数量",
    "10日内未办结经沟通已办结数量",
    "10日内未办结经沟通未办结数量",
    "测评满意率",
];

fn workbook(t: &StatsTable, tz: chrono_tz::Tz) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook};
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("民情办理情况统计表")?;
    let title = Format::new().set_bold().set_font_size(16).set_align(FormatAlign::Center);
    let head = Format::new().set_bold().set_border(FormatBorder::Thin).set_align(FormatAlign::Center).set_text_wrap();
    let cell = Format::new().set_border(FormatBorder::Thin).set_align(FormatAlign::Center);
    let last = COLUMNS.len() as u16 - 1;
    ws.merge_range(0, 0, 0, last, &t.title, &title)?;
    for (i, c) in COLUMNS.iter().enumerate() {
        ws.write_string_with_format(1, i as u16, *c, &head)?;
        ws.set_column_width(i as u16, if i == 1 { 24 } else { 14 })?;
    }
    let mut r = 2u32;
    for row in t.rows.iter().chain(std::iter::once(&t.total)) {
        let name = row.unit.as_ref().map_or("合计", |u| u.name.as_str());
        if row.seq > 0 {
            ws.write_number_with_format(r, 0, row.seq as f64, &cell)?;
        } else {
            ws.write_string_with_format(r, 0, "", &cell)?;
        }
        ws.write_string_with_format(r, 1, name, &cell)?;
        ws.write_number_with_format(r, 2, row.received.count as f64, &cell)?;
        ws.write_number_with_format(r, 3, row.on_time.count as f64, &cell)?;
        ws.write_number_with_format(r, 4, row.in_progress.count as f64, &cell)?;
        ws.write_string_with_format(r, 5, percent(row.completion_rate), &cell)?;
        ws.write_number_with_format(r, 6, row.not_in_10_days.count as f64, &cell)?;
        ws.write_number_with_format(r, 7, row.solved_after_coordination.count as f64, &cell)?;
        ws.write_number_with_format(r, 8, row.unsolved_after_coordination.count as f64, &cell)?;
        ws.write_string_with_format(r, 9, percent(row.satisfaction), &cell)?;
        r += 1;
    }
    ws.merge_range(r, 0, r, last, "备注：1.办结率=按时办结数量÷（民情接单数量-正在处理数量）", &Format::new())?;
    ws.write_string(
        r + 1,
        0,
        format!("统计时间：{}", tz.from_utc_datetime(&t.as_of.naive_utc()).format("%Y-%m-%d %H:%M")),
    )?;
    if !t.late.is_empty() {
        ws.write_string(r + 3, 0, "结账后补记（不改动上表数字）：")?;
        for (i, line) in t.late.iter().enumerate() {
            let at = tz.from_utc_datetime(&line.at.naive_utc()).format("%Y-%m-%d %H:%M").to_string();
            ws.write_string(r + 4 + i as u32, 0, at)?;
            ws.write_string(r + 4 + i as u32, 1, &line.item_id)?;
            ws.write_string(r + 4 + i as u32, 2, &line.what)?;
        }
    }
    wb.save_to_buffer()
}
