//! Telling people outside the app: messages to the hooks of a place (WeCom, DingTalk, a JSON webhook), written to
//! the persisted outbox in the same transaction as the change that caused them, and the direct line (直报, 第三条):
//! a major item is reported at once to the city leaders and its street's leaders, in the app and through every hook
//! of the city and the street.

use chrono::NaiveDateTime;
use diesel::QueryResult;
use shared::Level;

use crate::db::models::ItemRow;
use crate::db::{self, DbConn};
use crate::error::AppError;

/// A message for people, in Chinese, with a link into the app.
#[derive(Debug, Clone)]
pub struct Message {
    /// What it is about, e.g. "direct_report", "dispatch", "reminder".
    pub topic: &'static str,
    pub title: String,
    pub body: String,
    pub link: String,
}

/// Where links in messages point: the app's public address, e.g. `https://minqing.meihekou.gov.cn`.
#[derive(Debug, Clone)]
pub struct Links {
    pub base: String,
    pub tz: chrono_tz::Tz,
}

impl Links {
    pub fn item(&self, id: &str) -> String {
        format!("{}/items/{id}", self.base.trim_end_matches('/'))
    }

    pub fn local_time(&self, t: NaiveDateTime) -> String {
        chrono::TimeZone::from_utc_datetime(&self.tz, &t).format("%Y-%m-%d %H:%M").to_string()
    }
}

/// Queues the message for every active hook of the place; returns how many were queued.
pub fn enqueue(
    conn: &mut DbConn,
    unit_id: i64,
    item_id: Option<&str>,
    msg: &Message,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    let hook_ids = db::hooks::active_of_unit(conn, unit_id)?;
    for hook_id in &hook_ids {
        let message = db::hooks::NewMessage {
            hook_id: *hook_id,
            item_id,
            topic: msg.topic,
            title: &msg.title,
            body: &msg.body,
            link: &msg.link,
            now,
        };
        db::hooks::queue(conn, &message)?;
    }
    Ok(hook_ids.len())
}

/// The first `n` characters of a text, with an ellipsis when cut.
pub fn excerpt(text: &str, n: usize) -> String {
    let mut out: String = text.chars().take(n).collect();
    if text.chars().count() > n {
        out.push('…');
    }
    out
}

/// "新华街道 / 和平社区 / …": where an item is, for messages.
fn place_of(conn: &mut DbConn, item: &ItemRow) -> Result<String, AppError> {
    let place = db::org::get(conn, item.place_id)?;
    Ok(db::org::full_name(conn, &place)?)
}

/// The direct line (第三条, 第七条4): when an item is major, each city leader and each leader of its street gets a
/// direct report in the app (once per item), and every hook of the city and the street gets the message.
/// Does nothing for a general item, or for one already reported.
pub fn report_major(conn: &mut DbConn, links: &Links, item: &ItemRow, now: NaiveDateTime) -> Result<(), AppError> {
    if item.level != Level::Major {
        return Ok(());
    }
    let leaders = db::journey::leaders_of(conn, item)?;
    let already = !db::journey::direct_reports_of(conn, &item.id)?.is_empty();
    db::journey::add_direct_reports(conn, &item.id, &leaders, now)?;
    if already {
        return Ok(());
    }
    let collector = db::accounts::get(conn, item.collector_id)?;
    let item_type = item.item_type.label();
    let msg = Message {
        topic: "direct_report",
        title: "【民情直报】重大民情".into(),
        body: format!(
            "地点：{}\n类型：{item_type}（重大性）\n内容：{}\n收集人：{}，{}",
            place_of(conn, item)?,
            excerpt(&item.content, 120),
            collector.display_name,
            links.local_time(item.collected_at),
        ),
        link: links.item(&item.id),
    };
    if let Some(city) = db::org::city(conn)? {
        enqueue(conn, city.id, Some(&item.id), &msg, now)?;
    }
    enqueue(conn, item.street_id, Some(&item.id), &msg, now)?;
    Ok(())
}

/// A message about an item to one place's hooks (a dispatch to a department, a sheet returned to the street).
pub fn tell_unit(
    conn: &mut DbConn,
    links: &Links,
    unit_id: i64,
    item: &ItemRow,
    topic: &'static str,
    title: String,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    let item_type = item.item_type.label();
    let level = item.level.label();
    let msg = Message {
        topic,
        title,
        body: format!(
            "反馈单：{}\n地点：{}\n类型：{item_type}（{level}）\n内容：{}",
            item.sheet_no.as_deref().unwrap_or("—"),
            place_of(conn, item)?,
            excerpt(&item.content, 120),
        ),
        link: links.item(&item.id),
    };
    enqueue(conn, unit_id, Some(&item.id), &msg, now)?;
    Ok(())
}
