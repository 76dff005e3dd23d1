//! The `dingwarden` binary: parse the command line and run it.

use std::process::ExitCode;

use clap::Parser as _;

fn main() -> ExitCode {
    let cli = dingwarden::cli::Cli::parse();
    dingwarden::cli::run(cli)
}
