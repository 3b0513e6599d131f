//! `cargo xtask test`'s import check: every piece of code stays in its room (docs/architecture.md). Handlers never
//! import a sibling handler, the layers below them never reach up into `api/` or name actix, `db/` stays below
//! views and rules, and pages never import pages. Grep-level on purpose: it reads `super::…` and `crate::…` paths
//! line by line, skipping comments, which is all these rules need.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// One broken rule: where, and which rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub file: String,
    pub line: usize,
    pub rule: &'static str,
    pub text: String,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}: {}\n    {}", self.file, self.line, self.rule, self.text.trim())
    }
}

const SIBLING_HANDLER: &str =
    "a handler imports a sibling handler (move what both need into api/support.rs, views/, regulation/ or db/)";
const UP_INTO_API: &str =
    "only the router and the OpenAPI document name handlers; other modules call views/, regulation/ or db/";
const ACTIX_BELOW_API: &str = "views/, regulation/ and db/ know nothing of HTTP (no actix_web)";
const DB_REACHES_UP: &str = "db/ imports neither views/ nor regulation/";
const SQL_IN_API: &str =
    "a handler writes SQL (queries are named functions in db/<table group>.rs; handlers call them)";
const PAGE_IMPORTS_PAGE: &str =
    "a page imports another page (move what both need into components/, format.rs or shared::access)";

/// The paths after `prefix` on a line (`super::support::x` after `super::` gives `support`), `{` for a group.
fn segments_after<'a>(line: &'a str, prefix: &str) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(i) = rest.find(prefix) {
        // `x_super::` is not `super::`.
        let before = rest[..i].chars().next_back();
        rest = &rest[i + prefix.len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let end = rest.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(rest.len());
        out.push(if end == 0 { &rest[..rest.len().min(1)] } else { &rest[..end] });
    }
    out
}

/// The code of a line: nothing when it is a comment.
fn code(line: &str) -> &str {
    let t = line.trim_start();
    if t.starts_with("//") {
        ""
    } else {
        line
    }
}

/// Whether a line builds a query: uses diesel (other than its error type) or names a table of the schema.
fn writes_sql(line: &str) -> bool {
    let diesel = segments_after(line, "diesel::").iter().any(|s| *s != "result");
    diesel || line.contains("::table") || line.contains("db::schema")
}

/// Checks one backend file, given its path under `backend/src` with `/` separators.
pub fn check_backend_file(rel: &str, text: &str) -> Vec<Violation> {
    let mut out = Vec::new();
    let parts: Vec<&str> = rel.split('/').collect();
    let in_api = parts[0] == "api";
    // A file whose `super` is `api` itself: api/x.rs or api/x/mod.rs.
    let parent_is_api = in_api && (parts.len() == 2 || (parts.len() == 3 && parts[2] == "mod.rs"));
    let is_api_root = rel == "api/mod.rs" || rel == "api/support.rs";
    let layer_below = matches!(parts[0], "views" | "regulation" | "db");
    let names_handlers = matches!(rel, "router.rs" | "openapi.rs");
    for (i, raw) in text.lines().enumerate() {
        let line = code(raw);
        let mut flag =
            |rule| out.push(Violation { file: format!("backend/src/{rel}"), line: i + 1, rule, text: raw.into() });
        if in_api && !is_api_root {
            let supers = segments_after(line, "super::");
            let bad_super = parent_is_api && supers.iter().any(|s| !matches!(*s, "support" | "*"));
            let bad_grand = line.contains("super::super::") && !line.contains("super::super::support");
            let bad_crate = segments_after(line, "crate::api::").iter().any(|s| *s != "support");
            if bad_super || bad_grand || bad_crate {
                flag(SIBLING_HANDLER);
            }
            if writes_sql(line) {
                flag(SQL_IN_API);
            }
        } else if !in_api && !names_handlers && !segments_after(line, "crate::api::").is_empty() {
            flag(UP_INTO_API);
        }
        if layer_below && line.contains("actix_web") {
            flag(ACTIX_BELOW_API);
        }
        if parts[0] == "db" && (line.contains("crate::views") || line.contains("crate::regulation")) {
            flag(DB_REACHES_UP);
        }
    }
    out
}

/// Checks one frontend file, given its path under `frontend/src` with `/` separators.
pub fn check_frontend_file(rel: &str, text: &str) -> Vec<Violation> {
    let parts: Vec<&str> = rel.split('/').collect();
    if parts[0] != "pages" || matches!(rel, "pages/mod.rs" | "pages/home.rs") {
        return Vec::new();
    }
    // pages/x.rs and pages/x/mod.rs answer to `pages`; pages/x/y.rs to its own folder, which may import itself.
    let parent_is_pages = parts.len() == 2 || (parts.len() == 3 && parts[2] == "mod.rs");
    let own_folder = (parts.len() >= 3).then(|| parts[1]);
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = code(raw);
        let bad_super = parent_is_pages && segments_after(line, "super::").iter().any(|s| *s != "*");
        let bad_grand = line.contains("super::super::");
        let bad_crate = segments_after(line, "crate::pages::").iter().any(|s| Some(*s) != own_folder);
        if bad_super || bad_grand || bad_crate {
            out.push(Violation {
                file: format!("frontend/src/{rel}"),
                line: i + 1,
                rule: PAGE_IMPORTS_PAGE,
                text: raw.into(),
            });
        }
    }
    out
}

