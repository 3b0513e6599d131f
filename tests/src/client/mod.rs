//! The typed client: a method on `TestApp` per endpoint the suite uses, taking the shared request DTOs and answering
//! an `Answer<T>` of the shared response DTO, so that a renamed field breaks the build of the tests.
//!
//! One file per area. Tests of malformed or hostile input keep the untyped `get`/`post`/… and `Reply`.

mod accounts;
mod auth;
mod items;
mod ledger;
mod org;
mod routines;
mod settings;
mod stats;
mod supervision;
mod voice;
mod workflow;

use std::fmt;
use std::marker::PhantomData;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use crate::{Reply, TestApp};

pub use workflow::{dispatch_to, onsite_office, solved_sheet};

/// A response read whole, whose successful body is a `T`.
pub struct Answer<T> {
    pub status: u16,
    pub body: Value,
    _t: PhantomData<T>,
}

impl<T> fmt::Debug for Answer<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.status, self.body)
    }
}

impl<T> From<Reply> for Answer<T> {
    fn from(r: Reply) -> Self {
        Answer { status: r.status, body: r.body, _t: PhantomData }
    }
}

impl<T: DeserializeOwned> Answer<T> {
    /// The body as T; panics with the status and body when the status is not 2xx or the body does not parse.
    #[track_caller]
    pub fn ok(self) -> T {
        assert!((200..300).contains(&self.status), "expected a 2xx answer, got {self:?}");
        self.parse()
    }

    /// The body as T after checking the status is exactly `status` (201 for a creation, 200 for a repeat).
    #[track_caller]
    pub fn with_status(self, status: u16) -> T {
        assert_eq!(self.status, status, "{self:?}");
        self.parse()
    }

    /// The body as T, whatever the status (for an answer that carries T on a non-2xx status, e.g. 503 /readyz).
    #[track_caller]
    pub fn parse(self) -> T {
        match serde_json::from_value(self.body.clone()) {
            Ok(t) => t,
            Err(e) => panic!(
                "the body of {} does not parse as {}: {e}: {}",
                self.status,
                std::any::type_name::<T>(),
                self.body
            ),
        }
    }
}

impl<T> Answer<T> {
    /// The error code of an error answer.
    pub fn code(&self) -> &str {
        self.body["code"].as_str().unwrap_or("")
    }

    /// The field an error answer names, if any.
    pub fn field(&self) -> Option<&str> {
        self.body["field"].as_str()
    }

    /// The body of an error answer as the error contract's `ApiError`; panics when it is not one.
    #[track_caller]
    pub fn error(&self) -> shared::ApiError {
        serde_json::from_value(self.body.clone())
            .unwrap_or_else(|e| panic!("not an error answer ({e}): {} {}", self.status, self.body))
    }

    /// The message of an error answer.
    pub fn message(&self) -> &str {
        self.body["message"].as_str().unwrap_or("")
    }

    /// Whether the status is 2xx.
    pub fn is_ok(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// The empty body of a 204 answer.
pub type NoContent = ();

impl TestApp {
    /// A typed GET.
    pub async fn get_as<T>(&self, token: &str, path: &str) -> Answer<T> {
        self.get(Some(token), path).await.into()
    }

    /// A typed POST.
    pub async fn post_as<T, B: Serialize>(&self, token: &str, path: &str, body: &B) -> Answer<T> {
        self.post(Some(token), path, body).await.into()
    }

    /// A typed PATCH.
    pub async fn patch_as<T, B: Serialize>(&self, token: &str, path: &str, body: &B) -> Answer<T> {
        self.patch(Some(token), path, body).await.into()
    }

    /// A typed PUT.
    pub async fn put_as<T, B: Serialize>(&self, token: &str, path: &str, body: &B) -> Answer<T> {
        self.put(Some(token), path, body).await.into()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use shared::dto::ImportSummary;

    use super::{Answer, NoContent};
    use crate::Reply;

    fn answer<T>(status: u16, body: serde_json::Value) -> Answer<T> {
        Reply { status, body }.into()
    }

    #[test]
    fn a_2xx_answer_reads_as_its_dto() {
        let body = json!({"units_created": 1, "accounts_created": 2, "roles_granted": 3});
        let summary: ImportSummary = answer(200, body).ok();
        assert_eq!(summary, ImportSummary { units_created: 1, accounts_created: 2, roles_granted: 3 });
        answer::<NoContent>(204, serde_json::Value::Null).with_status(204);
    }

    #[test]
    #[should_panic(expected = "422")]
    fn an_error_answer_is_not_ok_and_says_why() {
        answer::<ImportSummary>(422, json!({"code": "validation", "message": "x", "field": "file"})).ok();
    }

    #[test]
    #[should_panic(expected = "does not parse")]
    fn a_body_of_another_shape_is_not_ok() {
        answer::<ImportSummary>(200, json!({"units": 1})).ok();
    }

    #[test]
    fn an_error_answer_gives_its_code_field_message_and_problems() {
        let a = answer::<ImportSummary>(
            422,
            json!({"code": "import_failed", "message": "有误", "field": "file",
            "problems": [{"sheet": "账号", "row": 3, "message": "手机号不正确"}]}),
        );
        assert_eq!((a.code(), a.field(), a.message(), a.is_ok()), ("import_failed", Some("file"), "有误", false));
        assert_eq!(a.error().problems[0].row, Some(3));
    }
}
