//! The monthly analysis for the city offices (第七条′): issues common across streets in a month — by type and its
//! spread over streets, by community, repeated items at the same place, the largest unresolved themes — and its
//! Excel export.

use std::collections::BTreeMap;

use actix_web::{web, HttpResponse};
use serde::Deserialize;
use shared::dashboard::{Analysis, NamedCount, TypeSpread};
use shared::{ItemType, Outcome};

use crate::auth::AuthUser;
use crate::db::models::ItemRow;
use crate::db::{self, DbConn};
use crate::error::AppError;
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct AnalysisParams {
    /// The year; this month's when absent.
    pub year: Option<i32>,
    /// The month, 1–12.
    pub month: Option<u32>,
}

/// Groups item ids by a name, the largest groups first (then by name).
fn counted(groups: BTreeMap<String, Vec<String>>, at_least: usize) -> Vec<NamedCount> {
    let mut out: Vec<NamedCount> = groups
        .into_iter()
        .filter(|(_, ids)| ids.len() >= at_least)
        .map(|(name, item_ids)| NamedCount { name, count: item_ids.len() as i64, item_ids })
        .collect();
    out.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
    out
}

fn build(conn: &mut DbConn, state: &AppState, user: &AuthUser, year: i32, month: u32) -> Result<Analysis, AppError> {
    let (from, to) =
        crate::stats::month_bounds(state.tz, year, month).ok_or_else(|| AppError::field("month", "月份不正确"))?;
    let as_of = crate::stats::month_cutoff(state.tz, year, month, state.clock.now_naive());
    let rows = db::figures::items_arrived_between(conn, (from, to), None, as_of)?;
    let mut unit_ids: Vec<i64> = rows.iter().flat_map(|r| [r.street_id, r.community_id, r.place_id]).collect();
    unit_ids.sort_unstable();
    unit_ids.dedup();
    let units = db::org::by_ids(conn, &unit_ids)?;
    let names = db::org::full_names(conn, &units)?;
    let name = |id: i64| names.get(&id).cloned().unwrap_or_default();

    let mut by_type = Vec::new();
    for t in ItemType::ALL {
        let of_type: Vec<&ItemRow> = rows.iter().filter(|r| r.item_type == *t).collect();
        if of_type.is_empty() {
            continue;
        }
        let mut per_street: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for r in &of_type {
            per_street.entry(name(r.street_id)).or_default().push(r.id.clone());
        }
        by_type.push(TypeSpread {
            item_type: *t,
            total: of_type.len() as i64,
            streets: per_street.len() as i64,
            per_street: counted(per_street, 1),
        });
    }
    by_type.sort_by(|a, b| b.total.cmp(&a.total).then(b.streets.cmp(&a.streets)));

    let mut by_community: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut by_place: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut unresolved: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for r in &rows {
        by_community.entry(name(r.community_id)).or_default().push(r.id.clone());
        if r.place_id != r.community_id {
            by_place.entry(name(r.place_id)).or_default().push(r.id.clone());
        }
        let solved = r.outcome.is_some_and(|o| o != Outcome::Unsolvable);
        if !solved {
            unresolved.entry(r.item_type.label().to_string()).or_default().push(r.id.clone());
        }
    }
    let today = chrono::TimeZone::from_utc_datetime(&state.tz, &state.clock.now_naive()).date_naive();
    let judgement = match db::judgements::of_month(conn, year, month)? {
        Some(row) => Some(crate::views::judgement::judgement_dto(conn, user, &row, today)?),
        None => None,
    };
    Ok(Analysis {
        judgement,
        year,
        month,
        total: rows.len() as i64,
        by_type,
        by_community: counted(by_community, 1),
        repeated_places: counted(by_place, 2),
        unresolved_themes: counted(unresolved, 1),
    })
}

/// The month's analysis across the city.
#[utoipa::path(get, path = "/api/analysis", tag = "stats", security(("bearer" = [])), params(AnalysisParams),
    responses((status = 200, body = Analysis), (status = 403, body = shared::ApiError), (status = 422, body = shared::ApiError)))]
