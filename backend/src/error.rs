//! Errors of the server and how each becomes an HTTP response carrying `shared::ApiError`.
//! Handlers return `AppError::Api` for anything the client did (with a Chinese message), and let database and
//! internal failures convert through `From`; those keep their cause for the log and never show it to the client.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use shared::{ApiError, ErrorCode};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Something the client can act on.
    #[error("{0}")]
    Api(ApiError),
    /// The database (or another dependency) cannot be reached.
    #[error("unavailable: {0}")]
    Unavailable(String),
    /// The disk holding the database or the photos is full: nothing was written, what was saved is safe.
    #[error("storage full: {0}")]
    StorageFull(String),
    /// A bug or an unexpected failure; logged with its cause, shown as a generic message.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl AppError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        AppError::Api(ApiError::new(code, message))
    }
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        AppError::Api(ApiError::field(field, message))
    }
    pub fn forbidden() -> Self {
        Self::new(ErrorCode::Forbidden, "您没有权限进行此操作")
    }
    pub fn not_found(what: &str) -> Self {
        Self::new(ErrorCode::NotFound, format!("{what}不存在或您无权查看"))
    }
    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Conflict, message)
    }
}

impl From<ApiError> for AppError {
    fn from(e: ApiError) -> Self {
        AppError::Api(e)
    }
}

impl From<validator::ValidationErrors> for AppError {
    fn from(e: validator::ValidationErrors) -> Self {
        AppError::Api(ApiError::from_validation(&e))
    }
}

impl From<DieselError> for AppError {
    fn from(e: DieselError) -> Self {
        match e {
            DieselError::NotFound => AppError::new(ErrorCode::NotFound, "记录不存在"),
            DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => {
                AppError::conflict("已存在相同的记录（名称、用户名或手机号重复）")
            }
            DieselError::DatabaseError(DatabaseErrorKind::ClosedConnection, info) => {
                AppError::Unavailable(info.message().to_string())
            }
            DieselError::DatabaseError(_, info) if says_storage_full(info.message()) => {
                AppError::StorageFull(info.message().to_string())
            }
            other => AppError::Internal(anyhow::Error::new(other)),
        }
    }
}

/// Whether an error's words say the disk is full: SQLite's "database or disk is full", PostgreSQL's "could not
/// extend file …: No space left on device", the operating system's ENOSPC.
pub fn says_storage_full(message: &str) -> bool {
    let m = message.to_ascii_lowercase();
    m.contains("database or disk is full") || m.contains("no space left on device") || m.contains("disk full")
}

impl AppError {
    /// An unexpected failure, or a full disk when its cause says so (photos written to a full disk, say).
    pub fn internal_or_full(e: anyhow::Error) -> AppError {
        if e.chain().any(|c| says_storage_full(&c.to_string())) {
            AppError::StorageFull(format!("{e:#}"))
        } else {
            AppError::Internal(e)
        }
    }
}

impl From<diesel::r2d2::PoolError> for AppError {
    fn from(e: diesel::r2d2::PoolError) -> Self {
        AppError::Unavailable(e.to_string())
    }
}

pub fn status_of(code: ErrorCode) -> StatusCode {
    match code {
        ErrorCode::Validation | ErrorCode::ImportFailed => StatusCode::UNPROCESSABLE_ENTITY,
        ErrorCode::Unauthorized | ErrorCode::TokenExpired | ErrorCode::SessionEnded | ErrorCode::InvalidCredentials => {
            StatusCode::UNAUTHORIZED
        }
        ErrorCode::AccountDisabled | ErrorCode::PasswordChangeRequired | ErrorCode::Forbidden => StatusCode::FORBIDDEN,
        ErrorCode::NotFound => StatusCode::NOT_FOUND,
        ErrorCode::Conflict | ErrorCode::StaleVersion | ErrorCode::WrongStage | ErrorCode::DeadlinePassed => {
            StatusCode::CONFLICT
        }
        ErrorCode::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
        ErrorCode::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        ErrorCode::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        ErrorCode::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl AppError {
    fn body(&self) -> ApiError {
        match self {
            AppError::Api(e) => e.clone(),
            AppError::Unavailable(_) => ApiError::new(ErrorCode::Unavailable, "系统暂时无法访问数据库，请稍后重试"),
            AppError::StorageFull(_) => ApiError::new(
                ErrorCode::Unavailable,
                "服务器存储空间已满，这次没有保存（已保存的记录不受影响）。请稍后重试，并请联系管理员清理空间",
            ),
            AppError::Internal(_) => {
                ApiError::new(ErrorCode::Internal, "系统出错了，请稍后重试；如果一直出现，请联系管理员")
            }
        }
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        status_of(self.body().code)
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            AppError::Internal(e) => tracing::error!(error = ?e, "internal error"),
            AppError::Unavailable(e) => tracing::error!(error = %e, "dependency unavailable"),
            AppError::StorageFull(e) => {
                tracing::error!(error = %e, "storage full: writes refused until space is freed")
            }
            AppError::Api(_) => {}
        }
        HttpResponse::build(self.status_code()).json(self.body())
    }
}

/// Turns actix's own extractor failures (malformed JSON, wrong content type, too large) into the error contract.
pub fn json_error_handler(err: actix_web::error::JsonPayloadError, _req: &actix_web::HttpRequest) -> actix_web::Error {
    use actix_web::error::JsonPayloadError as J;
    let api = match &err {
        J::OverflowKnownLength { .. } | J::Overflow { .. } => {
            ApiError::new(ErrorCode::PayloadTooLarge, "提交的内容太大")
        }
        J::ContentType => ApiError::new(ErrorCode::Validation, "请求格式应为 JSON"),
        J::Deserialize(e) => {
            let field = e.to_string();
            let mut api = ApiError::new(ErrorCode::Validation, format!("提交的数据格式不正确：{field}"));
            api.field = missing_or_unknown_field(&field);
            api
        }
        _ => ApiError::new(ErrorCode::Validation, "无法读取提交的数据"),
    };
    AppError::Api(api).into()
}

pub fn query_error_handler(
    err: actix_web::error::QueryPayloadError,
    _req: &actix_web::HttpRequest,
) -> actix_web::Error {
    AppError::Api(ApiError::new(ErrorCode::Validation, format!("查询参数不正确：{err}"))).into()
}

pub fn path_error_handler(err: actix_web::error::PathError, _req: &actix_web::HttpRequest) -> actix_web::Error {
    AppError::Api(ApiError::new(ErrorCode::NotFound, format!("地址不正确：{err}"))).into()
}

/// serde names the field in its message (`missing field `login``); pull it out for the form.
fn missing_or_unknown_field(message: &str) -> Option<String> {
    if !(message.starts_with("missing field") || message.starts_with("unknown field")) {
        return None;
    }
    let start = message.find('`')? + 1;
    let end = start + message[start..].find('`')?;
    Some(message[start..end].to_string())
}
