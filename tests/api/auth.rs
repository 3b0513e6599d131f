//! Sign-in, tokens, refresh rotation, revocation, throttling, forced password change.

use base64::Engine;
use chrono::Duration;
use serde_json::json;
use shared::dto::UpdateAccount;
use shared::Role;
use tests::{spawn_app, spawn_app_with, JWT_SECRET};

#[tokio::test]
async fn sign_in_by_username_or_phone_returns_tokens_and_roles() {
    let app = spawn_app().await;
    for login in ["grid1", "13800000001", "138 0000 0001"] {
        let r = app.sign_in(login, &app.demo_password).await;
        assert_eq!(r.status, 200, "{login}: {:?}", r.body);
        let r = r.ok();
        assert!(r.access_token.len() > 20);
        assert!(r.refresh_token.len() >= 43);
        let role = &r.user.roles[0];
        assert_eq!(role.role, Role::GridLeader);
        assert_eq!(role.role_label, "网格长");
        assert_eq!(role.unit.full_name, "新华街道 / 和平社区 / 和平社区第一党群服务站 / 第一网格");
    }
    let token = app.token("grid1").await;
    let me = app.me(&token).await.with_status(200);
    assert_eq!(me.username, "grid1");
    assert_eq!(me.display_name, "王建华");
}

#[tokio::test]
async fn wrong_password_and_unknown_account_look_the_same() {
    let app = spawn_app().await;
    let wrong = app.sign_in("grid1", "nope12345").await;
    let unknown = app.sign_in("nobody", "nope12345").await;
    assert_eq!(wrong.status, 401);
    assert_eq!(wrong.code(), "invalid_credentials");
    assert_eq!(unknown.status, 401);
    assert_eq!(wrong.body, unknown.body);
}

#[tokio::test]
async fn malformed_sign_in_says_which_field() {
    let app = spawn_app().await;
    let r = app.post(None, "/api/auth/login", &json!({"login": "grid1"})).await;
    assert_eq!(r.status, 422);
    assert_eq!(r.body["field"], "password");
    let r = app.sign_in("", "x").await;
    assert_eq!(r.status, 422);
    assert_eq!(r.field(), Some("login"));
    assert_eq!(r.message(), "请输入用户名或手机号");
}

#[tokio::test]
async fn an_account_is_throttled_after_repeated_failures_then_released() {
    let app = spawn_app().await;
    for _ in 0..5 {
        assert_eq!(app.sign_in("grid1", "wrong-pass1").await.status, 401);
    }
    // Even the right password is refused while throttled.
    let r = app.sign_in("grid1", &app.demo_password).await;
    assert_eq!(r.status, 429, "{:?}", r.body);
    assert_eq!(r.code(), "too_many_requests");
    // Another account from the same address is not affected yet.
    assert_eq!(app.sign_in("grid2", &app.demo_password).await.status, 200);
    app.state.clock.advance(Duration::minutes(16));
    assert_eq!(app.sign_in("grid1", &app.demo_password).await.status, 200);
}

#[tokio::test]
async fn an_address_is_throttled_across_accounts() {
    let app = spawn_app_with(|s| s.login_max_failures_per_ip = 4).await;
    for user in ["grid1", "grid2", "station1", "station2"] {
        assert_eq!(app.sign_in(user, "wrong-pass1").await.status, 401);
    }
    let r = app.sign_in("admin", &app.demo_password).await;
    assert_eq!(r.status, 429);
}

fn b64(s: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s)
}

fn forge(claims: serde_json::Value, secret: &str) -> String {
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap()
}

