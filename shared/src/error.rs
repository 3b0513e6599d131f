//! The error contract: every non-2xx response of the API carries one `ApiError` as JSON.

use serde::{Deserialize, Serialize};

/// A stable, machine-readable error code. Clients branch on this, never on the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// A field of the request is missing or wrong; `field` names it.
    Validation,
    /// No valid access token was sent (absent, malformed, tampered, wrong algorithm).
    Unauthorized,
    /// The access token has expired: refresh it and retry.
    TokenExpired,
    /// The session was ended (sign-out, account disabled, password reset) or the refresh token is unknown or reused.
    SessionEnded,
    /// Wrong login or password.
    InvalidCredentials,
    /// The account has been disabled by an administrator.
    AccountDisabled,
    /// The password must be changed before anything else can be done.
    PasswordChangeRequired,
    /// Signed in, but the account's roles do not allow this here.
    Forbidden,
    /// The thing asked for does not exist (or is outside what the account may see).
    NotFound,
    /// The item changed since it was read (its `version` is newer): reload and try again.
    StaleVersion,
    /// The action is not allowed at the item's current stage.
    WrongStage,
    /// The stage's deadline has passed, so the action (an extension, its approval) is no longer possible.
    DeadlinePassed,
    /// The request conflicts with the current state (a duplicate name, a stale version, a move into itself).
    Conflict,
    /// Too many attempts; wait and try again.
    TooManyRequests,
    /// The request body is too large.
    PayloadTooLarge,
    /// An uploaded file could not be imported; `problems` lists each row and column.
    ImportFailed,
    /// The database or another dependency is unreachable.
    Unavailable,
    /// Something went wrong on the server; the log has the cause.
    Internal,
}

/// One problem in a request or an uploaded file: where it is and what is wrong, in Chinese.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Problem {
    /// The sheet of an uploaded workbook, when the problem is in a file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// The 1-based row of the sheet, as Excel shows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub row: Option<u32>,
    /// The column: its letter and header, e.g. "C 手机号".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// The request field, e.g. "phone".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// What is wrong and what to do, in Chinese.
    pub message: String,
}

impl Problem {
    /// A problem with one request field.
    pub fn on(field: &str, message: impl Into<String>) -> Self {
        Self { sheet: None, row: None, column: None, field: Some(field.into()), message: message.into() }
    }
}

/// The body of every non-2xx response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiError {
    /// The stable code.
    pub code: ErrorCode,
    /// A message for people, in Simplified Chinese.
    pub message: String,
    /// The request field at fault, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Every problem found, when there are several (validation, import).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<Problem>,
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self { code, message: message.into(), field: None, problems: Vec::new() }
    }

    /// A validation error listing every problem found, the first one's message and field on top; none when there is
    /// no problem.
    pub fn from_problems(problems: Vec<Problem>) -> Option<Self> {
        let first = problems.first().cloned()?;
        Some(Self { code: ErrorCode::Validation, message: first.message, field: first.field, problems })
    }

    /// A validation error on one field.
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        Self {
            code: ErrorCode::Validation,
            field: Some(field.to_string()),
            problems: vec![Problem::on(field, message.clone())],
            message,
        }
    }

    #[cfg(feature = "validate")]
    /// A validation error from validator's report, field by field, messages in Chinese.
    pub fn from_validation(errors: &validator::ValidationErrors) -> Self {
        let mut problems: Vec<Problem> = Vec::new();
        collect_problems("", errors, &mut problems);
        problems.sort_by(|a, b| a.field.cmp(&b.field));
        let first = problems.first().cloned();
        Self {
            code: ErrorCode::Validation,
            message: first.as_ref().map(|p| p.message.clone()).unwrap_or_else(|| "输入有误".into()),
            field: first.and_then(|p| p.field),
            problems,
        }
    }
}

#[cfg(feature = "validate")]
fn collect_problems(prefix: &str, errors: &validator::ValidationErrors, out: &mut Vec<Problem>) {
    use validator::ValidationErrorsKind;
    for (field, kind) in errors.errors() {
        let path = if prefix.is_empty() { field.to_string() } else { format!("{prefix}.{field}") };
        match kind {
            ValidationErrorsKind::Field(list) => {
                for e in list {
                    let message = e.message.as_ref().map(|m| m.to_string()).unwrap_or_else(|| format!("{path} 不正确"));
                    out.push(Problem { sheet: None, row: None, column: None, field: Some(path.clone()), message });
                }
            }
            ValidationErrorsKind::Struct(inner) => collect_problems(&path, inner, out),
            ValidationErrorsKind::List(items) => {
                for (i, inner) in items {
                    collect_problems(&format!("{path}[{i}]"), inner, out);
                }
            }
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ApiError {}
