//! `dingwarden evidence verify FILE.zip [--pubkey KEY]`: checks a bundle
//! with nothing but the bundle (no database, no configuration): the
//! manifest's signature when a public key is given, every file against its
//! SHA-256 and size in the manifest, no file missing or added, and the
//! audit chain inside. Each problem is one line naming the file.

use std::collections::BTreeSet;
use std::io::{self, BufReader, Read, Seek};

use ed25519_dalek::VerifyingKey;
use sha2::{Digest, Sha256};
use zip::ZipArchive;

use super::bundle::hex;
use super::chain::check_log;
use super::key;
use super::manifest::{AUDIT_LOG, FORMAT, MANIFEST, Manifest, SIGNATURE};

/// What a check found: problems (each one line) and, when there are none,
/// a summary.
#[derive(Debug, Default)]
pub struct Report {
    pub problems: Vec<String>,
    /// Things to know that are not problems (an unchecked signature).
    pub notes: Vec<String>,
    pub summary: String,
}

impl Report {
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Checks the bundle in `input`; `name` is how to call it in messages.
pub fn verify<R: Read + Seek>(input: R, name: &str, pubkey: Option<&VerifyingKey>) -> Report {
    let mut report = Report::default();
    let mut zip = match ZipArchive::new(input) {
        Ok(z) => z,
        Err(e) => {
            report
                .problems
                .push(format!("{name}: not a readable ZIP archive ({e})"));
            return report;
        }
    };
    let Some((manifest, bytes)) = read_manifest(&mut zip, &mut report) else {
        return report;
    };
    check_signature(&mut zip, &bytes, pubkey, &mut report);
    check_files(&mut zip, &manifest, &mut report);
    let chain = match zip.by_name(AUDIT_LOG) {
        Ok(file) => Some(check_log(BufReader::new(file), &manifest.audit)),
        Err(_) => None, // named as missing by check_files
    };
    if let Some(chain) = chain {
        report.problems.extend(chain.problems);
        report.summary = format!(
            "evidence bundle intact: {} files, {} audit entries ({} entries redacted under retention), head {}:{}",
            manifest.files.len(),
            chain.entries,
            chain.redacted,
            manifest.audit.last_seq.unwrap_or(0),
            manifest.audit.head.as_deref().unwrap_or("-"),
        );
    }
    report
}

fn read_bytes<R: Read + Seek>(zip: &mut ZipArchive<R>, path: &str) -> Option<io::Result<Vec<u8>>> {
    let mut file = zip.by_name(path).ok()?;
    let mut bytes = Vec::new();
    Some(file.read_to_end(&mut bytes).map(|_| bytes))
}

fn read_manifest<R: Read + Seek>(
    zip: &mut ZipArchive<R>,
    report: &mut Report,
) -> Option<(Manifest, Vec<u8>)> {
    let bytes = match read_bytes(zip, MANIFEST) {
        None => {
            report.problems.push(format!("{MANIFEST}: missing"));
            return None;
        }
        Some(Err(e)) => {
            report
                .problems
                .push(format!("{MANIFEST}: unreadable ({e})"));
            return None;
        }
        Some(Ok(b)) => b,
    };
    match serde_json::from_slice::<Manifest>(&bytes) {
        Ok(m) if m.format == FORMAT => Some((m, bytes)),
        Ok(m) => {
            report.problems.push(format!(
                "{MANIFEST}: format '{}' is not '{FORMAT}'",
                m.format
            ));
            None
        }
        Err(e) => {
            report
                .problems
                .push(format!("{MANIFEST}: not a valid manifest ({e})"));
            None
        }
    }
}

fn check_signature<R: Read + Seek>(
    zip: &mut ZipArchive<R>,
    manifest: &[u8],
    pubkey: Option<&VerifyingKey>,
    report: &mut Report,
) {
    let signature = read_bytes(zip, SIGNATURE).and_then(Result::ok);
    match (pubkey, signature) {
        (Some(_), None) => report.problems.push(format!(
            "{SIGNATURE}: missing: the bundle is not signed, so --pubkey cannot be checked"
        )),
        (Some(pk), Some(sig)) => {
            let sig = String::from_utf8_lossy(&sig);
            if let Err(why) = key::verify(pk, manifest, sig.trim()) {
                report
                    .problems
                    .push(format!("{SIGNATURE}: {why} (or {MANIFEST} was changed)"));
            }
        }
        (None, Some(_)) => report.notes.push(format!(
            "{SIGNATURE}: the manifest is signed; pass --pubkey to check the signature"
        )),
        (None, None) => report.notes.push(
            "the bundle is not signed: the manifest proves only that its files agree with it"
                .to_owned(),
        ),
    }
}

fn hash_file<R: Read + Seek>(
    zip: &mut ZipArchive<R>,
    path: &str,
) -> Option<io::Result<(String, u64)>> {
    let mut file = zip.by_name(path).ok()?;
    let mut hasher = Sha256::new();
    Some(io::copy(&mut file, &mut hasher).map(|size| (hex(&hasher.finalize()), size)))
}

fn check_files<R: Read + Seek>(zip: &mut ZipArchive<R>, manifest: &Manifest, report: &mut Report) {
    let mut listed = BTreeSet::new();
    for f in &manifest.files {
        if !listed.insert(f.path.as_str()) {
            report
                .problems
                .push(format!("{}: listed twice in {MANIFEST}", f.path));
            continue;
        }
        match hash_file(zip, &f.path) {
            None => report
                .problems
                .push(format!("{}: missing (listed in {MANIFEST})", f.path)),
            Some(Err(e)) => report
                .problems
                .push(format!("{}: unreadable ({e})", f.path)),
            Some(Ok((sha, size))) => {
                if size != f.size {
                    report.problems.push(format!(
                        "{}: {size} bytes, {MANIFEST} says {}",
                        f.path, f.size
                    ));
                }
                if sha != f.sha256 {
                    report.problems.push(format!(
                        "{}: SHA-256 {sha} does not match {MANIFEST} ({})",
                        f.path, f.sha256
                    ));
                }
            }
        }
    }
    let names: Vec<String> = zip.file_names().map(str::to_owned).collect();
    for name in names {
        if name != MANIFEST && name != SIGNATURE && !listed.contains(name.as_str()) {
            report
                .problems
                .push(format!("{name}: not listed in {MANIFEST}"));
        }
    }
}
