//! The organisation-and-accounts workbook: the template to download, and the import that either applies a whole
//! file or, when any row is wrong, applies nothing and reports every problem by sheet, row and column.

use std::collections::HashMap;
use std::io::Cursor;

use calamine::{open_workbook_from_rs, Data, Reader, Xlsx};
use chrono::NaiveDateTime;
use shared::dto::ImportSummary;
use shared::dto::RoleGrant;
use shared::{OrgKind, Problem, Role};

use crate::db::models::{NewUser, UnitRow, UserRow};
use crate::db::{self, DbConn};
use crate::error::AppError;

pub const SHEET_ORG: &str = "组织架构";
pub const SHEET_DEPTS: &str = "部门单位";
pub const SHEET_ACCOUNTS: &str = "账号";
pub const ORG_HEADERS: &[&str] = &["街道", "社区", "党群服务站", "网格", "楼"];
pub const DEPT_HEADERS: &[&str] = &["名称"];
pub const ACCOUNT_HEADERS: &[&str] = &["用户名", "姓名", "手机号", "初始密码", "角色", "所属单位"];
const ORG_KINDS: [OrgKind; 5] =
    [OrgKind::Street, OrgKind::Community, OrgKind::Station, OrgKind::Grid, OrgKind::Building];

/// A cell's position for messages: "C 手机号".
fn column(index: usize, headers: &[&str]) -> String {
    let letter = (b'A' + index as u8) as char;
    format!("{letter} {}", headers.get(index).copied().unwrap_or(""))
}

fn problem(sheet: &str, row: u32, col: Option<String>, message: impl Into<String>) -> Problem {
    Problem { sheet: Some(sheet.to_string()), row: Some(row), column: col, field: None, message: message.into() }
}

fn cell_text(cell: Option<&Data>) -> String {
    match cell {
        None | Some(Data::Empty) => String::new(),
        Some(Data::String(s)) => s.trim().to_string(),
        // Phone numbers typed into Excel become numbers.
        Some(Data::Float(f)) if f.fract() == 0.0 => format!("{}", *f as i64),
        Some(Data::Int(i)) => i.to_string(),
        Some(other) => other.to_string().trim().to_string(),
    }
}

/// A sheet's data rows as (Excel row number, cells), after checking its header row.
fn read_sheet(
    wb: &mut Xlsx<Cursor<Vec<u8>>>,
    sheet: &str,
    headers: &[&str],
    problems: &mut Vec<Problem>,
) -> Vec<(u32, Vec<String>)> {
    let range = match wb.worksheet_range(sheet) {
        Ok(r) => r,
        Err(_) => {
            problems.push(Problem {
                sheet: Some(sheet.into()),
                row: None,
                column: None,
                field: None,
                message: format!("缺少工作表“{sheet}”，请使用下载的模板"),
            });
            return Vec::new();
        }
    };
    let first_row = range.start().map_or(0, |(r, _)| r);
    let first_col = range.start().map_or(0, |(_, c)| c) as usize;
    let mut rows = Vec::new();
    for (i, cells) in range.rows().enumerate() {
        let excel_row = first_row + i as u32 + 1;
        // Cells as if the sheet started at column A.
        let texts: Vec<String> = (0..headers.len())
            .map(|c| if c < first_col { String::new() } else { cell_text(cells.get(c - first_col)) })
            .collect();
        if excel_row == 1 {
            for (c, expected) in headers.iter().enumerate() {
                if texts[c] != *expected {
                    problems.push(problem(
                        sheet,
                        1,
                        Some(column(c, headers)),
                        format!("表头应为“{expected}”，实际为“{}”", texts[c]),
                    ));
                }
            }
            continue;
        }
        if texts.iter().all(|t| t.is_empty()) {
            continue;
        }
        rows.push((excel_row, texts));
    }
    if first_row > 0 {
        problems.push(problem(sheet, 1, None, "第1行应为表头，请使用下载的模板"));
    }
    rows
}

/// One account row, parsed.
struct AccountRow {
    row: u32,
    username: String,
    name: String,
    phone: Option<String>,
    password: String,
    role: Role,
    place: Vec<String>,
}

/// The parsed workbook, before anything touches the database.
pub struct Parsed {
    org_rows: Vec<(u32, Vec<String>)>,
    departments: Vec<(u32, String)>,
    accounts: Vec<AccountRow>,
    /// Password hashes by username, filled in off the executor before applying.
    pub hashes: HashMap<String, String>,
}

