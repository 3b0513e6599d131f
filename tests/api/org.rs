//! The organisation tree: what each account sees, who may change what, and the rules of the tree.

use serde_json::json;
use shared::dto::{CreateOrgUnit, UpdateOrgUnit};
use shared::OrgKind;
use tests::spawn_app;

const STATION1: &str = "新华街道 / 和平社区 / 和平社区第一党群服务站";
const STATION_B: &str = "新华街道 / 和平社区 / 和平社区第二党群服务站";

fn new_unit(kind: OrgKind, name: &str, parent_id: i64) -> CreateOrgUnit {
    CreateOrgUnit { kind, name: name.into(), parent_id }
}

fn rename(name: &str) -> UpdateOrgUnit {
    UpdateOrgUnit { name: Some(name.into()), ..Default::default() }
}

fn move_under(parent_id: i64) -> UpdateOrgUnit {
    UpdateOrgUnit { parent_id: Some(parent_id), ..Default::default() }
}

fn set_active(active: bool) -> UpdateOrgUnit {
    UpdateOrgUnit { active: Some(active), ..Default::default() }
}

#[tokio::test]
async fn a_grid_leader_sees_their_grid_its_ancestors_and_departments_only() {
    let app = spawn_app().await;
    let token = app.token("grid1").await;
    let units = app.units(&token).await;
    let names: Vec<&str> = units.iter().map(|u| u.full_name.as_str()).collect();
    assert!(names.contains(&"新华街道 / 和平社区 / 和平社区第一党群服务站 / 第一网格 / 3号楼"), "{names:?}");
    assert!(names.contains(&"新华街道"));
    assert!(names.contains(&"市住房和城乡建设局"));
    assert!(!names.iter().any(|n| n.starts_with("福民街道")), "{names:?}");
    assert!(!names.iter().any(|n| n.contains("第二网格")), "{names:?}");
    // Another street's place is not even readable.
    let admin = app.token("admin").await;
    let other = app.unit_id(&admin, "福民街道 / 福民社区").await;
    assert_eq!(app.org_unit(&token, other).await.status, 404);
    // And a grid leader changes nothing.
    let grid = app.unit_id(&token, "新华街道 / 和平社区 / 和平社区第一党群服务站 / 第一网格").await;
    let r = app.create_org_unit(&token, &new_unit(OrgKind::Building, "9号楼", grid)).await;
    assert_eq!((r.status, r.code()), (403, "forbidden"));
}

#[tokio::test]
async fn a_station_head_of_one_street_cannot_touch_another_streets_tree() {
    let app = spawn_app().await;
    let admin = app.token("admin").await;
    let station1 = app.unit_id(&admin, STATION1).await;
    let grid_of_station1 = app.unit_id(&admin, &format!("{STATION1} / 第一网格")).await;
    let other = app.token("station2").await; // 福民街道's station head

    let r = app.create_org_unit(&other, &new_unit(OrgKind::Grid, "越界网格", station1)).await;
    assert_eq!((r.status, r.code()), (403, "forbidden"));
    let r = app.update_org_unit(&other, grid_of_station1, &rename("改名")).await;
    assert_eq!(r.status, 404);
    let r = app.update_org_unit(&other, grid_of_station1, &set_active(false)).await;
    assert_eq!(r.status, 404);

    // Its own station head may add a grid there.
    let own = app.token("station1").await;
    let r = app.create_org_unit(&own, &new_unit(OrgKind::Grid, "第三网格", station1)).await;
    assert_eq!(r.status, 201, "{:?}", r.body);
    assert_eq!(r.ok().full_name, format!("{STATION1} / 第三网格"));
    // But may not rename the station its own role is bound to.
    let r = app.update_org_unit(&own, station1, &rename("新名字")).await;
    assert_eq!(r.status, 403);
    // Nothing changed in the other street's eyes of the tree.
    let names: Vec<String> = app.units(&admin).await.into_iter().map(|u| u.name).collect();
    assert!(!names.contains(&"越界网格".to_string()));
}

