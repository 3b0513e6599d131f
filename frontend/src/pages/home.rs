//! The home page: a greeting, the work queue (待办) with its count, the residents' voice (跟踪整改, 每周测评,
//! 满意度), one card per role with its place, a grid leader's buildings, and the admin tiles.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;
use shared::access;
use shared::dto::{Me, OrgUnit, RoleScope};
use shared::{OrgKind, Role};

use crate::api;
use crate::components::fields::place_name;
use crate::components::{Loaded, QueueTile, TopBar};
use crate::outbox::OutboxLink;
use crate::pages::coverage::CoverageTile;
use crate::pages::visits::VisitsTile;
use crate::places::streets_where;
use crate::state;

#[component]
pub fn HomePage() -> impl IntoView {
    let me = state::me_memo();
    let navigate = use_navigate();
    let leaving = RwSignal::new(false);
    let logout = move |_| {
        leaving.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            api::logout().await;
            navigate("/login", NavigateOptions { replace: true, ..Default::default() });
        });
    };

    view! {
        <div id="home" class="page">
            <TopBar title="民情直通车"/>
            {move || me.get().map(home_body)}
            <div class="home-footer">
                <a class="button" href="/password">"修改密码"</a>
                <button id="logout" type="button" on:click=logout disabled=move || leaving.get()>
                    {move || if leaving.get() { "正在退出…" } else { "退出登录" }}
                </button>
            </div>
        </div>
    }
}

fn home_body(me: Me) -> impl IntoView {
    let roles = &me.roles;
    let manages_org = access::manages_org(roles);
    let is_admin = access::manages_accounts(roles);
    let grids: Vec<RoleScope> = me.roles.iter().filter(|r| r.role == Role::GridLeader).cloned().collect();
    let captures = access::captures(roles);
    let reads_ledger = access::reads_ledger(roles);
    // The statistics, the reports and the satisfaction of departments: the street's roles and the city's.
    let reads_figures = access::reads_figures(roles);
    let reports_text = if streets_where(&me, |role, _| access::report_editor_role(role)).is_empty() {
        "各街道每月民情收集、办结和评价情况的专报"
    } else {
        "每月民情专报：修改完善，5日前报送市委、市政府"
    };
    let supervises = access::reads_city_figures(roles);
    let sections = access::queue_sections(roles);
    let has_queue = !sections.is_empty();
    let city_admin = access::is_city_admin(roles);
    let follows_up = access::follows_up(roles);
    let evaluates = access::rates_departments(roles);
    // 民生会议 and 接待日.
    let keeps_routines = access::keeps_station_routines(roles);
    let leads_grid = access::keeps_visits(roles);
    let heads_station = access::watches_station_visits(roles);
    let cards = me.roles.iter().cloned().map(role_card).collect_view();
    view! {
        <section class="greeting">
            <h2>{me.display_name.clone()}"，您好"</h2>
            {me.roles.is_empty().then(|| view! {
                <p class="notice">"您的账号还没有分配角色，请联系系统管理员。"</p>
            })}
        </section>
        {captures.then(|| view! {
            <a id="capture-button" class="button primary capture-button" href="/capture">
                <span class="capture-plus" aria-hidden="true">"＋"</span>"登记民情"
            </a>
        })}
        <OutboxLink/>
        {has_queue.then(|| view! { <QueueTile sections=sections.clone()/> })}
        {(leads_grid || heads_station).then(|| view! {
            <section class="tiles work-tiles visit-tiles">
                {leads_grid.then(|| view! { <VisitsTile/> })}
                {heads_station.then(|| view! { <CoverageTile/> })}
            </section>
        })}
        {(captures || reads_ledger || reads_figures || supervises).then(|| view! {
            <section class="tiles work-tiles">
                {supervises.then(|| view! {
                    <a class="tile" id="dashboard-link" href="/dashboard">
                        <span class="tile-title">"全市民情总览"</span>
                        <span class="tile-text">"本月全市收集、办结、超时和满意率，红黑榜"</span>
                    </a>
                })}
                {supervises.then(|| view! {
                    <a class="tile" id="analysis-link" href="/analysis">
                        <span class="tile-title">"民情分析"</span>
                        <span class="tile-text">"每月各类型、各社区民情，共性问题和重复反映的地点"</span>
                    </a>
                })}
                {captures.then(|| view! {
                    <a class="tile" id="my-items-link" href="/items">
                        <span class="tile-title">"我登记的民情"</span>
                        <span class="tile-text">"查看登记过的事项和处理进度"</span>
                    </a>
                })}
                {reads_ledger.then(|| view! {
                    <a class="tile" id="ledger-link" href="/ledger">
                        <span class="tile-title">"民情台账"</span>
                        <span class="tile-text">"按时间、类型、级别查看，导出Excel、打印"</span>
                    </a>
                })}
                {reads_figures.then(|| view! {
                    <a class="tile" id="stats-link" href="/stats">
                        <span class="tile-title">"统计表"</span>
                        <span class="tile-text">"各部门每月接单、按时办结、办结率和满意率"</span>
                    </a>
                })}
                {reads_figures.then(|| view! {
                    <a class="tile" id="reports-link" href="/reports">
                        <span class="tile-title">"民情专报"</span>
                        <span class="tile-text">{reports_text}</span>
                    </a>
                })}
                {supervises.then(|| view! {
                    <a class="tile" id="supervision-link" href="/supervision">
                        <span class="tile-title">"督查室"</span>
                        <span class="tile-text">"全市超时事项、催办，各单位督办记录"</span>
                    </a>
                })}
            </section>
        })}
        {(follows_up || evaluates || reads_figures).then(|| view! {
            <section class="tiles work-tiles voice-tiles">
                {evaluates.then(|| view! {
                    <a class="tile" id="evaluation-link" href="/evaluation">
                        <span class="tile-title">"每周测评"</span>
                        <span class="tile-text">"对各部门办理居民诉求的情况评价"</span>
                    </a>
                })}
                {follows_up.then(|| view! {
                    <a class="tile" id="follow-ups-link" href="/follow-ups">
                        <span class="tile-title">"跟踪整改"</span>
                        <span class="tile-text">"不满意的评价：了解原因、反馈部门、整改、答复居民"</span>
                    </a>
                })}
                {reads_figures.then(|| view! {
                    <a class="tile" id="satisfaction-link" href="/satisfaction">
                        <span class="tile-title">"满意度"</span>
                        <span class="tile-text">"各部门本周、本月的满意率"</span>
                    </a>
                })}
            </section>
        })}
        {keeps_routines.then(|| view! {
            <section class="tiles work-tiles gathering-tiles">
                <a class="tile" id="meetings-link" href="/meetings">
                    <span class="tile-title">"民生会议"</span>
                    <span class="tile-text">"每月民情恳谈会、每季度党建联席会的记录和落实情况"</span>
                </a>
                <a class="tile" id="receptions-link" href="/receptions">
                    <span class="tile-title">"接待日"</span>
                    <span class="tile-text">"领导干部定点接待安排、接待记录，空缺和冲突提醒"</span>
                </a>
            </section>
        })}
        <section class="role-cards">{cards}</section>
        {(!grids.is_empty()).then(|| view! { <GridBuildings grids=grids/> })}
        {manages_org.then(|| view! {
            <section class="tiles">
                <a class="tile" href="/admin/org">
                    <span class="tile-title">"组织架构"</span>
                    <span class="tile-text">"街道、社区、服务站、网格、楼栋"</span>
                </a>
                {is_admin.then(|| view! {
                    <a class="tile" href="/admin/accounts">
                        <span class="tile-title">"账号管理"</span>
                        <span class="tile-text">"新建账号、分配角色、重置密码"</span>
                    </a>
                    <a class="tile" href="/admin/import">
                        <span class="tile-title">"批量导入"</span>
                        <span class="tile-text">"用Excel模板导入组织和人员"</span>
                    </a>
                })}
                {city_admin.then(|| view! {
                    <a class="tile" id="clock-link" href="/admin/clock">
                        <span class="tile-title">"时限与节假日"</span>
                        <span class="tile-text">"按自然日或工作日计时，维护节假日和调休"</span>
                    </a>
                    <a class="tile" id="hooks-link" href="/admin/hooks">
                        <span class="tile-title">"消息推送"</span>
                        <span class="tile-text">"企业微信、钉钉群机器人和Webhook"</span>
                    </a>
                    <a class="tile" id="privacy-link" href="/admin/residents">
                        <span class="tile-title">"居民个人信息"</span>
                        <span class="tile-text">"按手机号查询、导出、隐去；结案满期自动隐去"</span>
                    </a>
                })}
            </section>
        })}
    }
}