impl Parsed {
    /// The passwords to hash, by username (the first row of each new username).
    pub fn passwords(&self) -> Vec<(String, String)> {
        let mut seen = std::collections::HashSet::new();
        self.accounts
            .iter()
            .filter(|a| !a.password.is_empty() && seen.insert(a.username.clone()))
            .map(|a| (a.username.clone(), a.password.clone()))
            .collect()
    }
}

/// Reads and checks everything that needs no database.
pub fn parse(bytes: Vec<u8>) -> Result<Parsed, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut wb: Xlsx<_> = match open_workbook_from_rs(Cursor::new(bytes)) {
        Ok(wb) => wb,
        Err(_) => {
            return Err(vec![Problem {
                sheet: None,
                row: None,
                column: None,
                field: Some("file".into()),
                message: "无法读取文件：请上传用模板填写的 Excel 文件（.xlsx）".into(),
            }])
        }
    };

    let org_rows = read_sheet(&mut wb, SHEET_ORG, ORG_HEADERS, &mut problems);
    for (row, cells) in &org_rows {
        let mut gap_at: Option<usize> = None;
        for (c, text) in cells.iter().enumerate() {
            if text.is_empty() {
                gap_at.get_or_insert(c);
            } else if let Some(g) = gap_at {
                problems.push(problem(
                    SHEET_ORG,
                    *row,
                    Some(column(c, ORG_HEADERS)),
                    format!("“{}”列已填写，但左侧的“{}”为空", ORG_HEADERS[c], ORG_HEADERS[g]),
                ));
            } else if let Err(m) = shared::validate::check_name(text) {
                problems.push(problem(SHEET_ORG, *row, Some(column(c, ORG_HEADERS)), m));
            }
        }
    }

    let departments: Vec<(u32, String)> = read_sheet(&mut wb, SHEET_DEPTS, DEPT_HEADERS, &mut problems)
        .into_iter()
        .map(|(row, cells)| (row, cells[0].clone()))
        .collect();
    for (row, name) in &departments {
        if let Err(m) = shared::validate::check_name(name) {
            problems.push(problem(SHEET_DEPTS, *row, Some(column(0, DEPT_HEADERS)), m));
        }
    }

    let mut accounts = Vec::new();
    let mut first_row_of: HashMap<String, u32> = HashMap::new();
    let mut phones: HashMap<String, (u32, String)> = HashMap::new();
    for (row, cells) in read_sheet(&mut wb, SHEET_ACCOUNTS, ACCOUNT_HEADERS, &mut problems) {
        let col = |c: usize| Some(column(c, ACCOUNT_HEADERS));
        let username = cells[0].clone();
        if let Err(m) = shared::validate::check_username(&username) {
            problems.push(problem(SHEET_ACCOUNTS, row, col(0), m));
        }
        let is_first = !first_row_of.contains_key(&username);
        first_row_of.entry(username.clone()).or_insert(row);
        if is_first && !cells[1].is_empty() {
            if let Err(m) = shared::validate::check_name(&cells[1]) {
                problems.push(problem(SHEET_ACCOUNTS, row, col(1), m));
            }
        }
        let phone = if cells[2].is_empty() {
            None
        } else {
            match shared::validate::normalize_phone(&cells[2]) {
                Ok(p) => {
                    if let Some((other_row, other_user)) = phones.get(&p) {
                        if *other_user != username {
                            problems.push(problem(SHEET_ACCOUNTS, row, col(2), format!("手机号与第{other_row}行重复")));
                        }
                    } else {
                        phones.insert(p.clone(), (row, username.clone()));
                    }
                    Some(p)
                }
                Err(m) => {
                    problems.push(problem(SHEET_ACCOUNTS, row, col(2), m));
                    None
                }
            }
        };
        if !cells[3].is_empty() {
            if let Err(m) = shared::validate::check_password(&cells[3]) {
                problems.push(problem(SHEET_ACCOUNTS, row, col(3), m));
            }
        }
        let role = match Role::parse(&cells[4]) {
            Some(r) => r,
            None => {
                let names: Vec<&str> = Role::ALL.iter().map(|r| r.label()).collect();
                problems.push(problem(
                    SHEET_ACCOUNTS,
                    row,
                    col(4),
                    format!("角色“{}”无法识别，应为：{}", cells[4], names.join("、")),
                ));
                continue;
            }
        };
        let place: Vec<String> =
            cells[5].split(['/', '／']).map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();
        accounts.push(AccountRow {
            row,
            username,
            name: cells[1].clone(),
            phone,
            password: cells[3].clone(),
            role,
            place,
        });
    }

    if problems.is_empty() {
        Ok(Parsed { org_rows, departments, accounts, hashes: HashMap::new() })
    } else {
        Err(problems)
    }
}

