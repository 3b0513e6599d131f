//! The places an account works within: its roles' places (scopes) and streets, and the organisation from
//! `GET /api/org/units` (which also lists the ancestors of the account's places and every department, neither of
//! which is in scope) indexed to find the places within them, as the capture form, the ledger and the routines do.

use std::collections::HashMap;

use shared::dto::{Me, OrgUnit};
use shared::{OrgKind, Role};

/// The loaded places, indexed.
pub struct Places {
    list: Vec<OrgUnit>,
    index: HashMap<i64, usize>,
}

impl Places {
    pub fn new(list: Vec<OrgUnit>) -> Self {
        let index = list.iter().enumerate().map(|(i, u)| (u.id, i)).collect();
        Self { list, index }
    }

    pub fn get(&self, id: i64) -> Option<&OrgUnit> {
        self.index.get(&id).map(|i| &self.list[*i])
    }

    /// Whether `id` is `ancestor` or sits somewhere under it.
    pub fn within(&self, id: i64, ancestor: i64) -> bool {
        let mut cur = Some(id);
        while let Some(c) = cur {
            if c == ancestor {
                return true;
            }
            cur = self.get(c).and_then(|u| u.parent_id);
        }
        false
    }

    /// The active places directly under `parent` of the given kind, in the server's order.
    pub fn children(&self, parent: i64, kind: OrgKind) -> Vec<&OrgUnit> {
        self.list.iter().filter(|u| u.parent_id == Some(parent) && u.kind == kind && u.active).collect()
    }

    /// The active places of the given kinds within any of `scopes`, in the server's (tree) order.
    pub fn in_scopes(&self, scopes: &[i64], kinds: &[OrgKind]) -> Vec<&OrgUnit> {
        self.list
            .iter()
            .filter(|u| u.active && kinds.contains(&u.kind))
            .filter(|u| scopes.iter().any(|s| self.within(u.id, *s)))
            .collect()
    }

    /// The names from `top` (inclusive) down to `id`, e.g. "第一党群服务站 / 第一网格 / 1号楼".
    pub fn path_from(&self, id: i64, top: i64) -> String {
        let mut names = Vec::new();
        let mut cur = Some(id);
        while let Some(c) = cur {
            let Some(u) = self.get(c) else { break };
            names.push(u.name.clone());
            if c == top {
                break;
            }
            cur = u.parent_id;
        }
        names.reverse();
        // "和平社区 / 和平社区第一党群服务站" reads better as "和平社区 / 第一党群服务站".
        let mut short: Vec<String> = Vec::with_capacity(names.len());
        for (i, name) in names.iter().enumerate() {
            let trimmed = match i.checked_sub(1).map(|p| names[p].as_str()) {
                Some(parent) if name.len() > parent.len() && name.starts_with(parent) => &name[parent.len()..],
                _ => name.as_str(),
            };
            short.push(trimmed.to_string());
        }
        short.join(" / ")
    }

    /// A name for a place in a list of places within `scopes`: its path from the scope that holds it.
    pub fn label_in(&self, id: i64, scopes: &[i64]) -> String {
        match scopes.iter().find(|s| self.within(id, **s)) {
            Some(top) => self.path_from(id, *top),
            None => self.get(id).map(|u| u.name.clone()).unwrap_or_default(),
        }
    }
}

/// The places of the account's roles that answer `rule` (e.g. `shared::access::capture_role`).
pub fn scopes_of(me: &Me, rule: impl Fn(Role) -> bool) -> Vec<i64> {
    me.roles.iter().filter(|r| rule(r.role)).map(|r| r.unit.id).collect()
}

/// The places of all the account's roles.
pub fn all_scopes(me: &Me) -> Vec<i64> {
    scopes_of(me, |_| true)
}

/// The streets (id, name), each once, where the account holds a role that, bound to a street, answers `rule` (e.g.
/// `shared::access::street_wide`).
pub fn streets_where(me: &Me, rule: impl Fn(Role, OrgKind) -> bool) -> Vec<(i64, String)> {
    let mut out: Vec<(i64, String)> = Vec::new();
    for r in &me.roles {
        if r.unit.kind == OrgKind::Street && rule(r.role, r.unit.kind) && !out.iter().any(|(id, _)| *id == r.unit.id) {
            out.push((r.unit.id, r.unit.name.clone()));
        }
    }
    out
}
