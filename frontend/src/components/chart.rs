//! Two hand-drawn SVG charts: columns in pairs (a trend) and horizontal bars with an optional second bar laid over
//! the first (by place or type). Scaled to the largest value; a <title> names each chart and bar for screen readers;
//! all zeros draw a note instead of bars.

use leptos::prelude::*;

/// A bar: its label, the first value and, when drawn, the second.
pub type Bar = (String, i64, Option<i64>);

/// The width of every chart in user units; the svg scales to its box.
const W: f64 = 360.0;

fn n(v: f64) -> String {
    format!("{v:.1}")
}

/// The svg with its title, a legend of the series drawn and its body.
fn frame(id: &'static str, title: String, legend: &[&'static str], h: f64, body: AnyView) -> AnyView {
    let keys = legend
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let x = 8.0 + 64.0 * i as f64;
            view! {
                <rect x=n(x) y="4" width="10" height="10" class=if i == 0 { "bar-a" } else { "bar-b" }/>
                <text x=n(x + 14.0) y="13" class="chart-legend">{*name}</text>
            }
        })
        .collect_view();
    view! {
        <svg id=id class="chart" viewBox=format!("0 0 {W} {}", n(h)) role="img" aria-labelledby=format!("{id}-title")>
            <title id=format!("{id}-title")>{title}</title>
            {keys}
            {body}
        </svg>
    }
    .into_any()
}

/// The note drawn when every value is zero.
fn empty(id: &'static str, title: String, note: &'static str) -> AnyView {
    let body = view! { <text x=n(W / 2.0) y="44" text-anchor="middle" class="chart-empty">{note}</text> };
    frame(id, title, &[], 72.0, body.into_any())
}

fn largest(bars: &[Bar]) -> f64 {
    bars.iter().map(|(_, a, b)| (*a).max(b.unwrap_or(0))).max().unwrap_or(0) as f64
}

/// A bar's tooltip: "6月：收集12件，已办结8件".
fn tip(label: &str, names: [&'static str; 2], a: i64, b: Option<i64>) -> String {
    let second = b.map(|b| format!("，{}{b}件", names[1])).unwrap_or_default();
    format!("{label}：{}{a}件{second}", names[0])
}

/// Columns side by side per label (the second series right of the first), value on top.
pub fn column_chart(
    id: &'static str,
    title: String,
    names: [&'static str; 2],
    bars: Vec<Bar>,
    note: &'static str,
) -> AnyView {
    let max = largest(&bars);
    if max == 0.0 {
        return empty(id, title, note);
    }
    let (h, base, room) = (200.0, 178.0, 134.0);
    let gw = (W - 16.0) / bars.len().max(1) as f64;
    let bw = (gw * 0.32).min(26.0);
    let body = bars
        .into_iter()
        .enumerate()
        .map(|(i, (label, a, b))| {
            let cx = 8.0 + gw * (i as f64 + 0.5);
            let column = move |v: i64, x: f64, class: &'static str| {
                let height = v as f64 / max * room;
                view! {
                    <rect x=n(x) y=n(base - height) width=n(bw) height=n(height) class=class/>
                    <text x=n(x + bw / 2.0) y=n(base - height - 3.0) text-anchor="middle" class="chart-value">{v}</text>
                }
            };
            view! {
                <g class="chart-group">
                    <title>{tip(&label, names, a, b)}</title>
                    {column(a, cx - bw - 1.0, "bar-a")}
                    {b.map(|b| column(b, cx + 1.0, "bar-b"))}
                    <text x=n(cx) y=n(h - 6.0) text-anchor="middle" class="chart-label">{label}</text>
                </g>
            }
        })
        .collect_view();
    let body = view! {
        <line x1="8" x2=n(W - 8.0) y1=n(base) y2=n(base) class="chart-axis"/>
        {body}
    };
    frame(id, title, &names, h, body.into_any())
}

/// One row per label: the first value as a bar, the second (when given) as a thinner bar over it.
pub fn bar_chart(
    id: &'static str,
    title: String,
    names: [&'static str; 2],
    bars: Vec<Bar>,
    note: &'static str,
) -> AnyView {
    let two = bars.iter().any(|b| b.2.is_some());
    let max = largest(&bars);
    if max == 0.0 {
        return empty(id, title, note);
    }
    let (top, row, x0, room) = (24.0, 28.0, 78.0, 200.0);
    let h = top + bars.len() as f64 * row + 4.0;
    let body = bars
        .into_iter()
        .enumerate()
        .map(|(i, (label, a, b))| {
            let y = top + i as f64 * row;
            let wa = a as f64 / max * room;
            // Long names are shortened; the tooltip keeps the whole.
            let short: String =
                if label.chars().count() > 6 { label.chars().take(5).chain(['…']).collect() } else { label.clone() };
            let value = match b {
                Some(b) => format!("{a}（{}{b}）", names[1]),
                None => a.to_string(),
            };
            view! {
                <g class="chart-group">
                    <title>{tip(&label, names, a, b)}</title>
                    <text x=n(x0 - 6.0) y=n(y + 18.0) text-anchor="end" class="chart-label">{short}</text>
                    <rect x=n(x0) y=n(y + 5.0) width=n(wa) height="18" class="bar-a"/>
                    {b.map(|b| view! {
                        <rect x=n(x0) y=n(y + 10.0) width=n(b as f64 / max * room) height="8" class="bar-b"/>
                    })}
                    <text x=n(x0 + wa + 4.0) y=n(y + 18.0) class="chart-value">{value}</text>
                </g>
            }
        })
        .collect_view();
    frame(id, title, &names[..1 + two as usize], h, body.into_any())
}
