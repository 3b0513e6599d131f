//! The one way to call the API: JSON in and out, the bearer token, one refresh when the access token has expired,
//! and every failure as a `shared::ApiError` whose Chinese message can be shown as is.

use std::cell::RefCell;

use futures::future::{FutureExt, LocalBoxFuture, Shared};
use gloo_net::http::{Method, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;
use shared::dto::{LoginRequest, RefreshRequest, TokenResponse};
use shared::{ApiError, ErrorCode};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::state::{self, Session};

/// Shown when the request never reached the server.
pub const NETWORK_ERROR: &str = "网络连接失败，请检查网络后重试";

/// The content type of an .xlsx upload.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// An error made on this side, in the same shape as the server's.
pub fn local_error(code: ErrorCode, message: &str) -> ApiError {
    ApiError::new(code, message)
}

fn network_error() -> ApiError {
    local_error(ErrorCode::Unavailable, NETWORK_ERROR)
}

fn session_over() -> ApiError {
    local_error(ErrorCode::SessionEnded, "登录已失效，请重新登录")
}

/// What a request carries.
enum Body {
    Empty,
    Json(String),
    Raw { data: JsValue, content_type: &'static str },
}

impl Body {
    fn json<B: Serialize + ?Sized>(value: &B) -> Result<Self, ApiError> {
        serde_json::to_string(value)
            .map(Body::Json)
            .map_err(|_| local_error(ErrorCode::Internal, "数据无法发送，请刷新页面后重试"))
    }
}

/// Sends one request, without any retry.
async fn send_once(method: Method, path: &str, body: &Body, token: Option<&str>) -> Result<Response, ApiError> {
    let mut builder = RequestBuilder::new(path).method(method);
    if let Some(token) = token {
        builder = builder.header("Authorization", &format!("Bearer {token}"));
    }
    let request = match body {
        Body::Empty => builder.build(),
        Body::Json(text) => builder.header("Content-Type", "application/json").body(text.as_str()),
        Body::Raw { data, content_type } => builder.header("Content-Type", content_type).body(data.clone()),
    }
    .map_err(|_| network_error())?;
    request.send().await.map_err(|_| network_error())
}

/// Reads the `ApiError` of a non-2xx answer; answers that are not ours (a proxy, a crash) get a message by status.
async fn read_error(resp: Response) -> ApiError {
    let status = resp.status();
    let text = resp.text().await.ok();
    error_from(status, text.as_deref())
}

/// The `ApiError` of a non-2xx answer from its status and body text (also for requests made without gloo).
pub fn error_from(status: u16, text: Option<&str>) -> ApiError {
    if let Some(err) = text.and_then(|t| serde_json::from_str::<ApiError>(t).ok()) {
        return err;
    }
    match status {
        401 => session_over(),
        403 => local_error(ErrorCode::Forbidden, "没有权限进行此操作"),
        404 => local_error(ErrorCode::NotFound, "找不到该内容，请返回后刷新"),
        413 => local_error(ErrorCode::PayloadTooLarge, "文件太大，请拆分后再上传"),
        429 => local_error(ErrorCode::TooManyRequests, "操作太频繁，请稍后再试"),
        502..=504 => local_error(ErrorCode::Unavailable, "服务暂时不可用，请稍后重试"),
        _ => local_error(ErrorCode::Internal, &format!("服务器出错（{status}），请稍后重试")),
    }
}

/// Passes a 2xx answer through; turns anything else into its error, noting a pending password change.
async fn check(resp: Response) -> Result<Response, ApiError> {
    if resp.ok() {
        return Ok(resp);
    }
    let err = read_error(resp).await;
    note_error(&err);
    Err(err)
}

/// What an error means for the session: a pending password change is noted, a disabled account signed out.
fn note_error(err: &ApiError) {
    match err.code {
        ErrorCode::PasswordChangeRequired => {
            if let Some(mut s) = state::current() {
                s.me.must_change_password = true;
                state::set(s);
            }
        }
        ErrorCode::AccountDisabled => state::clear(),
        _ => {}
    }
}

/// A refresh in flight, awaited by every call that met the expired token meanwhile.
type PendingRefresh = Shared<LocalBoxFuture<'static, Result<(), ApiError>>>;

thread_local! {
    static REFRESHING: RefCell<Option<PendingRefresh>> = const { RefCell::new(None) };
}

/// Gets a new token pair once, however many calls ask; `Ok` when the session can go on.
async fn refresh(expired_token: &str) -> Result<(), ApiError> {
    match state::current() {
        None => return Err(session_over()),
        // Someone refreshed while this call was on its way.
        Some(s) if s.access_token != expired_token => return Ok(()),
        Some(_) => {}
    }
    let fut = REFRESHING.with(|r| r.borrow_mut().get_or_insert_with(|| do_refresh().boxed_local().shared()).clone());
    fut.await
}

async fn do_refresh() -> Result<(), ApiError> {
    let result = match state::current() {
        None => Err(session_over()),
        Some(s) => {
            let body = RefreshRequest { refresh_token: s.refresh_token };
            match post_public::<_, TokenResponse>("/api/auth/refresh", &body).await {
                Ok(tokens) => {
                    state::set(Session::from_tokens(tokens));
                    Ok(())
                }
                // Offline: keep the session, the person may retry.
                Err(e) if e.message == NETWORK_ERROR => Err(e),
                Err(_) => {
                    state::clear();
                    Err(session_over())
                }
            }
        }
    };
    REFRESHING.with(|r| r.borrow_mut().take());
    result
}

/// Sends a request with the session's token, refreshing and retrying once when it has expired.
async fn send(method: Method, path: &str, body: Body) -> Result<Response, ApiError> {
    let Some(token) = state::current().map(|s| s.access_token) else {
        return Err(session_over());
    };
    let resp = send_once(method.clone(), path, &body, Some(&token)).await?;
    if resp.status() != 401 {
        return check(resp).await;
    }
    let err = read_error(resp).await;
    if err.code != ErrorCode::TokenExpired {
        // Signed out elsewhere, disabled, or a password reset: the session is over.
        state::clear();
        return Err(err);
    }
    refresh(&token).await?;
    let Some(token) = state::current().map(|s| s.access_token) else {
        return Err(session_over());
    };
    let resp = send_once(method, path, &body, Some(&token)).await?;
    if resp.status() == 401 {
        let err = read_error(resp).await;
        state::clear();
        return Err(err);
    }
    check(resp).await
}

/// An answer to a request made outside gloo (an `XMLHttpRequest` that reports upload progress): status and body.
pub struct RawAnswer {
    pub status: u16,
    pub text: String,
}

/// Runs a request made outside gloo with the session's token, with the same rules as every other call: one refresh
/// and retry when the token has expired, the session ended on any other 401. `attempt` gets the token and answers
/// the status and body; `Err` when the request never reached the server. Returns the body of a 2xx answer.
pub async fn with_token<F, Fut>(mut attempt: F) -> Result<String, ApiError>
where
    F: FnMut(String) -> Fut,
    Fut: std::future::Future<Output = Result<RawAnswer, ApiError>>,
{
    let Some(token) = state::current().map(|s| s.access_token) else {
        return Err(session_over());
    };
    let mut answer = attempt(token.clone()).await?;
    if answer.status == 401 {
        let err = error_from(401, Some(&answer.text));
        if err.code != ErrorCode::TokenExpired {
            state::clear();
            return Err(err);
        }
        refresh(&token).await?;
        let Some(token) = state::current().map(|s| s.access_token) else {
            return Err(session_over());
        };
        answer = attempt(token).await?;
        if answer.status == 401 {
            let err = error_from(401, Some(&answer.text));
            state::clear();
            return Err(err);
        }
    }
    if (200..300).contains(&answer.status) {
        Ok(answer.text)
    } else {
        let err = error_from(answer.status, Some(&answer.text));
        note_error(&err);
        Err(err)
    }
}

/// Reads a JSON body received outside gloo.
pub fn decode_text<T: DeserializeOwned>(text: &str) -> Result<T, ApiError> {
    serde_json::from_str(text)
        .map_err(|_| local_error(ErrorCode::Internal, "服务器返回的数据无法识别，请刷新页面后重试"))
}

/// The message shown when a request never reached the server.
pub fn offline_error() -> ApiError {
    network_error()
}

async fn decode<T: DeserializeOwned>(resp: Response) -> Result<T, ApiError> {
    resp.json::<T>().await.map_err(|_| local_error(ErrorCode::Internal, "服务器返回的数据无法识别，请刷新页面后重试"))
}

/// A request without a token (sign-in, refresh).
async fn post_public<B: Serialize + ?Sized, T: DeserializeOwned>(path: &str, body: &B) -> Result<T, ApiError> {
    let resp = send_once(Method::POST, path, &Body::json(body)?, None).await?;
    decode(check(resp).await?).await
}

/// A request of the resident's page (the residents' build): no token, no refresh, and nothing about a session read or changed (a resident
/// has no account; a staff member opening a resident's link stays signed in as they were).
#[cfg_attr(not(feature = "resident"), allow(dead_code))]
async fn send_open(method: Method, path: &str, body: Body) -> Result<Response, ApiError> {
    let resp = send_once(method, path, &body, None).await?;
    if resp.ok() {
        Ok(resp)
    } else {
        Err(read_error(resp).await)
    }
}

/// `GET` a JSON answer without signing in.
#[cfg_attr(not(feature = "resident"), allow(dead_code))]
pub async fn get_open<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    decode(send_open(Method::GET, path, Body::Empty).await?).await
}

/// `PUT` JSON without signing in, read JSON.
#[cfg_attr(not(feature = "resident"), allow(dead_code))]
pub async fn put_open<B: Serialize + ?Sized, T: DeserializeOwned>(path: &str, body: &B) -> Result<T, ApiError> {
    decode(send_open(Method::PUT, path, Body::json(body)?).await?).await
}

/// `GET` a JSON answer.
pub async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    decode(send(Method::GET, path, Body::Empty).await?).await
}