/// Applies a parsed workbook inside the caller's transaction. Returns the problems found on the way (names that
/// clash with the database, places that do not exist); the caller rolls back when there are any.
pub fn apply(
    conn: &mut DbConn,
    parsed: &Parsed,
    city: &UnitRow,
    actor_id: i64,
    now: NaiveDateTime,
) -> Result<Result<ImportSummary, Vec<Problem>>, AppError> {
    let mut problems = Vec::new();
    let mut summary = ImportSummary::default();

    for (row, cells) in &parsed.org_rows {
        let mut parent = city.clone();
        for (c, name) in cells.iter().enumerate().take_while(|(_, n)| !n.is_empty()) {
            let kind = ORG_KINDS[c];
            parent = match db::org::child_by_name(conn, parent.id, name)? {
                Some(existing) if existing.kind != kind => {
                    problems.push(problem(
                        SHEET_ORG,
                        *row,
                        Some(column(c, ORG_HEADERS)),
                        format!("“{name}”已存在，但它是{}而不是{}", existing.kind.label(), kind.label()),
                    ));
                    break;
                }
                Some(existing) if !existing.active => {
                    problems.push(problem(
                        SHEET_ORG,
                        *row,
                        Some(column(c, ORG_HEADERS)),
                        format!("“{name}”已停用，请先在组织架构中启用"),
                    ));
                    break;
                }
                Some(existing) => existing,
                None => {
                    summary.units_created += 1;
                    db::org::insert(conn, kind, name, Some(&parent), now)?
                }
            };
        }
    }

    for (row, name) in &parsed.departments {
        match db::org::child_by_name(conn, city.id, name)? {
            Some(existing) if existing.kind != OrgKind::Department => {
                problems.push(problem(
                    SHEET_DEPTS,
                    *row,
                    Some(column(0, DEPT_HEADERS)),
                    format!("“{name}”已作为{}存在", existing.kind.label()),
                ));
            }
            Some(_) => {}
            None => {
                db::org::insert(conn, OrgKind::Department, name, Some(city), now)?;
                summary.units_created += 1;
            }
        }
    }

    let mut created: HashMap<String, UserRow> = HashMap::new();
    for a in &parsed.accounts {
        let col = |c: usize| Some(column(c, ACCOUNT_HEADERS));
        let place = if a.place.is_empty() || (a.place.len() == 1 && (a.place[0] == "市" || a.place[0] == city.name)) {
            Some(city.clone())
        } else {
            let mut unit = Some(city.clone());
            for name in &a.place {
                unit = match unit {
                    Some(u) => db::org::child_by_name(conn, u.id, name)?,
                    None => None,
                };
            }
            unit
        };
        let Some(place) = place else {
            problems.push(problem(
                SHEET_ACCOUNTS,
                a.row,
                col(5),
                format!(
                    "找不到单位“{}”：请写从街道起的完整路径，用“/”分隔，如“新华街道/和平社区”；部门单位直接写名称",
                    a.place.join("/")
                ),
            ));
            continue;
        };
        if !a.role.scope_kinds().contains(&place.kind) {
            let kinds: Vec<&str> = a.role.scope_kinds().iter().map(|k| k.label()).collect();
            problems.push(problem(
                SHEET_ACCOUNTS,
                a.row,
                col(5),
                format!("{}应绑定到{}，而“{}”是{}", a.role.label(), kinds.join("或"), place.name, place.kind.label()),
            ));
            continue;
        }
        let user = match created.get(&a.username) {
            Some(u) => u.clone(),
            None => match db::accounts::by_username(conn, &a.username)? {
                Some(existing) => existing,
                None => {
                    if a.name.is_empty() {
                        problems.push(problem(SHEET_ACCOUNTS, a.row, col(1), "新账号须填写姓名"));
                        continue;
                    }
                    let Some(hash) = parsed.hashes.get(&a.username) else {
                        problems.push(problem(SHEET_ACCOUNTS, a.row, col(3), "新账号须填写初始密码"));
                        continue;
                    };
                    if let Some(p) = &a.phone {
                        if db::accounts::phone_taken(conn, p, None)? {
                            problems.push(problem(SHEET_ACCOUNTS, a.row, col(2), "该手机号已被系统中其他账号使用"));
                            continue;
                        }
                    }
                    let row = db::accounts::insert(
                        conn,
                        &NewUser {
                            username: &a.username,
                            phone: a.phone.as_deref(),
                            display_name: &a.name,
                            password_hash: hash,
                            active: true,
                            must_change_password: true,
                            created_at: now,
                            updated_at: now,
                        },
                    )?;
                    summary.accounts_created += 1;
                    created.insert(a.username.clone(), row.clone());
                    row
                }
            },
        };
        if db::accounts::add_role(conn, user.id, &RoleGrant { role: a.role, unit_id: place.id }, now)? {
            summary.roles_granted += 1;
        }
    }

    if !problems.is_empty() {
        return Ok(Err(problems));
    }
    db::audit::record(
        conn,
        now,
        Some(actor_id),
        "import",
        "workbook",
        None,
        serde_json::to_value(&summary).unwrap_or_default(),
    )?;
    Ok(Ok(summary))
}

