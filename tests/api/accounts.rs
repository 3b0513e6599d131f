//! Accounts: created by administrators within their scope, with roles bound to the right kind of place.

use serde_json::json;
use tests::spawn_app;

const GRID: &str = "新华街道 / 和平社区 / 和平社区第一党群服务站 / 第二网格";

#[tokio::test]
async fn an_admin_creates_an_account_that_signs_in_and_must_change_its_password() {
    let app = spawn_app().await;
    let admin = app.token("admin").await;
    let grid = app.unit_id(&admin, GRID).await;
    let r = app
        .post(
            Some(&admin),
            "/api/accounts",
            &json!({
                "username": "zhaoliu", "display_name": "赵六", "phone": "139-0000-0099", "password": "Start2026a",
                "roles": [{"role": "grid_leader", "unit_id": grid}]
            }),
        )
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    assert_eq!(r.body["phone"], "13900000099");
    assert_eq!(r.body["roles"][0]["unit"]["full_name"], GRID);
    let login = app.login("13900000099", "Start2026a").await;
    assert_eq!(login.status, 200);
    assert_eq!(login.body["user"]["must_change_password"], true);

    let list = app.get(Some(&admin), "/api/accounts?q=赵六").await;
    assert_eq!(list.body.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn bad_account_input_names_the_field() {
    let app = spawn_app().await;
    let admin = app.token("admin").await;
    let grid = app.unit_id(&admin, GRID).await;
    let community = app.unit_id(&admin, "新华街道 / 和平社区").await;
    let base = json!({"username": "zhaoliu", "display_name": "赵六", "password": "Start2026a",
                      "roles": [{"role": "grid_leader", "unit_id": grid}]});
    let with = |k: &str, v: serde_json::Value| {
        let mut b = base.clone();
        b[k] = v;
        b
    };
    let r = app.post(Some(&admin), "/api/accounts", &with("phone", json!("12345"))).await;
    assert_eq!((r.status, r.body["field"].as_str()), (422, Some("phone")));
    assert_eq!(r.body["message"], "手机号应为11位数字，以1开头");
    let r = app.post(Some(&admin), "/api/accounts", &with("username", json!("1abc"))).await;
    assert_eq!((r.status, r.body["field"].as_str()), (422, Some("username")));
    let r = app.post(Some(&admin), "/api/accounts", &with("password", json!("abcdefgh"))).await;
    assert_eq!((r.status, r.body["field"].as_str()), (422, Some("password")));
    let r = app.post(Some(&admin), "/api/accounts", &with("roles", json!([]))).await;
    assert_eq!((r.status, r.body["field"].as_str()), (422, Some("roles")));
    // A grid leader bound to a community is the wrong kind of place.
    let r = app
        .post(Some(&admin), "/api/accounts", &with("roles", json!([{"role": "grid_leader", "unit_id": community}])))
        .await;
    assert_eq!((r.status, r.body["field"].as_str()), (422, Some("roles[0]")));
    let r = app.post(Some(&admin), "/api/accounts", &with("username", json!("grid1"))).await;
    assert_eq!((r.status, r.body["field"].as_str()), (409, Some("username")));
    let r = app.post(Some(&admin), "/api/accounts", &with("phone", json!("13800000001"))).await;
    assert_eq!((r.status, r.body["field"].as_str()), (409, Some("phone")));
}

#[tokio::test]
async fn only_admins_manage_accounts_and_only_within_their_scope() {
    let app = spawn_app().await;
    for user in ["grid1", "street1", "leader1"] {
        let t = app.token(user).await;
        assert_eq!(app.get(Some(&t), "/api/accounts").await.status, 403, "{user}");
    }
    // A street-level admin, created by the city admin, sees and grants only inside its street.
    let admin = app.token("admin").await;
    let street = app.unit_id(&admin, "新华街道").await;
    let other_grid = app.unit_id(&admin, "福民街道 / 福民社区 / 福民社区党群服务站 / 第二网格").await;
    let own_grid = app.unit_id(&admin, GRID).await;
    let r = app
        .post(
            Some(&admin),
            "/api/accounts",
            &json!({"username": "xhadmin", "display_name": "新华管理员", "password": "Start2026a",
            "roles": [{"role": "admin", "unit_id": street}]}),
        )
        .await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let login = app.login("xhadmin", "Start2026a").await.body;
    let t = login["access_token"].as_str().unwrap().to_string();
    app.post(Some(&t), "/api/me/password", &json!({"current_password": "Start2026a", "new_password": "Street2026b"}))
        .await;

    let listed = app.get(Some(&t), "/api/accounts").await.body;
    let names: Vec<&str> = listed.as_array().unwrap().iter().map(|a| a["username"].as_str().unwrap()).collect();
    assert!(names.contains(&"grid1") && names.contains(&"street1"), "{names:?}");
    assert!(!names.contains(&"grid2") && !names.contains(&"leader1"), "{names:?}");

    let outside = app
        .post(
            Some(&t),
            "/api/accounts",
            &json!({"username": "yuejie", "display_name": "越界", "password": "Start2026a",
            "roles": [{"role": "grid_leader", "unit_id": other_grid}]}),
        )
        .await;
    assert_eq!((outside.status, outside.body["field"].as_str()), (422, Some("roles[0]")));
    let inside = app
        .post(
            Some(&t),
            "/api/accounts",
            &json!({"username": "bennei", "display_name": "本街", "password": "Start2026a",
            "roles": [{"role": "grid_leader", "unit_id": own_grid}]}),
        )
        .await;
    assert_eq!(inside.status, 201, "{:?}", inside.body);
    // An account of another street cannot be edited from here.
    let grid2 = app.get(Some(&app.token("grid2").await), "/api/me").await.body["id"].as_i64().unwrap();
    assert_eq!(app.patch(Some(&t), &format!("/api/accounts/{grid2}"), &json!({"active": false})).await.status, 404);
}