/// `POST` JSON, read JSON.
pub async fn post<B: Serialize + ?Sized, T: DeserializeOwned>(path: &str, body: &B) -> Result<T, ApiError> {
    decode(send(Method::POST, path, Body::json(body)?).await?).await
}

/// `POST` JSON to an endpoint that answers 204.
pub async fn post_no_content<B: Serialize + ?Sized>(path: &str, body: &B) -> Result<(), ApiError> {
    send(Method::POST, path, Body::json(body)?).await.map(|_| ())
}

/// `DELETE`, for an endpoint that answers 204.
pub async fn delete(path: &str) -> Result<(), ApiError> {
    send(Method::DELETE, path, Body::Empty).await.map(|_| ())
}

/// `PATCH` JSON, read JSON.
pub async fn patch<B: Serialize + ?Sized, T: DeserializeOwned>(path: &str, body: &B) -> Result<T, ApiError> {
    decode(send(Method::PATCH, path, Body::json(body)?).await?).await
}

/// `PUT` JSON, read JSON.
pub async fn put<B: Serialize + ?Sized, T: DeserializeOwned>(path: &str, body: &B) -> Result<T, ApiError> {
    decode(send(Method::PUT, path, Body::json(body)?).await?).await
}

/// `POST` raw bytes (a `Blob`, `File` or `Uint8Array`), read JSON.
pub async fn upload<T: DeserializeOwned>(path: &str, data: JsValue, content_type: &'static str) -> Result<T, ApiError> {
    decode(send(Method::POST, path, Body::Raw { data, content_type }).await?).await
}

