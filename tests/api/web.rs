//! The web app's files: the staff app's page for its routes, the residents' small page for their links (/r/…), and
//! the brotli or gzip copy of a file when the browser takes one, with an ETag of its own.

use reqwest::header::{ACCEPT_ENCODING, CONTENT_ENCODING, CONTENT_TYPE, ETAG, IF_NONE_MATCH, VARY};
use tests::{spawn_app_with, TestApp};

/// A web build as `cargo xtask dist` lays it out, with bodies that say which file answered.
fn web_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, body) in [
        ("index.html", "<p>staff</p>"),
        ("index.html.br", "BR staff"),
        ("index.html.gz", "GZ staff"),
        ("resident.html", "<p>resident</p>"),
        ("resident.html.br", "BR resident"),
        ("resident.html.gz", "GZ resident"),
        ("resident.js", "export default 1;"),
    ] {
        std::fs::write(dir.path().join(name), body).expect("write web file");
    }
    dir
}

struct Answer {
    status: u16,
    coding: Option<String>,
    vary: Option<String>,
    etag: Option<String>,
    content_type: Option<String>,
    body: String,
}

async fn fetch(app: &TestApp, path: &str, accept: Option<&str>, if_none_match: Option<&str>) -> Answer {
    let mut req = reqwest::Client::new().get(app.url(path));
    if let Some(a) = accept {
        req = req.header(ACCEPT_ENCODING, a);
    }
    if let Some(e) = if_none_match {
        req = req.header(IF_NONE_MATCH, e);
    }
    let resp = req.send().await.expect("request");
    let header = |name| resp.headers().get(name).and_then(|v| v.to_str().ok()).map(String::from);
    Answer {
        status: resp.status().as_u16(),
        coding: header(CONTENT_ENCODING),
        vary: header(VARY),
        etag: header(ETAG),
        content_type: header(CONTENT_TYPE),
        body: resp.text().await.expect("body"),
    }
}

#[tokio::test]
async fn each_app_gets_its_page_and_the_browser_its_smallest_copy() {
    let dir = web_dir();
    let web = dir.path().to_string_lossy().into_owned();
    let app = spawn_app_with(|s| s.web_dir = web).await;

    // The staff's routes are the staff app's page; without Accept-Encoding, the plain file.
    let plain = fetch(&app, "/items/12", None, None).await;
    assert_eq!((plain.status, plain.body.as_str(), plain.coding.as_deref()), (200, "<p>staff</p>", None));
    assert_eq!(plain.content_type.as_deref(), Some("text/html; charset=utf-8"));
    assert_eq!(plain.vary.as_deref(), Some("Accept-Encoding"));

    // Brotli when taken, gzip when brotli is not (or refused with q=0).
    let br = fetch(&app, "/items/12", Some("gzip, deflate, br, zstd"), None).await;
    assert_eq!((br.body.as_str(), br.coding.as_deref()), ("BR staff", Some("br")));
    assert_eq!(br.content_type.as_deref(), Some("text/html; charset=utf-8"));
    let gz = fetch(&app, "/", Some("br;q=0, gzip"), None).await;
    assert_eq!((gz.body.as_str(), gz.coding.as_deref()), ("GZ staff", Some("gzip")));

    // A resident's link is the residents' page, in every coding.
    let resident = fetch(&app, "/r/AbC123xyz", None, None).await;
    assert_eq!((resident.status, resident.body.as_str()), (200, "<p>resident</p>"));
    let resident_br = fetch(&app, "/r/AbC123xyz", Some("br"), None).await;
    assert_eq!((resident_br.body.as_str(), resident_br.coding.as_deref()), ("BR resident", Some("br")));
    // Its script is a file of its own; a file with no copies goes out as it is, with no Vary.
    let js = fetch(&app, "/resident.js", None, None).await;
    assert_eq!((js.body.as_str(), js.coding.as_deref(), js.vary.as_deref()), ("export default 1;", None, None));
    assert_eq!(js.content_type.as_deref(), Some("text/javascript; charset=utf-8"));

    // Each copy has its own ETag, and a revalidation of the copy the browser holds is a 304.
    let (plain_tag, br_tag) = (plain.etag.expect("etag"), br.etag.expect("etag"));
    assert_ne!(plain_tag, br_tag);
    let again = fetch(&app, "/items/12", Some("gzip, br"), Some(&br_tag)).await;
    assert_eq!((again.status, again.body.as_str()), (304, ""));
    let other = fetch(&app, "/items/12", Some("gzip, br"), Some(&plain_tag)).await;
    assert_eq!((other.status, other.body.as_str()), (200, "BR staff"));

    // Nothing outside the folder, and no page for the API's addresses.
    let outside = fetch(&app, "/r/..%2F..%2Fetc%2Fpasswd", None, None).await;
    assert_eq!((outside.status, outside.body.as_str()), (200, "<p>resident</p>"));
    let api = fetch(&app, "/api/no-such-thing", None, None).await;
    assert_eq!(api.status, 404);
    assert!(api.body.contains("not_found"), "{}", api.body);
}
