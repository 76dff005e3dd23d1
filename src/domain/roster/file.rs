//! Reading a roster CSV file's bytes (UTF-8 with or without a BOM, a
//! header, RFC 4180 quoting) into validated rows, every problem with the
//! line it is on. Pure, so the command line and the console read files alike.

use chrono::NaiveDate;

use super::{LineError, RosterRow, validate};

/// Reads a roster CSV: UTF-8 with or without a BOM, a header first, fields
/// quoted as RFC 4180. Every problem is returned with its line.
pub fn read_csv(bytes: &[u8], today: NaiveDate) -> Result<Vec<RosterRow>, Vec<LineError>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = line_at(bytes, e.valid_up_to());
        vec![LineError {
            line,
            reason: "is not UTF-8 text (save the file as \"CSV UTF-8\")".into(),
        }]
    })?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = Vec::new();
    let mut errors = Vec::new();
    for record in reader.records() {
        match record {
            Ok(r) => records.push((line_of(text, r.position()), r)),
            Err(e) => errors.push(LineError {
                line: line_of(text, e.position()),
                reason: format!("cannot be read as CSV: {e}"),
            }),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let Some(((header_line, header), rows)) = records.split_first() else {
        return Err(vec![LineError {
            line: 1,
            reason: "the file is empty (a header line is required)".into(),
        }]);
    };
    let header: Vec<&str> = header.iter().collect();
    let rows: Vec<(u64, Vec<&str>)> = rows
        .iter()
        .map(|(line, r)| (*line, r.iter().collect()))
        .collect();
    validate(*header_line, &header, &rows, today)
}

/// The line a record starts on, counted here from the record's byte offset:
/// the CSV reader's own count is one short after every `\r\n` (it places a
/// record at the `\n` of the line break before it) and sees no lone `\r`
/// (old Mac "CSV" files), although both end records.
fn line_of(text: &str, position: Option<&csv::Position>) -> u64 {
    let at = position.map_or(0, csv::Position::byte);
    line_at(text.as_bytes(), usize::try_from(at).unwrap_or(usize::MAX))
}

/// The 1-based line of byte `at`: `\r\n`, `\n` and a lone `\r` each end a
/// line (a line starts right after its `\r`).
fn line_at(bytes: &[u8], at: usize) -> u64 {
    let head = &bytes[..at.min(bytes.len())];
    let breaks = head
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\r' || (b == b'\n' && (i == 0 || head[i - 1] != b'\r')))
        .count();
    breaks as u64 + 1
}
