//! Import of the organisation and accounts from Excel: all or nothing, problems by row and column.

use rust_xlsxwriter::Workbook;
use shared::dto::ImportSummary;
use tests::spawn_app;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A workbook with the template's sheets and headers, and the given data rows.
fn workbook(org: &[&[&str]], depts: &[&str], accounts: &[&[&str]]) -> Vec<u8> {
    let mut wb = Workbook::new();
    // Each sheet: its name, its headers, its rows.
    type Sheet<'a> = (&'a str, Vec<&'a str>, Vec<Vec<&'a str>>);
    let sheets: [Sheet; 3] = [
        ("组织架构", vec!["街道", "社区", "党群服务站", "网格", "楼"], org.iter().map(|r| r.to_vec()).collect()),
        ("部门单位", vec!["名称"], depts.iter().map(|d| vec![*d]).collect()),
        (
            "账号",
            vec!["用户名", "姓名", "手机号", "初始密码", "角色", "所属单位"],
            accounts.iter().map(|r| r.to_vec()).collect(),
        ),
    ];
    for (name, headers, rows) in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(name).unwrap();
        for (c, h) in headers.iter().enumerate() {
            ws.write_string(0, c as u16, *h).unwrap();
        }
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                if !v.is_empty() {
                    ws.write_string(r as u32 + 1, c as u16, *v).unwrap();
                }
            }
        }
    }
    wb.save_to_buffer().unwrap()
}

#[tokio::test]
async fn the_template_downloads_and_imports_as_it_is() {
    let app = spawn_app().await;
    let admin = app.token("admin").await;
    let resp = app.client.get(app.url("/api/import/template")).bearer_auth(&admin).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-type"], XLSX);
    let bytes = resp.bytes().await.unwrap().to_vec();
    assert_eq!(&bytes[..2], b"PK");
    let r = app.import_workbook(&admin, bytes, XLSX).await.with_status(200);
    assert_eq!(r, ImportSummary { units_created: 0, accounts_created: 1, roles_granted: 2 });
    assert_eq!(app.sign_in("wangwu", "Chushi2026").await.status, 200);
    // Only a city administrator may import.
    let street = app.token("street1").await;
    assert_eq!(
        app.client.get(app.url("/api/import/template")).bearer_auth(&street).send().await.unwrap().status(),
        403
    );
}

#[tokio::test]
async fn a_good_file_creates_places_departments_and_accounts() {
    let app = spawn_app().await;
    let admin = app.token("admin").await;
    let file = workbook(
        &[
            &["和谐街道", "幸福社区", "幸福社区党群服务站", "第一网格", "1号楼"],
            &["和谐街道", "幸福社区", "幸福社区党群服务站", "第一网格", "2号楼"],
            &["和谐街道", "安康社区"],
        ],
        &["市水务局", "市教育局"],
        &[
            &[
                "xingfu1",
                "钱多多",
                "13912345678",
                "Init2026ab",
                "网格长",
                "和谐街道/幸福社区/幸福社区党群服务站/第一网格",
            ],
            &["xingfu1", "", "", "", "楼长", "和谐街道 / 幸福社区 / 幸福社区党群服务站 / 第一网格 / 2号楼"],
            &["shuiwu1", "孙水", "", "Init2026ab", "部门经办人", "市水务局"],
            &["grid1", "", "", "", "楼长", "新华街道/和平社区/和平社区第一党群服务站/第一网格/2号楼"],
        ],
    );
    let r = app.import_workbook(&admin, file, XLSX).await.with_status(200);
    // 街道, 2 社区, 站, 网格, 2 楼 = 7; 市教育局 already exists.
    assert_eq!(r, ImportSummary { units_created: 8, accounts_created: 2, roles_granted: 4 });
    let names: Vec<String> = app.units(&admin).await.into_iter().map(|u| u.full_name).collect();
    assert!(names.contains(&"和谐街道 / 幸福社区 / 幸福社区党群服务站 / 第一网格 / 2号楼".to_string()));
    assert!(names.contains(&"市水务局".to_string()));
    let login = app.sign_in("13912345678", "Init2026ab").await.with_status(200);
    assert_eq!(login.user.roles.len(), 2);
}