/// Every `.rs` file under `dir`, as paths relative to it with `/` separators, sorted.
fn rust_files(dir: &Path) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).with_context(|| format!("reading {}", d.display()))? {
            let path: PathBuf = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path.strip_prefix(dir).expect("under dir");
                out.push(rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/"));
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Checks the backend and the frontend of the workspace at `root`.
pub fn check(root: &Path) -> Result<Vec<Violation>> {
    let mut out = Vec::new();
    for (dir, check_file) in
        [("backend/src", check_backend_file as fn(&str, &str) -> Vec<Violation>), ("frontend/src", check_frontend_file)]
    {
        let base = root.join(dir);
        for rel in rust_files(&base)? {
            let text = std::fs::read_to_string(base.join(&rel)).with_context(|| format!("reading {dir}/{rel}"))?;
            out.extend(check_file(&rel, &text));
        }
    }
    Ok(out)
}

/// `cargo xtask rooms [DIR]`: prints each break of the rules and fails if there is one.
pub fn run(dir: Option<&str>) -> Result<std::process::ExitCode> {
    let root = dir.map(PathBuf::from).unwrap_or_else(crate::util::workspace_root);
    let violations = check(&root)?;
    for v in &violations {
        eprintln!("{v}");
    }
    if violations.is_empty() {
        println!("xtask: rooms: every import keeps to its room");
        Ok(std::process::ExitCode::SUCCESS)
    } else {
        eprintln!("xtask: rooms: {} imports break the rules (docs/architecture.md)", violations.len());
        Ok(std::process::ExitCode::FAILURE)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handlers_reach_support_and_the_layers_below_but_no_sibling() {
        let ok = "use super::support::{parse_uuid, stale};\nuse crate::views::item::item_dto;\nuse super::*;\n";
        assert!(check_backend_file("api/items/mod.rs", ok).is_empty());
        assert!(check_backend_file("api/workflow.rs", ok).is_empty());
        let bad = "let x = super::items::item_dto(conn);\n// super::journey::x in a comment is fine\n";
        let v = check_backend_file("api/workflow.rs", bad);
        assert_eq!(v.len(), 1);
        assert_eq!((v[0].line, v[0].rule), (1, SIBLING_HANDLER));
        assert_eq!(check_backend_file("api/voice.rs", "use super::{utc, support};").len(), 1);
        assert_eq!(check_backend_file("api/voice.rs", "crate::api::journey::queue").len(), 1);
        assert!(check_backend_file("api/voice.rs", "crate::api::support::client_ip").is_empty());
    }

    #[test]
    fn handlers_call_db_instead_of_writing_sql() {
        assert!(check_backend_file("api/hooks.rs", "let rows = db::hooks::all(conn)?;").is_empty());
        assert!(check_backend_file("api/org.rs", "Err(diesel::result::Error::NotFound) => x,").is_empty());
        for bad in ["use diesel::prelude::*;", "hooks::table.find(id)", "use crate::db::schema::hooks;"] {
            assert_eq!(check_backend_file("api/hooks.rs", bad)[0].rule, SQL_IN_API, "{bad}");
        }
        assert!(check_backend_file("db/hooks.rs", "hooks::table.find(id)").is_empty());
    }

    #[test]
    fn a_handler_folder_may_use_its_own_parts() {
        assert!(check_backend_file("api/evaluation/satisfaction.rs", "use super::week_start;").is_empty());
        assert_eq!(check_backend_file("api/evaluation/satisfaction.rs", "use super::super::voice::x;").len(), 1);
        assert_eq!(check_backend_file("api/evaluation/mod.rs", "use super::voice::rating_dto;").len(), 1);
    }

    #[test]
    fn the_layers_below_stay_below() {
        assert_eq!(check_backend_file("jobs.rs", "crate::api::reports::draft(state)").len(), 1);
        assert!(check_backend_file("router.rs", "use crate::api::{items, voice};").is_empty());
        assert_eq!(check_backend_file("views/item.rs", "use actix_web::web;")[0].rule, ACTIX_BELOW_API);
        assert_eq!(check_backend_file("db/items.rs", "use crate::views::utc;")[0].rule, DB_REACHES_UP);
        assert!(check_backend_file("regulation/journey.rs", "use crate::db::models::ItemRow;").is_empty());
        // `x_super::` is another name.
        assert!(segments_after("my_super::items::x", "super::").is_empty());
    }

    #[test]
    fn pages_never_import_pages_but_an_items_panels_may_share() {
        assert!(check_frontend_file("pages/ledger.rs", "use crate::components::fields::opt_time;").is_empty());
        assert_eq!(check_frontend_file("pages/ledger.rs", "use crate::pages::items::field;").len(), 1);
        assert_eq!(check_frontend_file("pages/queue.rs", "use super::journey::JourneyPanel;").len(), 1);
        assert!(check_frontend_file("pages/queue.rs", "    use super::*;").is_empty());
        assert!(check_frontend_file("pages/item/actions.rs", "use super::journey::x;").is_empty());
        assert!(check_frontend_file("pages/item/actions.rs", "use crate::pages::item::sheet::x;").is_empty());
        assert_eq!(check_frontend_file("pages/item/actions.rs", "use crate::pages::ledger::x;").len(), 1);
        assert!(check_frontend_file("pages/home.rs", "use crate::pages::ledger::LEDGER;").is_empty());
        assert!(check_frontend_file("components/month_bar.rs", "use super::error_box::ErrorBox;").is_empty());
    }
}
