//! Proof that a closed month stays closed (issue 16, item 6): random histories of items across the end of November
//! (captures, some noted offline, dispatches, returns on time and late, residents' ratings changed later, 更正), then
//! November's figures are recounted from what the test did as of the month's end and compared with what the API, the
//! Excel export and the 专报 say on 1 December, and again after the rest of the history.

use calamine::Reader;
use chrono::{DateTime, Duration, Utc};
use shared::item::{CorrectItem, CreateItem, FeedbackMethod, SendToStreet, TellResident};
use shared::journey::ReturnSheet;
use shared::voice::{Answer, Rate};
use shared::ItemType;
use tests::client::{dispatch_to, solved_sheet};
use tests::{Rng, TestApp};

use crate::items::{building, capture};
use crate::journey::{dept_id, spawn_app_at, HOUSING};

/// A random span of `from` to `to` hours, to the minute.
fn hours(rng: &mut Rng, from: i64, to: i64) -> Duration {
    Duration::minutes(from * 60 + rng.below(((to - from) * 60) as u64) as i64)
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Step {
    Capture,
    Send,
    Correct,
    Dispatch,
    Accept,
    Return,
    Tell,
    Rate(Answer),
}

/// What the test itself did to one item, to recount from.
#[derive(Default)]
struct Log {
    id: String,
    version: i64,
    link: String,
    accepted: Option<DateTime<Utc>>,
    returned: Option<DateTime<Utc>>,
    /// Each rating given, with its time.
    ratings: Vec<(DateTime<Utc>, Answer)>,
}

fn answer(rng: &mut Rng) -> Answer {
    [Answer::Satisfied, Answer::Basically, Answer::Dissatisfied][rng.below(3) as usize]
}

/// One item's plan: its steps at increasing times, stopping anywhere after capture.
fn plan(rng: &mut Rng, start: DateTime<Utc>) -> Vec<(DateTime<Utc>, Step)> {
    let mut steps = vec![Step::Capture, Step::Send];
    if rng.below(3) == 0 {
        steps.push(Step::Correct);
    }
    steps.extend([Step::Dispatch, Step::Accept, Step::Return, Step::Tell, Step::Rate(answer(rng))]);
    if rng.below(2) == 0 {
        steps.push(Step::Rate(answer(rng)));
    }
    let keep = 1 + rng.below(steps.len() as u64) as usize;
    let mut at = start + hours(rng, 0, 16 * 24);
    let mut out = Vec::new();
    for s in steps.into_iter().take(keep) {
        // A sheet is sometimes returned within its 5 days, sometimes past day 10.
        let gap = if s == Step::Return { hours(rng, 2, 12 * 24) } else { hours(rng, 1, 40) };
        at += gap;
        out.push((at, s));
    }
    out
}

struct Tokens {
    grid1: String,
    community1: String,
    dispatcher1: String,
    dept1: String,
}

async fn act(app: &TestApp, t: &Tokens, rng: &mut Rng, log: &mut Log, step: Step, at: DateTime<Utc>) {
    let id = log.id.clone();
    let item = match step {
        Step::Capture => {
            let place = building(app, &t.grid1, 3).await;
            // One in three is noted offline, up to a day before it arrives.
            let noted = (rng.below(3) == 0).then(|| at - hours(rng, 1, 24));
            let body = CreateItem { id: log.id.clone(), collected_at: noted, ..capture(place) };
            app.create_item(&t.grid1, &body).await.with_status(201)
        }
        Step::Send => {
            let body = SendToStreet { version: log.version, department_id: None };
            app.send_to_street(&t.community1, &id, &body).await.with_status(200)
        }
        Step::Correct => {
            let body = CorrectItem {
                version: log.version,
                item_type: Some(ItemType::SocialSecurity),
                reason: "类别记错，更正".into(),
                ..Default::default()
            };
            app.correct_item(&t.community1, &id, &body).await.with_status(200)
        }
        Step::Dispatch => {
            let housing = dept_id(app, &t.dispatcher1, HOUSING).await;
            app.dispatch(&t.dispatcher1, &id, &dispatch_to(log.version, housing)).await.with_status(200)
        }
        Step::Accept => {
            log.accepted = Some(at);
            app.accept(&t.dept1, &id, log.version).await.with_status(200)
        }
        Step::Return => {
            log.returned = Some(at);
            app.hold_onsite_office(&t.dept1, &id).await;
            let body = ReturnSheet {
                onsite: Some(true),
                measures_clear: Some(true),
                measures: Some("现场协调".into()),
                ..solved_sheet(log.version, "已处理。")
            };
            app.return_sheet(&t.dept1, &id, &body).await.with_status(200)
        }
        Step::Tell => {
            let body = TellResident { version: log.version, how: FeedbackMethod::Phone, note: None };
            let item = app.tell_resident(&t.grid1, &id, &body).await.with_status(200);
            let link = app.resident_link(&t.grid1, &id).await.with_status(200);
            log.link = link.path.trim_start_matches("/r/").to_string();
            item
        }
        Step::Rate(a) => {
            let rate = Rate { timely: a, attitude: a, result: a, not_solved: false, comment: None };
            app.rate_as_resident(&log.link, &rate).await.with_status(200);
            log.ratings.push((at, a));
            return;
        }
    };
    log.version = item.version;
}

/// November as the test recounts it from its own log, as of the month's end: (received, on time, in progress) of the
/// sheets accepted in November, and the answers (满意, 基本满意, 不满意) of the ratings first given in November, as
/// they stood then.
fn recount(logs: &[Log], from: DateTime<Utc>, cutoff: DateTime<Utc>) -> ([usize; 3], (i64, i64, i64)) {
    let in_month = |t: &DateTime<Utc>| *t >= from && *t < cutoff;
    let accepted: Vec<&Log> = logs.iter().filter(|l| l.accepted.is_some_and(|a| in_month(&a))).collect();
    let back = |l: &Log| l.returned.filter(|r| *r <= cutoff);
    let on_time =
        accepted.iter().filter(|l| back(l).zip(l.accepted).is_some_and(|(r, a)| r <= a + Duration::days(5))).count();
    let in_progress = accepted.iter().filter(|l| back(l).is_none()).count();
    let mut answers = (0, 0, 0);
    for l in logs.iter().filter(|l| l.ratings.first().is_some_and(|(t, _)| in_month(t))) {
        let (_, a) = l.ratings.iter().rfind(|(t, _)| *t <= cutoff).expect("first given in the month");
        // The three questions each give the one answer.
        match a {
            Answer::Satisfied => answers.0 += 3,
            Answer::Basically => answers.1 += 3,
            Answer::Dissatisfied => answers.2 += 3,
        }
    }
    ([accepted.len(), on_time, in_progress], answers)
}

/// What November looks like to its readers now: the table, its Excel's total row, the dashboard and the 专报's figures.
struct November {
    table: shared::stats::StatsTable,
    excel_total: Vec<String>,
    dashboard: shared::dashboard::Dashboard,
    report: shared::stats::ReportFigures,
}

async fn november(app: &TestApp) -> November {
    let (street, leader) = (app.token("street1").await, app.token("leader1").await);
    let table = app.monthly_stats(&street, "year=2026&month=11").await.ok();
    let (status, bytes) = app.get_bytes(Some(&street), "/api/stats/monthly/export?year=2026&month=11").await;
    assert_eq!(status, 200);
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let sheet = wb.worksheet_range("民情办理情况统计表").unwrap();
    let row = 2 + table.rows.len() as u32;
    let excel_total = (0..10).map(|c| sheet.get_value((row, c)).map(|d| d.to_string()).unwrap_or_default()).collect();
    let dashboard = app.dashboard(&leader, "year=2026&month=11").await.ok();
    let report = app.generate_report(&street, 2026, 11).await.ok().figures;
    November { table, excel_total, dashboard, report }
}

#[tokio::test]
async fn random_histories_leave_a_closed_month_as_the_api_excel_and_report_said_on_the_1st() {
    let start = tests::city_time(2026, 11, 18, 9, 0);
    let (from, cutoff) = (tests::city_time(2026, 11, 1, 0, 0), tests::city_time(2026, 12, 1, 0, 0));
    for seed in [0x9E37_79B9_7F4A_7C15u64, 0xD1B5_4A32_D192_ED03, 0x2545_F491_4F6C_DD1D] {
        let app = spawn_app_at(start).await;
        let tokens = Tokens {
            grid1: app.token("grid1").await,
            community1: app.token("community1").await,
            dispatcher1: app.token("dispatcher1").await,
            dept1: app.token("dept1").await,
        };
        let mut rng = Rng(seed);
        let mut logs: Vec<Log> = Vec::new();
        let mut events: Vec<(DateTime<Utc>, usize, Step)> = Vec::new();
        for n in 0..10 {
            logs.push(Log { id: crate::items::new_id(), ..Default::default() });
            events.extend(plan(&mut rng, start).into_iter().map(|(at, s)| (at, n, s)));
        }
        events.sort_by_key(|(at, n, _)| (*at, *n));

        let mut on_the_1st: Option<November> = None;
        for (at, n, step) in events {
            if at >= cutoff && on_the_1st.is_none() {
                app.set_time(cutoff + Duration::minutes(5));
                on_the_1st = Some(november(&app).await);
            }
            app.set_time(at);
            act(&app, &tokens, &mut rng, &mut logs[n], step, at).await;
        }
        // Well after the last event (and after December closed too).
        app.set_time(tests::city_time(2027, 1, 10, 12, 0));
        let first = match on_the_1st {
            Some(first) => first,
            None => november(&app).await,
        };
        let later = november(&app).await;

        // The API on the 1st equals the recount from what was done, as of the month's end.
        let t = &first.table.total;
        let ([received, on_time, in_progress], answers) = recount(&logs, from, cutoff);
        let said = [t.received.count as usize, t.on_time.count as usize, t.in_progress.count as usize];
        assert_eq!(said, [received, on_time, in_progress], "seed {seed:#x}");
        let (s, b, d) = answers;
        let expected = (s + b + d > 0).then(|| (s + b) as f64 / (s + b + d) as f64);
        assert_eq!(t.answers, s + b + d, "seed {seed:#x}");
        assert_eq!(t.satisfaction, expected, "seed {seed:#x}");

        // The Excel, the 专报 and the dashboard say what the table says.
        assert_eq!(first.excel_total[2..5], [received, on_time, in_progress].map(|n| n.to_string()), "seed {seed:#x}");
        assert_eq!(first.excel_total[5], shared::stats::percent(t.completion_rate), "seed {seed:#x}");
        assert_eq!(first.report.completion_rate, t.completion_rate, "seed {seed:#x}");
        assert_eq!(first.report.satisfaction, t.satisfaction, "seed {seed:#x}");
        let street = first.dashboard.by_street.iter().find(|s| s.street.name == "新华街道").expect("新华街道");
        assert_eq!(first.report.collected, street.figures.received, "seed {seed:#x}");
        assert_eq!(first.report.solved, street.figures.solved, "seed {seed:#x}");

        // A month later every reader still says the same.
        assert_eq!(later.table.total, first.table.total, "seed {seed:#x}");
        assert_eq!(later.excel_total, first.excel_total, "seed {seed:#x}");
        assert_eq!(later.report, first.report, "seed {seed:#x}");
        assert_eq!(later.report.completion_rate, later.table.total.completion_rate, "seed {seed:#x}");
        assert_eq!(later.dashboard.overall, first.dashboard.overall, "seed {seed:#x}");
        assert_eq!(later.dashboard.by_street, first.dashboard.by_street, "seed {seed:#x}");
        assert_eq!(later.dashboard.by_type, first.dashboard.by_type, "seed {seed:#x}");
    }
}
