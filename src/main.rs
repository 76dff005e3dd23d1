//! The `dingwarden` binary: parse the command line and run it.

use std::process::ExitCode;

use clap::Parser as _;

fn main() -> ExitCode {
    fewer_malloc_arenas();
    let cli = dingwarden::cli::Cli::parse();
    dingwarden::cli::run(cli)
}

/// glibc gives threads that allocate at the same time arenas of their own,
/// up to eight per core, and memory freed in one arena is not reused by
/// another: under a steady load `serve`'s resident set kept growing for
/// minutes (the soak benchmark, bench/README.md), where two arenas keep it
/// flat. The limit is read when the allocator starts, so the process starts
/// itself again, once, with `MALLOC_ARENA_MAX=2` (same pid, arguments and
/// environment), unless the operator has set the limit already. If that
/// fails it runs on with glibc's default.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn fewer_malloc_arenas() {
    use std::os::unix::process::CommandExt as _;
    const VAR: &str = "MALLOC_ARENA_MAX";
    let tuned = std::env::var_os("GLIBC_TUNABLES")
        .is_some_and(|t| t.to_string_lossy().contains("arena_max"));
    if std::env::var_os(VAR).is_some() || tuned {
        return;
    }
    let Ok(exe) = std::env::current_exe() else {
        return;
    };
    let mut args = std::env::args_os();
    let arg0 = args.next().unwrap_or_else(|| exe.clone().into_os_string());
    // `exec` returns only when it failed.
    let _ = std::process::Command::new(&exe)
        .arg0(arg0)
        .args(args)
        .env(VAR, "2")
        .exec();
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn fewer_malloc_arenas() {}