/// Signs in and stores the session.
pub async fn login(req: &LoginRequest) -> Result<Session, ApiError> {
    let tokens: TokenResponse = post_public("/api/auth/login", req).await?;
    let session = Session::from_tokens(tokens);
    state::set(session.clone());
    Ok(session)
}

/// Ends the session on the server (best effort) and forgets it here.
pub async fn logout() {
    if let Some(s) = state::current() {
        let body = RefreshRequest { refresh_token: s.refresh_token };
        let _ = post_no_content("/api/auth/logout", &body).await;
    }
    state::clear();
}

/// Fetches a file with the token and hands it to the browser as a download named `filename`.
pub async fn download(path: &str, filename: &str) -> Result<(), ApiError> {
    let resp = send(Method::GET, path, Body::Empty).await?;
    let failed = || local_error(ErrorCode::Internal, "文件下载失败，请重试");
    let raw: web_sys::Response = resp.into();
    let promise = raw.blob().map_err(|_| failed())?;
    let blob: web_sys::Blob = JsFuture::from(promise).await.map_err(|_| network_error())?.unchecked_into();
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| failed())?;
    let document = web_sys::window().and_then(|w| w.document()).ok_or_else(failed)?;
    let anchor: web_sys::HtmlAnchorElement = document.create_element("a").map_err(|_| failed())?.unchecked_into();
    anchor.set_href(&url);
    anchor.set_download(filename);
    if let Some(body) = document.body() {
        let _ = body.append_child(&anchor);
    }
    anchor.click();
    anchor.remove();
    leptos::prelude::set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(30),
    );
    Ok(())
}

/// Encodes a value for a query string.
pub fn encode(value: &str) -> String {
    String::from(js_sys::encode_uri_component(value))
}
