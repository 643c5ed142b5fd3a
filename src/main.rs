use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = aiscout::cli::Cli::parse();
    match aiscout::cli::run(cli) {
        Ok(outcome) => ExitCode::from(outcome.code()),
        Err(err) => {
            // A closed pipe (`aiscout scan | head`) is not an error.
            if err.chain().any(|e| {
                e.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            aiscout::cli::print_error(&err);
            ExitCode::from(2)
        }
    }
}