#[tokio::test]
async fn a_bad_file_is_reported_by_row_and_column_and_nothing_is_imported() {
    let app = spawn_app().await;
    let admin = app.token("admin").await;
    let before = app.units(&admin).await.len();
    let file = workbook(
        &[&["和谐街道", "幸福社区"], &["和谐街道", "", "孤立服务站"]],
        &[],
        &[
            &[
                "ok1",
                "好人",
                "13912345678",
                "Init2026ab",
                "网格长",
                "新华街道/和平社区/和平社区第一党群服务站/第一网格",
            ],
            &["bad1", "坏人", "1234", "Init2026ab", "网格长", "新华街道/和平社区/和平社区第一党群服务站/第一网格"],
            &["bad2", "坏人二", "", "Init2026ab", "村长", "新华街道"],
        ],
    );
    let r = app.import_workbook(&admin, file, XLSX).await;
    assert_eq!((r.status, r.code()), (422, "import_failed"), "{:?}", r.body);
    let problems = r.error().problems;
    let find = |sheet: &str, row: u32| {
        problems.iter().find(|p| p.sheet.as_deref() == Some(sheet) && p.row == Some(row)).cloned()
    };
    let gap = find("组织架构", 3).expect("gap problem");
    assert_eq!(gap.column.as_deref(), Some("C 党群服务站"));
    let phone = find("账号", 3).expect("phone problem");
    assert_eq!(phone.column.as_deref(), Some("C 手机号"));
    assert_eq!(phone.message, "手机号应为11位数字，以1开头");
    let role = find("账号", 4).expect("role problem");
    assert_eq!(role.column.as_deref(), Some("E 角色"));
    assert_eq!(problems.len(), 3, "{problems:?}");
    assert_eq!(app.units(&admin).await.len(), before);
    assert_eq!(app.sign_in("ok1", "Init2026ab").await.status, 401);
}

#[tokio::test]
async fn a_problem_found_against_the_database_rolls_back_the_whole_file() {
    let app = spawn_app().await;
    let admin = app.token("admin").await;
    let before = app.units(&admin).await.len();
    let file = workbook(
        &[&["和谐街道", "幸福社区"]],
        &[],
        &[
            &["ok1", "好人", "", "Init2026ab", "社区书记", "和谐街道/幸福社区"],
            &[
                "bad1",
                "坏人",
                "13800000001",
                "Init2026ab",
                "网格长",
                "新华街道/和平社区/和平社区第一党群服务站/第一网格",
            ],
            &["bad2", "坏人二", "", "Init2026ab", "网格长", "新华街道/不存在社区"],
            &["bad3", "坏人三", "", "Init2026ab", "网格长", "新华街道"],
        ],
    );
    let r = app.import_workbook(&admin, file, XLSX).await;
    assert_eq!((r.status, r.code()), (422, "import_failed"), "{:?}", r.body);
    let problems = r.error().problems;
    let rows: Vec<(u32, &str)> = problems.iter().map(|p| (p.row.unwrap(), p.column.as_deref().unwrap())).collect();
    assert_eq!(rows, vec![(3, "C 手机号"), (4, "F 所属单位"), (5, "F 所属单位")]);
    // The new street and the good account were rolled back with the rest.
    assert_eq!(app.units(&admin).await.len(), before);
    assert_eq!(app.sign_in("ok1", "Init2026ab").await.status, 401);
}

#[tokio::test]
async fn a_file_that_is_not_a_workbook_is_refused_clearly() {
    let app = spawn_app().await;
    let admin = app.token("admin").await;
    let r = app.import_workbook(&admin, b"name,phone\n".to_vec(), "text/csv").await;
    assert_eq!((r.status, r.code()), (422, "import_failed"));
    assert_eq!(r.field(), Some("file"));
    let r = app.import_workbook(&admin, Vec::new(), XLSX).await;
    assert_eq!((r.status, r.field()), (422, Some("file")));
}