pub async fn analysis(
    state: web::Data<AppState>,
    user: AuthUser,
    p: web::Query<AnalysisParams>,
) -> Result<web::Json<Analysis>, AppError> {
    if !user.reads_city_figures() {
        return Err(AppError::forbidden());
    }
    let (year, month) = crate::stats::month_param(state.tz, state.clock.now_naive(), p.year, p.month)?;
    let st = state.clone();
    state.db.read(move |conn| build(conn, &st, &user, year, month)).await.map(web::Json)
}

/// The analysis as an .xlsx: one sheet each for types, communities, repeated places and unresolved themes.
#[utoipa::path(get, path = "/api/analysis/export", tag = "stats", security(("bearer" = [])), params(AnalysisParams),
    responses((status = 200, description = "an .xlsx file"), (status = 403, body = shared::ApiError)))]
pub async fn export(
    state: web::Data<AppState>,
    user: AuthUser,
    p: web::Query<AnalysisParams>,
) -> Result<HttpResponse, AppError> {
    if !user.reads_city_figures() {
        return Err(AppError::forbidden());
    }
    let (year, month) = crate::stats::month_param(state.tz, state.clock.now_naive(), p.year, p.month)?;
    let st = state.clone();
    let a = state.db.read(move |conn| build(conn, &st, &user, year, month)).await?;
    let bytes = workbook(&a).map_err(|e| AppError::Internal(anyhow::anyhow!("export: {e}")))?;
    Ok(HttpResponse::Ok()
        .content_type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"minqing-analysis-{year}-{month:02}.xlsx\""),
        ))
        .body(bytes))
}

fn workbook(a: &Analysis) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut wb = Workbook::new();
    let head = Format::new().set_bold();
    let ws = wb.add_worksheet();
    ws.set_name("按类型")?;
    for (c, h) in ["类型", "件数", "涉及街道数", "各街道"].iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &head)?;
    }
    for (i, t) in a.by_type.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_string(r, 0, t.item_type.label())?;
        ws.write_number(r, 1, t.total as f64)?;
        ws.write_number(r, 2, t.streets as f64)?;
        let spread: Vec<String> = t.per_street.iter().map(|s| format!("{} {}件", s.name, s.count)).collect();
        ws.write_string(r, 3, spread.join("；"))?;
    }
    for (sheet, first, list) in [
        ("按社区", "社区", &a.by_community),
        ("同一地点多次反映", "地点", &a.repeated_places),
        ("尚未解决的主要问题", "类型", &a.unresolved_themes),
    ] {
        let ws = wb.add_worksheet();
        ws.set_name(sheet)?;
        ws.write_string_with_format(0, 0, first, &head)?;
        ws.write_string_with_format(0, 1, "件数", &head)?;
        for (i, n) in list.iter().enumerate() {
            ws.write_string(i as u32 + 1, 0, &n.name)?;
            ws.write_number(i as u32 + 1, 1, n.count as f64)?;
        }
    }
    if let Some(j) = &a.judgement {
        let ws = wb.add_worksheet();
        ws.set_name("研判与措施")?;
        ws.write_string_with_format(0, 0, "风险研判", &head)?;
        ws.write_string(0, 1, &j.risks)?;
        for (c, h) in ["措施", "牵头单位", "完成时限", "落实情况"].iter().enumerate() {
            ws.write_string_with_format(2, c as u16, *h, &head)?;
        }
        for (i, m) in j.measures.iter().enumerate() {
            let r = i as u32 + 3;
            ws.write_string(r, 0, &m.measure)?;
            ws.write_string(r, 1, &m.holder.name)?;
            ws.write_string(r, 2, m.due_on.format("%Y-%m-%d").to_string())?;
            ws.write_string(r, 3, m.outcome.as_deref().unwrap_or(if m.overdue { "逾期未落实" } else { "" }))?;
        }
    }
    wb.save_to_buffer()
}
