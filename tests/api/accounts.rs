//! Accounts: created by administrators within their scope, with roles bound to the right kind of place.

use shared::dto::{CreateAccount, RoleGrant, UpdateAccount};
use shared::Role;
use tests::spawn_app;

const GRID: &str = "新华街道 / 和平社区 / 和平社区第一党群服务站 / 第二网格";

/// A new account with one role, no phone, the first password `Start2026a`.
fn account(username: &str, display_name: &str, role: Role, unit_id: i64) -> CreateAccount {
    CreateAccount {
        username: username.into(),
        display_name: display_name.into(),
        phone: None,
        password: "Start2026a".into(),
        roles: vec![RoleGrant { role, unit_id }],
    }
}

#[tokio::test]
async fn an_admin_creates_an_account_that_signs_in_and_must_change_its_password() {
    let app = spawn_app().await;
    let admin = app.token("admin").await;
    let grid = app.unit_id(&admin, GRID).await;
    let body =
        CreateAccount { phone: Some("139-0000-0099".into()), ..account("zhaoliu", "赵六", Role::GridLeader, grid) };
    let r = app.create_account(&admin, &body).await.with_status(201);
    assert_eq!(r.phone.as_deref(), Some("13900000099"));
    assert_eq!(r.roles[0].unit.full_name, GRID);
    let login = app.sign_in("13900000099", "Start2026a").await.with_status(200);
    assert!(login.user.must_change_password);

    let list = app.accounts(&admin, "q=赵六").await.ok();
    assert_eq!(list.len(), 1);
}

#[tokio::test]
async fn bad_account_input_names_the_field() {
    let app = spawn_app().await;
    let admin = app.token("admin").await;
    let grid = app.unit_id(&admin, GRID).await;
    let community = app.unit_id(&admin, "新华街道 / 和平社区").await;
    let base = account("zhaoliu", "赵六", Role::GridLeader, grid);
    let r = app.create_account(&admin, &CreateAccount { phone: Some("12345".into()), ..base.clone() }).await;
    assert_eq!((r.status, r.field()), (422, Some("phone")));
    assert_eq!(r.message(), "手机号应为11位数字，以1开头");
    let r = app.create_account(&admin, &CreateAccount { username: "1abc".into(), ..base.clone() }).await;
    assert_eq!((r.status, r.field()), (422, Some("username")));
    let r = app.create_account(&admin, &CreateAccount { password: "abcdefgh".into(), ..base.clone() }).await;
    assert_eq!((r.status, r.field()), (422, Some("password")));
    let r = app.create_account(&admin, &CreateAccount { roles: Vec::new(), ..base.clone() }).await;
    assert_eq!((r.status, r.field()), (422, Some("roles")));
    // A grid leader bound to a community is the wrong kind of place.
    let roles = vec![RoleGrant { role: Role::GridLeader, unit_id: community }];
    let r = app.create_account(&admin, &CreateAccount { roles, ..base.clone() }).await;
    assert_eq!((r.status, r.field()), (422, Some("roles[0]")));
    let r = app.create_account(&admin, &CreateAccount { username: "grid1".into(), ..base.clone() }).await;
    assert_eq!((r.status, r.field()), (409, Some("username")));
    let r = app.create_account(&admin, &CreateAccount { phone: Some("13800000001".into()), ..base.clone() }).await;
    assert_eq!((r.status, r.field()), (409, Some("phone")));
}

#[tokio::test]
async fn only_admins_manage_accounts_and_only_within_their_scope() {
    let app = spawn_app().await;
    for user in ["grid1", "street1", "leader1"] {
        let t = app.token(user).await;
        assert_eq!(app.accounts(&t, "").await.status, 403, "{user}");
    }
    // A street-level admin, created by the city admin, sees and grants only inside its street.
    let admin = app.token("admin").await;
    let street = app.unit_id(&admin, "新华街道").await;
    let other_grid = app.unit_id(&admin, "福民街道 / 福民社区 / 福民社区党群服务站 / 第二网格").await;
    let own_grid = app.unit_id(&admin, GRID).await;
    let r = app.create_account(&admin, &account("xhadmin", "新华管理员", Role::Admin, street)).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    let t = app.sign_in("xhadmin", "Start2026a").await.ok().access_token;
    app.change_password(&t, "Start2026a", "Street2026b").await;

    let listed = app.accounts(&t, "").await.ok();
    let names: Vec<&str> = listed.iter().map(|a| a.username.as_str()).collect();
    assert!(names.contains(&"grid1") && names.contains(&"street1"), "{names:?}");
    assert!(!names.contains(&"grid2") && !names.contains(&"leader1"), "{names:?}");

    let outside = app.create_account(&t, &account("yuejie", "越界", Role::GridLeader, other_grid)).await;
    assert_eq!((outside.status, outside.field()), (422, Some("roles[0]")));
    let inside = app.create_account(&t, &account("bennei", "本街", Role::GridLeader, own_grid)).await;
    assert_eq!(inside.status, 201, "{:?}", inside.body);
    // An account of another street cannot be edited from here.
    let grid2 = app.me(&app.token("grid2").await).await.ok().id;
    let disable = UpdateAccount { active: Some(false), ..Default::default() };
    assert_eq!(app.update_account(&t, grid2, &disable).await.status, 404);
}
