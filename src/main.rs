fn main() -> std::process::ExitCode {
    guardrail::cli::main()
}
