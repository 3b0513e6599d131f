//! Sign-in, tokens, refresh rotation, revocation, throttling, forced password change.

use base64::Engine;
use chrono::Duration;
use serde_json::json;
use tests::{spawn_app, spawn_app_with, JWT_SECRET};

#[tokio::test]
async fn sign_in_by_username_or_phone_returns_tokens_and_roles() {
    let app = spawn_app().await;
    for login in ["grid1", "13800000001", "138 0000 0001"] {
        let r = app.login(login, &app.demo_password).await;
        assert_eq!(r.status, 200, "{login}: {:?}", r.body);
        assert!(r.body["access_token"].as_str().unwrap().len() > 20);
        assert!(r.body["refresh_token"].as_str().unwrap().len() >= 43);
        let role = &r.body["user"]["roles"][0];
        assert_eq!(role["role"], "grid_leader");
        assert_eq!(role["role_label"], "网格长");
        assert_eq!(role["unit"]["full_name"], "新华街道 / 和平社区 / 和平社区第一党群服务站 / 第一网格");
    }
    let token = app.token("grid1").await;
    let me = app.get(Some(&token), "/api/me").await;
    assert_eq!(me.status, 200);
    assert_eq!(me.body["username"], "grid1");
    assert_eq!(me.body["display_name"], "王建华");
}

#[tokio::test]
async fn wrong_password_and_unknown_account_look_the_same() {
    let app = spawn_app().await;
    let wrong = app.login("grid1", "nope12345").await;
    let unknown = app.login("nobody", "nope12345").await;
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
    let r = app.post(None, "/api/auth/login", &json!({"login": "", "password": "x"})).await;
    assert_eq!(r.status, 422);
    assert_eq!(r.body["field"], "login");
    assert_eq!(r.body["message"], "请输入用户名或手机号");
}

#[tokio::test]
async fn an_account_is_throttled_after_repeated_failures_then_released() {
    let app = spawn_app().await;
    for _ in 0..5 {
        assert_eq!(app.login("grid1", "wrong-pass1").await.status, 401);
    }
    // Even the right password is refused while throttled.
    let r = app.login("grid1", &app.demo_password).await;
    assert_eq!(r.status, 429, "{:?}", r.body);
    assert_eq!(r.code(), "too_many_requests");
    // Another account from the same address is not affected yet.
    assert_eq!(app.login("grid2", &app.demo_password).await.status, 200);
    app.state.clock.advance(Duration::minutes(16));
    assert_eq!(app.login("grid1", &app.demo_password).await.status, 200);
}