#[tokio::test]
async fn places_nest_as_the_regulation_says_and_names_are_unique_among_siblings() {
    let app = spawn_app().await;
    let admin = app.token("admin").await;
    let community = app.unit_id(&admin, "新华街道 / 和平社区").await;
    let station1 = app.unit_id(&admin, STATION1).await;

    let r = app.create_org_unit(&admin, &new_unit(OrgKind::Grid, "错层网格", community)).await;
    assert_eq!((r.status, r.field()), (422, Some("parent_id")));
    assert_eq!(r.message(), "网格只能建在党群服务站下，不能建在社区下");

    let r = app.create_org_unit(&admin, &new_unit(OrgKind::Grid, "第一网格", station1)).await;
    assert_eq!((r.status, r.field()), (409, Some("name")));

    let r = app.create_org_unit(&admin, &new_unit(OrgKind::Grid, "   ", station1)).await;
    assert_eq!((r.status, r.field()), (422, Some("name")));

    let r =
        app.post(Some(&admin), "/api/org/units", &json!({"kind": "shop", "name": "x", "parent_id": station1})).await;
    assert_eq!((r.status, r.code()), (422, "validation"));
}

#[tokio::test]
async fn rename_move_and_deactivate_keep_the_tree_consistent() {
    let app = spawn_app().await;
    let admin = app.token("admin").await;
    let grid = app.unit_id(&admin, &format!("{STATION1} / 第二网格")).await;
    let station_b = app.unit_id(&admin, STATION_B).await;

    let r = app.update_org_unit(&admin, grid, &rename("第九网格")).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    let r = app.update_org_unit(&admin, grid, &move_under(station_b)).await.with_status(200);
    assert_eq!(r.full_name, format!("{STATION_B} / 第九网格"));
    // Everything under it moved too.
    let names: Vec<String> = app.units(&admin).await.into_iter().map(|u| u.full_name).collect();
    assert!(names.contains(&format!("{STATION_B} / 第九网格 / 2号楼")), "{names:?}");
    assert!(!names.iter().any(|n| n.starts_with(&format!("{STATION1} / 第九网格"))));

    // A move to a place of the wrong kind is refused.
    let community = app.unit_id(&admin, "新华街道 / 光明社区").await;
    let r = app.update_org_unit(&admin, grid, &move_under(community)).await;
    assert_eq!(r.status, 422);

    // Deactivating needs the children deactivated first; then the place leaves the default list but stays.
    let r = app.update_org_unit(&admin, grid, &set_active(false)).await;
    assert_eq!((r.status, r.code()), (409, "conflict"));
    for b in ["1号楼", "2号楼", "3号楼"] {
        let id = app.unit_id(&admin, &format!("{STATION_B} / 第九网格 / {b}")).await;
        assert_eq!(app.update_org_unit(&admin, id, &set_active(false)).await.status, 200);
    }
    let r = app.update_org_unit(&admin, grid, &set_active(false)).await.with_status(200);
    assert!(!r.active);
    let active_list = app.org_units(&admin, "").await.ok();
    assert!(!active_list.iter().any(|u| u.id == grid));
    let r = app.org_unit(&admin, grid).await.with_status(200);
    assert_eq!(r.name, "第九网格");
    // Adding under a deactivated place is refused.
    let r = app.create_org_unit(&admin, &new_unit(OrgKind::Building, "4号楼", grid)).await;
    assert_eq!(r.status, 409);
}

#[tokio::test]
async fn concurrent_creates_of_the_same_name_make_exactly_one() {
    let app = spawn_app().await;
    let admin = app.token("admin").await;
    let station1 = app.unit_id(&admin, STATION1).await;
    let body = new_unit(OrgKind::Grid, "并发网格", station1);
    let (a, b, c) = tokio::join!(
        app.create_org_unit(&admin, &body),
        app.create_org_unit(&admin, &body),
        app.create_org_unit(&admin, &body)
    );
    let mut statuses = vec![a.status, b.status, c.status];
    statuses.sort();
    assert_eq!(statuses, vec![201, 409, 409]);
    let count = app.units(&admin).await.iter().filter(|u| u.name == "并发网格").count();
    assert_eq!(count, 1);
}