/// The template: the three sheets with their headers, an example row each, and a sheet of instructions.
pub fn template() -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    // Each sheet: its name, its headers, its example rows.
    type Sheet<'a> = (&'a str, &'a [&'a str], &'a [&'a [&'a str]]);
    let sheets: [Sheet; 3] = [
        (
            SHEET_ORG,
            ORG_HEADERS,
            &[
                &["新华街道", "和平社区", "和平社区第一党群服务站", "第一网格", "1号楼"],
                &["新华街道", "和平社区", "和平社区第一党群服务站", "第一网格", "2号楼"],
            ],
        ),
        (SHEET_DEPTS, DEPT_HEADERS, &[&["市住房和城乡建设局"]]),
        (
            SHEET_ACCOUNTS,
            ACCOUNT_HEADERS,
            &[
                &[
                    "wangwu",
                    "王五",
                    "13900000001",
                    "Chushi2026",
                    "网格长",
                    "新华街道/和平社区/和平社区第一党群服务站/第一网格",
                ],
                &["wangwu", "", "", "", "楼长", "新华街道/和平社区/和平社区第一党群服务站/第一网格/1号楼"],
            ],
        ),
    ];
    for (name, headers, examples) in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(name)?;
        for (c, h) in headers.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, *h, &bold)?;
            ws.set_column_width(c as u16, if headers.len() == 1 { 40 } else { 22 })?;
        }
        for (r, row) in examples.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                ws.write_string(r as u32 + 1, c as u16, *v)?;
            }
        }
    }
    let ws = wb.add_worksheet();
    ws.set_name("填写说明")?;
    ws.set_column_width(0, 100)?;
    let roles: Vec<String> = Role::ALL
        .iter()
        .map(|r| {
            format!(
                "{}（绑定到{}）",
                r.label(),
                r.scope_kinds().iter().map(|k| k.label()).collect::<Vec<_>>().join("或")
            )
        })
        .collect();
    let lines = [
        "“组织架构”每行一条从街道到楼的路径，可只填到某一级；已存在的单位按名称匹配，不会重复创建。".to_string(),
        "“部门单位”每行一个部门名称。".to_string(),
        "“账号”每行一个角色；同一用户名可写多行以分配多个角色，姓名、手机号、初始密码只需在第一行填写。".to_string(),
        "所属单位：写从街道起的完整路径，用“/”分隔；部门单位写部门名称；市级角色写“市”或留空。".to_string(),
        format!("角色可填：{}", roles.join("；")),
        "初始密码至少8位，须含字母和数字；新账号首次登录后须修改密码。".to_string(),
        "文件中只要有一处错误，整个文件都不会导入；系统会逐行逐列列出问题。".to_string(),
    ];
    for (r, line) in lines.iter().enumerate() {
        ws.write_string(r as u32, 0, line)?;
    }
    wb.save_to_buffer()
}
