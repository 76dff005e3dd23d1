//! Writing the ZIP: each file is hashed (SHA-256) and counted as it is
//! written, so the manifest can list them; the manifest comes last, then
//! its signature. Works on anything `Write + Seek` (a file for the CLI, a
//! `Cursor<Vec<u8>>` for the console).

use std::io::{Seek, Write};

use anyhow::Context as _;
use chrono::{Datelike as _, Timelike as _};
use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use super::key::EvidenceKey;
use super::manifest::{FileEntry, MANIFEST, Manifest, SIGNATURE};

/// A bundle being written.
pub struct BundleWriter<W: Write + Seek> {
    zip: ZipWriter<W>,
    options: SimpleFileOptions,
    files: Vec<FileEntry>,
    open: Option<(String, Sha256, u64)>,
}

/// Lowercase hex of a digest.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl<W: Write + Seek> BundleWriter<W> {
    /// Starts a bundle; every file is stamped with `at` (local time).
    pub fn new(out: W, at: chrono::NaiveDateTime) -> Self {
        let stamp = zip::DateTime::from_date_and_time(
            u16::try_from(at.year()).unwrap_or(1980),
            at.month() as u8,
            at.day() as u8,
            at.hour() as u8,
            at.minute() as u8,
            at.second() as u8,
        )
        .unwrap_or_default();
        Self {
            zip: ZipWriter::new(out),
            options: SimpleFileOptions::default()
                .compression_method(CompressionMethod::Deflated)
                .last_modified_time(stamp),
            files: Vec::new(),
            open: None,
        }
    }

    /// Starts file `path`; write to it with [`Self::write`], end it with [`Self::end`].
    pub fn begin(&mut self, path: &str) -> anyhow::Result<()> {
        anyhow::ensure!(self.open.is_none(), "a bundle file is still open");
        self.zip
            .start_file(path, self.options)
            .with_context(|| format!("start {path}"))?;
        self.open = Some((path.to_owned(), Sha256::new(), 0));
        Ok(())
    }

    /// Appends to the open file.
    pub fn write(&mut self, bytes: &[u8]) -> anyhow::Result<()> {
        let (path, hasher, size) = self.open.as_mut().context("no bundle file is open")?;
        self.zip
            .write_all(bytes)
            .with_context(|| format!("write {path}"))?;
        hasher.update(bytes);
        *size += bytes.len() as u64;
        Ok(())
    }

    /// Ends the open file and records it for the manifest.
    pub fn end(&mut self) -> anyhow::Result<()> {
        let (path, hasher, size) = self.open.take().context("no bundle file is open")?;
        self.files.push(FileEntry {
            path,
            sha256: hex(&hasher.finalize()),
            size,
        });
        Ok(())
    }

    /// Adds a whole file.
    pub fn add(&mut self, path: &str, bytes: &[u8]) -> anyhow::Result<()> {
        self.begin(path)?;
        self.write(bytes)?;
        self.end()
    }

    /// Writes the manifest (with the files written so far) and, with a key,
    /// its signature; returns the output, the manifest as written and its SHA-256.
    pub fn finish(
        mut self,
        mut manifest: Manifest,
        key: Option<&EvidenceKey>,
    ) -> anyhow::Result<(W, Manifest, String)> {
        anyhow::ensure!(self.open.is_none(), "a bundle file is still open");
        manifest.files = std::mem::take(&mut self.files);
        manifest.signing_key = key.map(EvidenceKey::public_base64);
        let mut bytes = serde_json::to_vec_pretty(&manifest).context("encode manifest")?;
        bytes.push(b'\n');
        self.zip.start_file(MANIFEST, self.options)?;
        self.zip.write_all(&bytes).context("write manifest")?;
        if let Some(key) = key {
            self.zip.start_file(SIGNATURE, self.options)?;
            let signature = format!("{}\n", key.sign(&bytes));
            self.zip.write_all(signature.as_bytes())?;
        }
        let out = self.zip.finish().context("finish the ZIP")?;
        Ok((out, manifest, hex(&Sha256::digest(&bytes))))
    }
}
