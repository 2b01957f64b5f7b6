import Engine
import JSON
import Testing

/// Quant config parsing, glob matching, the precedence rule and every error.
@Suite struct QuantConfigTests {
    private static let layers = ["encoder.layer.0.attention.self.query", "encoder.layer.0.attention.self.key",
                                 "encoder.layer.0.output.dense", "encoder.layer.1.output.dense", "classifier"]

    private func config(_ text: String) throws -> QuantConfig { try QuantConfig(json: JSONParser.parse(text)) }

    private func error(_ text: String) -> QuantConfigError? {
        do {
            _ = try config(text)
            return nil
        } catch let error as QuantConfigError {
            return error
        } catch {
            Issue.record("unexpected error \(error)")
            return nil
        }
    }

    @Test func glob_StarAndQuestionMark() {
        #expect(LayerPattern("*").matches("encoder.layer.0.output.dense"))
        #expect(LayerPattern("encoder.layer.?.output.*").matches("encoder.layer.1.output.dense"))
        #expect(!LayerPattern("encoder.layer.?.output.*").matches("encoder.layer.10.output.dense"))
        #expect(LayerPattern("*.self.*").matches("encoder.layer.0.attention.self.query"))
        #expect(LayerPattern("h.*.mlp.c_fc").matches("h.3.mlp.c_fc") && !LayerPattern("h.*.mlp.c_fc").matches("h.3.mlp.c_proj"))
        #expect(LayerPattern("a*b*c").matches("aXbYbZc") && !LayerPattern("a*b*c").matches("aXbYbZ"))
        #expect(LayerPattern("classifier").matches("classifier") && !LayerPattern("classifier").matches("classifier2"))
        #expect(LayerPattern("?").matches("x") && !LayerPattern("?").matches(""))
        #expect(LayerPattern("encoder.layer.*.output.dense").literalCount == 27)
    }

    @Test func parses_FormatsModesMethodsAndFloat32() throws {
        let parsed = try config("""
            {"layers": {
              "*": {"weight": {"format": "int", "bits": 8, "granularity": "channel"},
                    "activation": {"format": "int", "bits": 8, "mode": "dynamic"}},
              "*.output.dense": {"weight": {"format": "int-asym", "bits": 4, "granularity": "group:128", "clip": "max"}, "method": "gptq"},
              "*.self.query": {"weight": {"format": "int", "bits": 8}, "activation": {"format": "olive", "bits": 4, "mode": "static"},
                               "method": "smoothquant", "alpha": 0.75},
              "classifier": "float32"}}
            """)
        #expect(parsed.rules.count == 4)
        let all = parsed.rules[0]
        #expect(all.weight?.options == QuantizationOptions(method: .fixed(.int), bits: 8, granularity: .perChannel))
        #expect(all.activation?.mode == .dynamic && all.method == .rtn)
        let dense = parsed.rules[1]
        #expect(dense.weight?.options.granularity == .perGroup(128) && dense.weight?.options.clipSearch == ClipSearch.none)
        #expect(dense.method == .gptq && dense.activation == nil && dense.calibrationReason != nil)
        #expect(parsed.rules[2].alpha == 0.75 && parsed.rules[2].activation?.mode == .static)
        #expect(parsed.rules[3].weight == nil && parsed.rules[3].activation == nil)
        #expect(parsed.needsCalibration)
        #expect(all.calibrationReason == nil)
    }

    /// Most literal characters wins; equal specificity goes to the entry written first.
    @Test func precedence_MostLiteralCharactersThenFileOrder() throws {
        let parsed = try config("""
            {"layers": {
              "encoder.layer.?.output.dense": {"weight": {"format": "int", "bits": 6}},
              "*": {"weight": {"format": "int", "bits": 8}},
              "encoder.layer.0.*": {"weight": {"format": "int", "bits": 4}},
              "encoder.layer.?.output.dens?": {"weight": {"format": "int", "bits": 5}},
              "*.layer.0.attention.self.query": {"weight": {"format": "int", "bits": 3}}}}
            """)
        let chosen = try parsed.assignments(layers: Self.layers)
        #expect(chosen["encoder.layer.0.attention.self.query"]?.weight?.options.bits == 3)  // 29 literals beat 16
        #expect(chosen["encoder.layer.0.attention.self.key"]?.weight?.options.bits == 4)
        #expect(chosen["encoder.layer.0.output.dense"]?.weight?.options.bits == 6)  // 27 literals each: first wins
        #expect(chosen["encoder.layer.1.output.dense"]?.weight?.options.bits == 6)
        #expect(chosen["classifier"]?.weight?.options.bits == 8)
    }

