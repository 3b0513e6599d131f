//! Items: capture, read, correct, the history, my items, and photos.

use shared::item::{CorrectItem, CreateItem, Item, ItemEvent, LedgerPage, UpdateItem, UploadedPhoto};

use super::Answer;
use crate::TestApp;

impl TestApp {
    /// `POST /api/items`: 201 with the item, or 200 with the item already made by the same create.
    pub async fn create_item(&self, token: &str, body: &CreateItem) -> Answer<Item> {
        self.post_as(token, "/api/items", body).await
    }

    /// `GET /api/items/{id}`.
    pub async fn item(&self, token: &str, id: &str) -> Answer<Item> {
        self.get_as(token, &format!("/api/items/{id}")).await
    }

    /// `PATCH /api/items/{id}`: an edit (the facts only while the community has not acted).
    pub async fn update_item(&self, token: &str, id: &str, body: &UpdateItem) -> Answer<Item> {
        self.patch_as(token, &format!("/api/items/{id}"), body).await
    }

    /// `POST /api/items/{id}/correct`: 更正 of the frozen facts, with a reason.
    pub async fn correct_item(&self, token: &str, id: &str, body: &CorrectItem) -> Answer<Item> {
        self.post_as(token, &format!("/api/items/{id}/correct"), body).await
    }

    /// `GET /api/items/{id}/events`: the history.
    pub async fn item_events(&self, token: &str, id: &str) -> Answer<Vec<ItemEvent>> {
        self.get_as(token, &format!("/api/items/{id}/events")).await
    }

    /// `GET /api/items/mine?{query}` (`query` may be empty).
    pub async fn my_items(&self, token: &str, query: &str) -> Answer<LedgerPage> {
        self.get_as(token, &with_query("/api/items/mine", query)).await
    }

    /// `POST /api/photos?id={id}` as multipart.
    pub async fn photo(&self, token: &str, id: &str, bytes: Vec<u8>, file_name: &str) -> Answer<UploadedPhoto> {
        self.upload_photo(token, id, bytes, file_name).await.into()
    }
}

/// `path?query`, or `path` when the query is empty.
pub(crate) fn with_query(path: &str, query: &str) -> String {
    if query.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", query.trim_start_matches('?'))
    }
}
