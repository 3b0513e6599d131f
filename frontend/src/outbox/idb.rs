//! Minimal IndexedDB wrappers for the outbox: open the `minqing` database, and put, read, list and delete records
//! of its `outbox` store, each request turned into a future.

use js_sys::{Array, Function, Promise};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbObjectStore, IdbObjectStoreParameters, IdbRequest, IdbTransactionMode};

const DB_NAME: &str = "minqing";
const DB_VERSION: u32 = 1;
/// The store of queued records, keyed by the record's client id (`id`).
pub const STORE: &str = "outbox";

/// Waits for a request to succeed and returns its result.
async fn wait(req: &IdbRequest) -> Result<JsValue, JsValue> {
    let promise = Promise::new(&mut |resolve: Function, reject: Function| {
        req.set_onsuccess(Some(&resolve));
        req.set_onerror(Some(&reject));
    });
    let outcome = JsFuture::from(promise).await;
    req.set_onsuccess(None);
    req.set_onerror(None);
    outcome?;
    req.result()
}

/// Opens the database, creating the store the first time.
async fn open() -> Result<IdbDatabase, JsValue> {
    let factory = web_sys::window()
        .ok_or_else(|| JsValue::from_str("no window"))?
        .indexed_db()?
        .ok_or_else(|| JsValue::from_str("IndexedDB is not available"))?;
    let request = factory.open_with_u32(DB_NAME, DB_VERSION)?;
    let upgrade_request = request.clone();
    let upgrade = Closure::<dyn FnMut(web_sys::Event)>::new(move |_: web_sys::Event| {
        if let Ok(db) = upgrade_request.result() {
            let db: IdbDatabase = db.unchecked_into();
            if !db.object_store_names().contains(STORE) {
                let params = IdbObjectStoreParameters::new();
                params.set_key_path(&JsValue::from_str("id"));
                let _ = db.create_object_store_with_optional_parameters(STORE, &params);
            }
        }
    });
    request.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
    let result = wait(&request).await;
    request.set_onupgradeneeded(None);
    drop(upgrade);
    Ok(result?.unchecked_into())
}

/// The store in a new transaction of its own.
async fn store(mode: IdbTransactionMode) -> Result<IdbObjectStore, JsValue> {
    let db = open().await?;
    let tx = db.transaction_with_str_and_mode(STORE, mode)?;
    tx.object_store(STORE)
}

/// Writes (adds or replaces) one record.
pub async fn put(record: &JsValue) -> Result<(), JsValue> {
    let store = store(IdbTransactionMode::Readwrite).await?;
    wait(&store.put(record)?).await.map(|_| ())
}

/// One record by id.
pub async fn get(id: &str) -> Result<Option<JsValue>, JsValue> {
    let store = store(IdbTransactionMode::Readonly).await?;
    let value = wait(&store.get(&JsValue::from_str(id))?).await?;
    Ok((!value.is_undefined() && !value.is_null()).then_some(value))
}

/// Every record.
pub async fn all() -> Result<Vec<JsValue>, JsValue> {
    let store = store(IdbTransactionMode::Readonly).await?;
    let value = wait(&store.get_all()?).await?;
    Ok(value.dyn_into::<Array>().map(|a| a.iter().collect()).unwrap_or_default())
}

/// Deletes one record.
pub async fn delete(id: &str) -> Result<(), JsValue> {
    let store = store(IdbTransactionMode::Readwrite).await?;
    wait(&store.delete(&JsValue::from_str(id))?).await.map(|_| ())
}
