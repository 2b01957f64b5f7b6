/// A model folder opened for evaluation, its type detected from the files: `architecture.json` → image classifier
/// (``CNNClassifier``); `config.json` with `model_type` `bert` → sentence embedder, `gpt2` → language model.
public enum EvaluationModel: Sendable {
    case classifier(CNNClassifier)
    case embedder(SentenceEmbedder)
    case languageModel(GPT2Model, ByteLevelBPETokenizer)

    /// Opens `directory`.
    public static func load(directory: String) throws(ModelError) -> EvaluationModel {
        if ModelFiles.exists(directory + "/architecture.json") { return .classifier(try CNNClassifier(directory: directory)) }
        guard ModelFiles.exists(directory + "/config.json") else {
            throw .unreadable(path: directory, reason: "neither architecture.json (CNN) nor config.json (BERT, GPT-2) is there")
        }
        let type = try ConfigurationReader(path: directory + "/config.json").string("model_type", default: "")
        switch type {
        case "bert":
            return .embedder(try SentenceEmbedder(directory: directory))
        case "gpt2":
            let tokenizer = try ByteLevelBPETokenizer(vocabularyPath: directory + "/vocab.json", mergesPath: directory + "/merges.txt")
            return .languageModel(try GPT2Model(directory: directory), tokenizer)
        default:
            throw .invalidConfiguration("model_type \"\(type)\" is not supported (bert, gpt2, or a CNN architecture.json)")
        }
    }

    /// `cnn`, `bert` or `gpt2`.
    public var kind: String {
        switch self {
        case .classifier: "cnn"
        case .embedder: "bert"
        case .languageModel: "gpt2"
        }
    }

    /// The quantizable part of the model.
    public var quantizableModel: any QuantizableModel {
        switch self {
        case .classifier(let model): model
        case .embedder(let model): model
        case .languageModel(let model, _): model
        }
    }

    /// Applies `config` (``ModelQuantization/apply(_:to:calibration:)``).
    @discardableResult
    public mutating func quantize(_ config: QuantConfig, calibration: CalibrationData?) throws(QuantConfigError)
        -> [ModelQuantization.LayerReport] {
        switch self {
        case .classifier(var model):
            let reports = try ModelQuantization.apply(config, to: &model, calibration: calibration)
            self = .classifier(model)
            return reports
        case .embedder(var model):
            let reports = try ModelQuantization.apply(config, to: &model, calibration: calibration)
            self = .embedder(model)
            return reports
        case .languageModel(var model, let tokenizer):
            let reports = try ModelQuantization.apply(config, to: &model, calibration: calibration)
            self = .languageModel(model, tokenizer)
            return reports
        }
    }

    /// Runs the model as it is now (Float32 before ``quantize(_:calibration:)``) over a calibration file and captures
    /// every matrix layer's inputs. The file is, by model type: a safetensors file with `images` `[n, C, H, W]`
    /// (raw pixels); sentences, one per line; text chunks separated by blank lines, each cut to the context length.
    public func calibrate(file: String, rowLimit: Int = 2048) throws(ModelError) -> CalibrationData {
        let recorder = CalibrationRecorder(rowLimit: rowLimit)
        switch self {
        case .classifier(let model):
            let images = try model.imageSet(file).images
            ForwardObservation.$current.withValue(recorder) {
                for i in 0 ..< images.shape[0] { _ = model.logits(images.rows(i ..< i + 1).reshaped(model.inputShape)) }
            }
        case .embedder(let model):
            let sentences = ModelFiles.lines(try ModelFiles.readText(file)).filter { !$0.isEmpty }
            guard !sentences.isEmpty else { throw .unreadable(path: file, reason: "no calibration sentences") }
            ForwardObservation.$current.withValue(recorder) {
                for sentence in sentences { _ = model.embed(String(sentence)) }
            }
        case .languageModel(let model, let tokenizer):
            let chunks = try ModelFiles.readText(file).split(separator: "\n\n").map {
                Array(tokenizer.encode(String($0)).prefix(model.configuration.maximumPositions))
            }.filter { !$0.isEmpty }
            guard !chunks.isEmpty else { throw .unreadable(path: file, reason: "no calibration text") }
            ForwardObservation.$current.withValue(recorder) {
                for chunk in chunks { _ = model.logits(chunk) }
            }
        }
        return recorder.data
    }
}