    @Test func unmatchedPattern_IsAnErrorListingTheLayers() throws {
        let parsed = try config(#"{"layers": {"decoder.*": {"weight": {"format": "int", "bits": 8}}}}"#)
        #expect(throws: QuantConfigError.unmatchedPattern("decoder.*", layers: Self.layers)) { try parsed.assignments(layers: Self.layers) }
        let message = QuantConfigError.unmatchedPattern("decoder.*", layers: Self.layers).description
        #expect(message.contains("decoder.*") && message.contains("classifier"))
    }

    @Test func badConfigs_AreRejectedWithTheOffendingEntry() throws {
        let cases: [(String, String)] = [
            (#"{"layer": {}}"#, "unknown key \"layer\""),
            (#"[1]"#, "must be a JSON object"),
            (#"{"layers": []}"#, "needs \"layers\""),
            (#"{"layers": {"*": {"weights": {"format": "int", "bits": 8}}}}"#, "unknown key \"weights\""),
            (#"{"layers": {"*": {"weight": {"format": "int", "bits": 8, "group": 4}}}}"#, "unknown key \"group\""),
            (#"{"layers": {"*": {"weight": {"format": "int9", "bits": 8}}}}"#, "unknown format int9"),
            (#"{"layers": {"*": {"weight": {"format": "int", "bits": 7}}}}"#, "does not support 7 bits"),
            (#"{"layers": {"*": {"weight": {"format": "olive", "bits": 6}}}}"#, "does not support 6 bits"),
            (#"{"layers": {"*": {"weight": {"format": "float-e2m1", "bits": 8}}}}"#, "float-e2m1 does not support 8 bits"),
            (#"{"layers": {"*": {"weight": {"format": "int", "bits": "8"}}}}"#, "bits: must be a positive integer"),
            (#"{"layers": {"*": {"weight": {"format": "int", "bits": 8, "granularity": "row"}}}}"#, "granularity must be tensor, channel or group:G"),
            (#"{"layers": {"*": {"weight": {"format": "int", "bits": 8, "granularity": "group:0"}}}}"#, "granularity must be"),
            (#"{"layers": {"*": {"weight": {"format": "int", "bits": 8, "clip": "some"}}}}"#, "must be search or max"),
            (#"{"layers": {"*": {"activation": {"format": "int", "bits": 8, "mode": "always"}}}}"#, "must be static or dynamic"),
            (#"{"layers": {"*": {"weight": {"format": "int", "bits": 8}, "method": "hqq"}}}"#, "must be one of rtn, gptq, awq, smoothquant"),
            (#"{"layers": {"*": {"method": "gptq"}}}"#, "method gptq needs a weight format"),
            (#"{"layers": {"*": {"weight": {"format": "int", "bits": 8}, "alpha": 0.5}}}"#, "only applies to method smoothquant"),
            (#"{"layers": {"*": {"weight": {"format": "int", "bits": 8}, "method": "smoothquant", "alpha": 2}}}"#, "in [0, 1]"),
            (#"{"layers": {"*": "int8"}}"#, "or the string \"float32\""),
            (#"{"layers": {"": "float32"}}"#, "the pattern is empty"),
        ]
        for (text, expected) in cases {
            let message = error(text)?.description ?? "no error"
            #expect(message.contains(expected), "\(text) → \(message)")
        }
    }

    @Test func unreadableFile_IsAQuantConfigError() {
        #expect(throws: QuantConfigError.self) { try QuantConfig(path: "/nonexistent/config.json") }
    }
}
