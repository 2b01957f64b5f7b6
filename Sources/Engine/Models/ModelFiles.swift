public import JSON
#if canImport(Glibc)
import Glibc
#endif

/// Reading the small text and JSON files that sit next to a model's weights (config.json, vocab.txt, merges.txt).
public enum ModelFiles {
    /// Whether a readable file exists at `path` (for optional files such as sentence_bert_config.json).
    public static func exists(_ path: String) -> Bool {
        access(path, R_OK) == 0
    }

    /// The whole file at `path` as UTF-8 text (invalid sequences become U+FFFD).
    public static func readText(_ path: String) throws(ModelError) -> String {
        let file: MappedFile
        do {
            file = try MappedFile(path: path)
        } catch .io(_, let operation, let errno) {
            throw .unreadable(path: path, reason: "\(operation) failed (errno \(errno))")
        } catch {
            throw .unreadable(path: path, reason: error.description)
        }
        return String(decoding: file.bytes, as: UTF8.self)
    }

    /// The JSON document at `path`.
    public static func readJSON(_ path: String) throws(ModelError) -> JSONValue {
        let text = try readText(path)
        do {
            return try JSONParser.parse(text)
        } catch {
            throw .unreadable(path: path, reason: error.description)
        }
    }

    /// The lines of `text` without their terminators (`\n` or `\r\n`); a final empty line is dropped.
    public static func lines(_ text: String) -> [Substring] {
        var result = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.last == "\r" ? line.dropLast() : line
        }
        if result.last?.isEmpty == true { result.removeLast() }
        return result
    }

    /// Opens the weights of a model folder.
    public static func openWeights(_ path: String) throws(ModelError) -> SafetensorsFile {
        do {
            return try SafetensorsFile(path: path)
        } catch {
            throw .unreadable(path: path, reason: error.description)
        }
    }

    /// Tensor `name` of `weights`, checked against `shape`.
    public static func tensor(_ weights: SafetensorsFile, _ name: String, shape: [Int]) throws(ModelError) -> Tensor {
        let tensor: Tensor
        do {
            tensor = try weights.tensor(named: name)
        } catch {
            throw .invalidWeights(tensor: name, reason: error.description)
        }
        guard tensor.shape == shape else { throw .shapeMismatch(tensor: name, expected: shape, found: tensor.shape) }
        return tensor
    }
}
