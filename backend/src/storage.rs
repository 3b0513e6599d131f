//! Where photo files live: one interface (object_store) over a local directory (the default, under the data
//! directory) or an S3-compatible object store (set `MINQING_S3_BUCKET` and its companions).

use std::sync::Arc;

use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::path::Path;
use object_store::{ObjectStore, PutPayload};

use crate::configuration::Settings;

#[derive(Clone)]
pub struct Storage {
    store: Arc<dyn ObjectStore>,
    kind: &'static str,
}

impl Storage {
    pub fn from_settings(settings: &Settings) -> anyhow::Result<Storage> {
        if !settings.s3_bucket.is_empty() {
            let mut builder = AmazonS3Builder::from_env().with_bucket_name(&settings.s3_bucket);
            if !settings.s3_endpoint.is_empty() {
                builder = builder
                    .with_endpoint(&settings.s3_endpoint)
                    .with_allow_http(settings.s3_endpoint.starts_with("http://"));
            }
            if !settings.s3_region.is_empty() {
                builder = builder.with_region(&settings.s3_region);
            }
            if !settings.s3_access_key_id.is_empty() {
                builder = builder
                    .with_access_key_id(&settings.s3_access_key_id)
                    .with_secret_access_key(&settings.s3_secret_access_key);
            }
            return Ok(Storage { store: Arc::new(builder.build()?), kind: "s3" });
        }
        let dir = settings.data_dir.join("photos");
        std::fs::create_dir_all(&dir)?;
        Ok(Storage { store: Arc::new(LocalFileSystem::new_with_prefix(&dir)?), kind: "local" })
    }

    pub fn kind(&self) -> &'static str {
        self.kind
    }

    pub async fn put(&self, key: &str, bytes: Vec<u8>) -> anyhow::Result<()> {
        self.store.put(&Path::from(key), PutPayload::from(bytes)).await?;
        Ok(())
    }

    pub async fn get(&self, key: &str) -> anyhow::Result<bytes::Bytes> {
        Ok(self.store.get(&Path::from(key)).await?.bytes().await?)
    }
}

impl Storage {
    /// Every stored photo file's key, sorted.
    pub async fn keys(&self) -> anyhow::Result<Vec<String>> {
        use futures_util::TryStreamExt;
        let mut keys: Vec<String> =
            self.store.list(None).map_ok(|meta| meta.location.to_string()).try_collect().await?;
        keys.sort();
        Ok(keys)
    }
}