fn role_card(r: RoleScope) -> impl IntoView {
    view! {
        <div class="card role-card">
            <span class="role-label">{r.role_label}</span>
            <span class="role-place">{place_name(&r.unit.full_name, &r.unit.name)}</span>
        </div>
    }
}

/// The buildings of each grid the person leads.
#[component]
fn GridBuildings(grids: Vec<RoleScope>) -> impl IntoView {
    let version = RwSignal::new(0u32);
    let units = LocalResource::new(move || {
        version.track();
        api::get::<Vec<OrgUnit>>("/api/org/units")
    });
    let body = view! {
        <Loaded resource=units let:list
            on_error=move || view! {
                <button type="button" on:click=move |_| version.update(|v| *v += 1)>"重新加载"</button>
            }>
            {grids
                .iter()
                .map(|g| {
                    let buildings: Vec<String> = list
                        .iter()
                        .filter(|u| u.parent_id == Some(g.unit.id) && u.kind == OrgKind::Building && u.active)
                        .map(|u| u.name.clone())
                        .collect();
                    view! {
                        <section class="card grid-card">
                            <h3>{g.unit.name.clone()}" · 楼栋"</h3>
                            {if buildings.is_empty() {
                                view! {
                                    <p class="muted">"本网格还没有登记楼栋，请联系站长或管理员在组织架构中添加。"</p>
                                }
                                .into_any()
                            } else {
                                view! {
                                    <ul class="building-list">
                                        {buildings.into_iter().map(|b| view! { <li>{b}</li> }).collect_view()}
                                    </ul>
                                }
                                .into_any()
                            }}
                        </section>
                    }
                })
                .collect_view()}
        </Loaded>
    };
    view! { <div class="grid-buildings">{body}</div> }
}
