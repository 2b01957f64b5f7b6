import ArgumentParser

/// The `mixbit` command: one binary for the server, the workers and the engine's command-line tools.
@main
struct Mixbit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "MLflow-compatible tracking server and mixed-precision quantization service.",
        version: MixbitVersion.string,
        subcommands: [
            ServeCommand.self, DBCommand.self, QuantizeCommand.self, EmbedCommand.self, PerplexityCommand.self,
            EvalCommand.self,
        ]
    )
}