#[tokio::test]
async fn bad_tokens_are_refused() {
    let app = spawn_app().await;
    let token = app.token("grid1").await;
    let me = app.me(&token).await;
    assert_eq!(me.status, 200);
    let parts: Vec<&str> = token.split('.').collect();
    let claims: serde_json::Value =
        serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();

    assert_eq!(app.get(None, "/api/me").await.code(), "unauthorized");
    assert_eq!(app.me("garbage").await.code(), "unauthorized");

    // Tampered: claim to be the admin (id 1) with the original signature.
    let mut evil = claims.clone();
    evil["sub"] = json!("1");
    let tampered = format!("{}.{}.{}", parts[0], b64(&evil.to_string()), parts[2]);
    let r = app.me(&tampered).await;
    assert_eq!((r.status, r.code()), (401, "unauthorized"));

    // alg: none, no signature.
    let none = format!("{}.{}.", b64(r#"{"alg":"none","typ":"JWT"}"#), b64(&evil.to_string()));
    let r = app.me(&none).await;
    assert_eq!((r.status, r.code()), (401, "unauthorized"));

    // Signed with another secret.
    let r = app.me(&forge(evil.clone(), "some-other-secret-some-other-secret-xx")).await;
    assert_eq!((r.status, r.code()), (401, "unauthorized"));

    // Correctly signed but expired.
    let mut old = claims.clone();
    old["exp"] = json!(claims["iat"].as_i64().unwrap() - 10);
    let r = app.me(&forge(old, JWT_SECRET)).await;
    assert_eq!((r.status, r.code()), (401, "token_expired"));

    // A real token expires after its lifetime.
    app.state.clock.advance(Duration::minutes(16));
    let r = app.me(&token).await;
    assert_eq!((r.status, r.code()), (401, "token_expired"));
}

#[tokio::test]
async fn refresh_rotates_and_a_reused_refresh_token_ends_the_session() {
    let app = spawn_app().await;
    let first = app.sign_in("grid1", &app.demo_password).await.ok();
    let r1 = first.refresh_token.as_str();
    let second = app.refresh(r1).await.with_status(200);
    let r2 = second.refresh_token;
    assert_ne!(r1, r2);
    let access2 = second.access_token;
    assert_eq!(app.me(&access2).await.status, 200);

    // r1 was spent: presenting it again means it was copied, so the whole session ends.
    let reuse = app.refresh(r1).await;
    assert_eq!((reuse.status, reuse.code()), (401, "session_ended"));
    assert_eq!(app.refresh(&r2).await.code(), "session_ended");
    assert_eq!(app.me(&access2).await.code(), "session_ended");
    assert_eq!(app.refresh("made-up").await.status, 401);
}

#[tokio::test]
async fn signing_out_ends_the_session_at_once() {
    let app = spawn_app().await;
    let body = app.sign_in("grid1", &app.demo_password).await.ok();
    let access = body.access_token.as_str();
    let other = app.token("grid1").await;
    let r = app.logout(access).await;
    assert_eq!(r.status, 204);
    assert_eq!(app.me(access).await.code(), "session_ended");
    assert_eq!(app.refresh(&body.refresh_token).await.status, 401);
    // Another session of the same account is untouched.
    assert_eq!(app.me(&other).await.status, 200);
}

#[tokio::test]
async fn disabling_an_account_ends_its_sessions_and_blocks_sign_in() {
    let app = spawn_app().await;
    let admin = app.token("admin").await;
    let grid = app.token("grid1").await;
    let id = app.me(&grid).await.ok().id;
    let active = |active: bool| UpdateAccount { active: Some(active), ..Default::default() };
    let r = app.update_account(&admin, id, &active(false)).await.with_status(200);
    assert!(!r.active);
    assert_eq!(app.me(&grid).await.status, 401);
    let login = app.sign_in("grid1", &app.demo_password).await;
    assert_eq!((login.status, login.code()), (403, "account_disabled"));
    // Enabled again, the person can sign in.
    app.update_account(&admin, id, &active(true)).await;
    assert_eq!(app.sign_in("grid1", &app.demo_password).await.status, 200);
}

#[tokio::test]
async fn a_reset_password_must_be_changed_before_anything_else() {
    let app = spawn_app().await;
    let admin = app.token("admin").await;
    let grid = app.token("grid1").await;
    let id = app.me(&grid).await.ok().id;
    let r = app.reset_password(&admin, id, "Temp2026x").await;
    assert_eq!(r.status, 204, "{:?}", r.body);
    assert_eq!(app.me(&grid).await.code(), "session_ended");
    assert_eq!(app.sign_in("grid1", &app.demo_password).await.status, 401);

    let login = app.sign_in("grid1", "Temp2026x").await.with_status(200);
    assert!(login.user.must_change_password);
    let token = login.access_token.as_str();
    let blocked = app.org_units(token, "").await;
    assert_eq!((blocked.status, blocked.code()), (403, "password_change_required"));
    assert_eq!(app.me(token).await.status, 200);

    let weak = app.change_password(token, "Temp2026x", "short").await;
    assert_eq!((weak.status, weak.field()), (422, Some("new_password")));
    let wrong = app.change_password(token, "nope", "Mine2026abc").await;
    assert_eq!(wrong.field(), Some("current_password"));
    let ok = app.change_password(token, "Temp2026x", "Mine2026abc").await;
    assert_eq!(ok.status, 204, "{:?}", ok.body);
    assert_eq!(app.org_units(token, "").await.status, 200);
    assert!(!app.sign_in("grid1", "Mine2026abc").await.ok().user.must_change_password);
}
