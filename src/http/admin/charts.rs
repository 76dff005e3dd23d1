//! Inline SVG charts for the console (no scripts, no images fetched): a
//! horizontal bar for a share, and columns for a trend. Each chart is a
//! `role="img"` with an `aria-label` saying in words what it draws, and the
//! figures are also printed beside it; colours come from the style sheet.

use maud::{Markup, html};

use crate::domain::notice::percent;

/// A bar `part` of `total` long, labelled `label` for screen readers.
pub fn share(part: i64, total: i64, label: &str) -> Markup {
    let pct = percent(part, total);
    html! {
        div.bar {
            svg.share viewBox="0 0 100 8" preserveAspectRatio="none" role="img"
                aria-label=(format!("{label}: {part}/{total} ({pct}%)")) {
                rect.track x="0" y="0" width="100" height="8" rx="4" {}
                @if pct > 0 { rect.fill x="0" y="0" width=(pct) height="8" rx="4" {} }
            }
            span aria-hidden="true" { (part) "/" (total) " (" (pct) "%)" }
        }
    }
}

/// Columns for `(label, value)` pairs in order, two series side by side
/// (`a` and `b`), scaled to the largest value; `caption` describes it.
pub fn columns(points: &[(String, i64, i64)], caption: &str) -> Markup {
    let max = points
        .iter()
        .map(|(_, a, b)| (*a).max(*b))
        .max()
        .unwrap_or(0)
        .max(1);
    let width = i64::try_from(points.len()).unwrap_or(0) * 30;
    let words: Vec<String> = points
        .iter()
        .map(|(l, a, b)| format!("{l}: {a}/{b}"))
        .collect();
    let aria = format!("{caption} — {}", words.join("; "));
    html! {
        svg.trend viewBox=(format!("0 0 {width} 70")) role="img" aria-label=(aria) {
            @for (i, (label, a, b)) in points.iter().enumerate() {
                @let x = i64::try_from(i).unwrap_or(0) * 30;
                @let ha = a * 50 / max;
                @let hb = b * 50 / max;
                rect.fill x=(x + 4) y=(55 - ha) width="10" height=(ha) {}
                rect.alt x=(x + 15) y=(55 - hb) width="10" height=(hb) {}
                text x=(x + 15) y="67" text-anchor="middle" { (label) }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_say_what_they_draw() {
        let svg = share(1, 4, "<研发部>").into_string();
        assert!(
            svg.contains("aria-label=\"&lt;研发部&gt;: 1/4 (25%)\""),
            "{svg}"
        );
        assert!(svg.contains("width=\"25\""), "{svg}");
        assert!(!share(0, 0, "x").into_string().contains("class=\"fill\""));
    }

    #[test]
    fn columns_scale_to_the_largest_value() {
        let pts = vec![("11-29".to_owned(), 2, 0), ("11-30".to_owned(), 4, 1)];
        let svg = columns(&pts, "trend").into_string();
        assert!(svg.contains("height=\"50\""), "{svg}");
        assert!(svg.contains("height=\"25\""), "{svg}");
        assert!(svg.contains("11-30: 4/1"), "{svg}");
    }
}