#[tokio::test]
async fn an_address_is_throttled_across_accounts() {
    let app = spawn_app_with(|s| s.login_max_failures_per_ip = 4).await;
    for user in ["grid1", "grid2", "station1", "station2"] {
        assert_eq!(app.login(user, "wrong-pass1").await.status, 401);
    }
    let r = app.login("admin", &app.demo_password).await;
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
    let me = app.get(Some(&token), "/api/me").await;
    assert_eq!(me.status, 200);
    let parts: Vec<&str> = token.split('.').collect();
    let claims: serde_json::Value =
        serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();

    assert_eq!(app.get(None, "/api/me").await.code(), "unauthorized");
    assert_eq!(app.get(Some("garbage"), "/api/me").await.code(), "unauthorized");

    // Tampered: claim to be the admin (id 1) with the original signature.
    let mut evil = claims.clone();
    evil["sub"] = json!("1");
    let tampered = format!("{}.{}.{}", parts[0], b64(&evil.to_string()), parts[2]);
    let r = app.get(Some(&tampered), "/api/me").await;
    assert_eq!((r.status, r.code()), (401, "unauthorized"));

    // alg: none, no signature.
    let none = format!("{}.{}.", b64(r#"{"alg":"none","typ":"JWT"}"#), b64(&evil.to_string()));
    let r = app.get(Some(&none), "/api/me").await;
    assert_eq!((r.status, r.code()), (401, "unauthorized"));

    // Signed with another secret.
    let r = app.get(Some(&forge(evil.clone(), "some-other-secret-some-other-secret-xx")), "/api/me").await;
    assert_eq!((r.status, r.code()), (401, "unauthorized"));

    // Correctly signed but expired.
    let mut old = claims.clone();
    old["exp"] = json!(claims["iat"].as_i64().unwrap() - 10);
    let r = app.get(Some(&forge(old, JWT_SECRET)), "/api/me").await;
    assert_eq!((r.status, r.code()), (401, "token_expired"));

    // A real token expires after its lifetime.
    app.state.clock.advance(Duration::minutes(16));
    let r = app.get(Some(&token), "/api/me").await;
    assert_eq!((r.status, r.code()), (401, "token_expired"));
}

#[tokio::test]
async fn refresh_rotates_and_a_reused_refresh_token_ends_the_session() {
    let app = spawn_app().await;
    let first = app.login("grid1", &app.demo_password).await.body;
    let r1 = first["refresh_token"].as_str().unwrap();
    let second = app.post(None, "/api/auth/refresh", &json!({"refresh_token": r1})).await;
    assert_eq!(second.status, 200, "{:?}", second.body);
    let r2 = second.body["refresh_token"].as_str().unwrap().to_string();
    assert_ne!(r1, r2);
    let access2 = second.body["access_token"].as_str().unwrap().to_string();
    assert_eq!(app.get(Some(&access2), "/api/me").await.status, 200);

    // r1 was spent: presenting it again means it was copied, so the whole session ends.
    let reuse = app.post(None, "/api/auth/refresh", &json!({"refresh_token": r1})).await;
    assert_eq!((reuse.status, reuse.code()), (401, "session_ended"));
    assert_eq!(app.post(None, "/api/auth/refresh", &json!({"refresh_token": r2})).await.code(), "session_ended");
    assert_eq!(app.get(Some(&access2), "/api/me").await.code(), "session_ended");
    assert_eq!(app.post(None, "/api/auth/refresh", &json!({"refresh_token": "made-up"})).await.status, 401);
}

#[tokio::test]
async fn signing_out_ends_the_session_at_once() {
    let app = spawn_app().await;
    let body = app.login("grid1", &app.demo_password).await.body;
    let access = body["access_token"].as_str().unwrap();
    let other = app.token("grid1").await;
    let r = app.post(Some(access), "/api/auth/logout", &json!({})).await;
    assert_eq!(r.status, 204);
    assert_eq!(app.get(Some(access), "/api/me").await.code(), "session_ended");
    assert_eq!(app.post(None, "/api/auth/refresh", &json!({"refresh_token": body["refresh_token"]})).await.status, 401);
    // Another session of the same account is untouched.
    assert_eq!(app.get(Some(&other), "/api/me").await.status, 200);
}

#[tokio::test]
async fn disabling_an_account_ends_its_sessions_and_blocks_sign_in() {
    let app = spawn_app().await;
    let admin = app.token("admin").await;
    let grid = app.token("grid1").await;
    let id = app.get(Some(&grid), "/api/me").await.body["id"].as_i64().unwrap();
    let r = app.patch(Some(&admin), &format!("/api/accounts/{id}"), &json!({"active": false})).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["active"], false);
    assert_eq!(app.get(Some(&grid), "/api/me").await.status, 401);
    let login = app.login("grid1", &app.demo_password).await;
    assert_eq!((login.status, login.code()), (403, "account_disabled"));
    // Enabled again, the person can sign in.
    app.patch(Some(&admin), &format!("/api/accounts/{id}"), &json!({"active": true})).await;
    assert_eq!(app.login("grid1", &app.demo_password).await.status, 200);
}

#[tokio::test]
async fn a_reset_password_must_be_changed_before_anything_else() {
    let app = spawn_app().await;
    let admin = app.token("admin").await;
    let grid = app.token("grid1").await;
    let id = app.get(Some(&grid), "/api/me").await.body["id"].as_i64().unwrap();
    let r = app
        .post(Some(&admin), &format!("/api/accounts/{id}/reset-password"), &json!({"new_password": "Temp2026x"}))
        .await;
    assert_eq!(r.status, 204, "{:?}", r.body);
    assert_eq!(app.get(Some(&grid), "/api/me").await.code(), "session_ended");
    assert_eq!(app.login("grid1", &app.demo_password).await.status, 401);

    let login = app.login("grid1", "Temp2026x").await;
    assert_eq!(login.status, 200);
    assert_eq!(login.body["user"]["must_change_password"], true);
    let token = login.body["access_token"].as_str().unwrap();
    let blocked = app.get(Some(token), "/api/org/units").await;
    assert_eq!((blocked.status, blocked.code()), (403, "password_change_required"));
    assert_eq!(app.get(Some(token), "/api/me").await.status, 200);

    let weak = app
        .post(Some(token), "/api/me/password", &json!({"current_password": "Temp2026x", "new_password": "short"}))
        .await;
    assert_eq!((weak.status, weak.body["field"].as_str()), (422, Some("new_password")));
    let wrong = app
        .post(Some(token), "/api/me/password", &json!({"current_password": "nope", "new_password": "Mine2026abc"}))
        .await;
    assert_eq!(wrong.body["field"], "current_password");
    let ok = app
        .post(Some(token), "/api/me/password", &json!({"current_password": "Temp2026x", "new_password": "Mine2026abc"}))
        .await;
    assert_eq!(ok.status, 204, "{:?}", ok.body);
    assert_eq!(app.get(Some(token), "/api/org/units").await.status, 200);
    assert_eq!(app.login("grid1", "Mine2026abc").await.body["user"]["must_change_password"], false);
}
