//! The demo city (demo mode only, on an empty database) and the first administrator of a production install.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use shared::dto::RoleGrant;
use shared::{OrgKind, Role};

use crate::auth;
use crate::db::models::{NewUser, UnitRow, UserRow};
use crate::db::schema::users;
use crate::db::{self, DbConn};
use crate::error::AppError;

/// A station and its number of grids.
type DemoStation = (&'static str, u32);
/// A community and its stations.
type DemoCommunity = (&'static str, &'static [DemoStation]);

/// Streets → communities → stations → number of grids. Each grid gets three buildings.
const TREE: &[(&str, &[DemoCommunity])] = &[
    (
        "新华街道",
        &[
            ("和平社区", &[("和平社区第一党群服务站", 2), ("和平社区第二党群服务站", 1)]),
            ("光明社区", &[("光明社区党群服务站", 2)]),
        ],
    ),
    (
        "福民街道",
        &[
            ("福民社区", &[("福民社区党群服务站", 2)]),
            ("康宁社区", &[("康宁社区党群服务站", 1)]),
            ("民主社区", &[("民主社区党群服务站", 1)]),
        ],
    ),
    ("高新区", &[("创业社区", &[("创业社区党群服务站", 2)]), ("科技社区", &[("科技社区党群服务站", 1)])]),
];

/// One department at least for each type of 第五条.
pub const DEPARTMENTS: &[&str] = &[
    "市公用事业服务中心（供水供电供暖供气）",
    "市住房和城乡建设局",
    "市人力资源和社会保障局",
    "市生态环境局",
    "市应急管理局",
    "市交通运输局",
    "市教育局",
];

const GRID_NAMES: &[&str] = &["第一网格", "第二网格", "第三网格"];

/// The demo accounts: username, name, phone, role, and the place as names below the city.
pub const ACCOUNTS: &[(&str, &str, &str, Role, &[&str])] = &[
    ("admin", "系统管理员", "13800000000", Role::Admin, &[]),
    (
        "grid1",
        "王建华",
        "13800000001",
        Role::GridLeader,
        &["新华街道", "和平社区", "和平社区第一党群服务站", "第一网格"],
    ),
    (
        "louzhang1",
        "李秀英",
        "13800000002",
        Role::BuildingLeader,
        &["新华街道", "和平社区", "和平社区第一党群服务站", "第一网格", "1号楼"],
    ),
    ("station1", "张丽", "13800000003", Role::StationHead, &["新华街道", "和平社区", "和平社区第一党群服务站"]),
    ("community1", "刘伟", "13800000004", Role::CommunitySecretary, &["新华街道", "和平社区"]),
    ("dispatcher1", "陈静", "13800000005", Role::StreetDispatcher, &["新华街道"]),
    ("street1", "赵强", "13800000006", Role::StreetLeader, &["新华街道"]),
    ("dept1", "孙磊", "13800000007", Role::DeptHandler, &["市住房和城乡建设局"]),
    ("depthead1", "周明", "13800000008", Role::DeptHead, &["市住房和城乡建设局"]),
    ("leader1", "吴书记", "13800000009", Role::CityLeader, &[]),
    ("analyst1", "郑敏", "13800000010", Role::CityAnalyst, &[]),
    ("supervisor1", "冯刚", "13800000011", Role::Supervisor, &[]),
    ("grid2", "马丽娟", "13800000012", Role::GridLeader, &["福民街道", "福民社区", "福民社区党群服务站", "第一网格"]),
    ("station2", "黄海", "13800000013", Role::StationHead, &["福民街道", "福民社区", "福民社区党群服务站"]),
];

pub fn has_accounts(conn: &mut DbConn) -> Result<bool, AppError> {
    Ok(diesel::select(diesel::dsl::exists(users::table.select(users::id))).get_result(conn)?)
}

/// Loads the demo city under `city` with one account per role, all with the same password.
pub fn load(conn: &mut DbConn, city: &UnitRow, password: &str, now: NaiveDateTime) -> Result<(), AppError> {
    for (street, communities) in TREE {
        let street = db::org::insert(conn, OrgKind::Street, street, Some(city), now)?;
        for (community, stations) in *communities {
            let community = db::org::insert(conn, OrgKind::Community, community, Some(&street), now)?;
            for (station, grids) in *stations {
                let station = db::org::insert(conn, OrgKind::Station, station, Some(&community), now)?;
                for grid in GRID_NAMES.iter().take(*grids as usize) {
                    let grid = db::org::insert(conn, OrgKind::Grid, grid, Some(&station), now)?;
                    for b in 1..=3 {
                        db::org::insert(conn, OrgKind::Building, &format!("{b}号楼"), Some(&grid), now)?;
                    }
                }
            }
        }
    }
    for name in DEPARTMENTS {
        db::org::insert(conn, OrgKind::Department, name, Some(city), now)?;
    }
    // One hash for all demo accounts: hashing is deliberately slow and they share the password anyway.
    let hash = auth::hash_password(password)?;
    for (username, name, phone, role, place) in ACCOUNTS {
        let unit = find_by_names(conn, city, place)?;
        let user = insert_user(conn, username, name, Some(phone), &hash, false, now)?;
        db::accounts::add_role(conn, user.id, &RoleGrant { role: *role, unit_id: unit.id }, now)?;
    }
    load_registers(conn, city, now)?;
    tracing::info!("demo city loaded");
    Ok(())
}

/// The demo grid leader's three visit registers (第六条2), two entries each.
fn load_registers(conn: &mut DbConn, city: &UnitRow, now: NaiveDateTime) -> Result<(), AppError> {
    use crate::db::schema::visit_targets;
    let grid = find_by_names(conn, city, &["新华街道", "和平社区", "和平社区第一党群服务站", "第一网格"])?;
    let grid_leader: i64 = users::table.filter(users::username.eq("grid1")).select(users::id).first(conn)?;
    let entries = [
        ("special_group", "王秀兰（独居老人）", "1号楼2单元301"),
        ("special_group", "刘德顺（残疾人）", "3号楼1单元102"),
        ("many_demands", "赵桂芝", "2号楼3单元502"),
        ("many_demands", "孙志刚", "1号楼1单元201"),
        ("problem_compound", "幸福家园小区", "和平路18号"),
        ("problem_compound", "铁路老宿舍", "和平路32号"),
    ];
    for (register, name, address) in entries {
        diesel::insert_into(visit_targets::table)
            .values((
                visit_targets::grid_id.eq(grid.id),
                visit_targets::register.eq(register),
                visit_targets::name.eq(name),
                visit_targets::address.eq(Some(address)),
                visit_targets::active.eq(true),
                visit_targets::created_by.eq(grid_leader),
                visit_targets::created_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// A production install starts with one administrator who must change the password at first sign-in.
pub fn create_first_admin(
    conn: &mut DbConn,
    city: &UnitRow,
    password: &str,
    now: NaiveDateTime,
) -> Result<(), AppError> {
    let hash = auth::hash_password(password)?;
    let user = insert_user(conn, "admin", "系统管理员", None, &hash, true, now)?;
    db::accounts::add_role(conn, user.id, &RoleGrant { role: Role::Admin, unit_id: city.id }, now)?;
    Ok(())
}

fn insert_user(
    conn: &mut DbConn,
    username: &str,
    name: &str,
    phone: Option<&str>,
    hash: &str,
    must_change_password: bool,
    now: NaiveDateTime,
) -> Result<UserRow, AppError> {
    Ok(db::accounts::insert(
        conn,
        &NewUser {
            username,
            phone,
            display_name: name,
            password_hash: hash,
            active: true,
            must_change_password,
            created_at: now,
            updated_at: now,
        },
    )?)
}

/// Walks down from `from` by names; an empty list is `from` itself.
pub fn find_by_names(conn: &mut DbConn, from: &UnitRow, names: &[&str]) -> Result<UnitRow, AppError> {
    let mut unit = from.clone();
    for name in names {
        unit = db::org::child_by_name(conn, unit.id, name)?
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("demo place {name} missing")))?;
    }
    Ok(unit)
}

/// The demo accounts as a table for the console and the README.
pub fn accounts_text(password: &str) -> String {
    let mut out = format!("演示账号（密码均为 {password}）：\n");
    for (username, name, _, role, place) in ACCOUNTS {
        let place = if place.is_empty() { "全市".to_string() } else { place.join(" / ") };
        out.push_str(&format!("  {username:<12} {name:<6} {:<10} {place}\n", role.label()));
    }
    out
}
