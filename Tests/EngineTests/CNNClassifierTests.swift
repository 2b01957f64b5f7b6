import JSON
import Engine
import Testing

@Suite struct CNNClassifierTests {
    /// The held-out digits: images [n, 1, 8, 8] (0–16), labels [n], and the training script's logits [n, 10].
    static func testSet() throws -> (images: Tensor, labels: Tensor, logits: Tensor) {
        let file = try SafetensorsFile(path: ModelFixtures.fixture("digits/test.safetensors"))
        return (try file.tensor(named: "images"), try file.tensor(named: "labels"), try file.tensor(named: "logits"))
    }

    @Test func digits_HeldOutAccuracyIsAtLeast97Percent() throws {
        let model = try CNNClassifier(directory: ModelFixtures.fixture("digits"))
        let (images, labels, reference) = try Self.testSet()
        let n = images.shape[0]
        #expect(n == 360)
        var correct = 0
        var largestDifference: Float = 0
        for i in 0 ..< n {
            let image = images.rows(i ..< i + 1).reshaped([1, 8, 8])
            let scores = model.logits(image)
            let expected = reference.rows(i ..< i + 1).values
            largestDifference = max(largestDifference, zip(scores, expected).map { abs($0 - $1) }.max()!)
            if model.predict(image) == Int(labels[i]) { correct += 1 }
        }
        let accuracy = Double(correct) / Double(n)
        print("digits CNN: Float32 held-out top-1 \(correct)/\(n) = \(accuracy), max |logit − JAX logit| \(largestDifference)")
        #expect(accuracy >= 0.97)
        #expect(largestDifference < 1e-3)
    }

    @Test func conv2D_MatchesDirectSumWithPaddingAndStride() {
        var rng = SplitMix64(seed: 31)
        let x = Tensor(shape: [2, 5, 4], values: TestSupport.randomValues(40, rng: &rng))
        let w = Tensor(shape: [3, 2, 3, 3], values: TestSupport.randomValues(54, rng: &rng))
        let conv = Conv2D(weight: w, bias: [0.5, -1, 2], stride: 2, padding: 1)
        let y = conv(x)
        #expect(y.shape == [3, 3, 2])
        for o in 0 ..< 3 {
            for oy in 0 ..< 3 {
                for ox in 0 ..< 2 {
                    var sum = Double(conv.bias[o])
                    for c in 0 ..< 2 {
                        for ky in 0 ..< 3 {
                            for kx in 0 ..< 3 {
                                let (iy, ix) = (oy * 2 - 1 + ky, ox * 2 - 1 + kx)
                                if iy >= 0 && iy < 5 && ix >= 0 && ix < 4 { sum += Double(w[o, c, ky, kx]) * Double(x[c, iy, ix]) }
                            }
                        }
                    }
                    #expect(abs(Double(y[o, oy, ox]) - sum) < 1e-5)
                }
            }
        }
    }

    @Test func batchNormFolding_EqualsConvThenNormalise() {
        var rng = SplitMix64(seed: 32)
        let x = Tensor(shape: [1, 4, 4], values: TestSupport.randomValues(16, rng: &rng))
        let conv = Conv2D(weight: Tensor(shape: [2, 1, 3, 3], values: TestSupport.randomValues(18, rng: &rng)),
                          bias: [0.1, 0.2], stride: 1, padding: 1)
        let norm = BatchNorm(gamma: [1.5, 0.5], beta: [0.25, -0.75], runningMean: [0.3, -0.2], runningVariance: [2, 0.5],
                             epsilon: 1e-5)
        let folded = conv.folding(norm)(x)
        let plain = conv(x)
        for c in 0 ..< 2 {
            for i in 0 ..< 16 {
                let expected = (plain[c, i / 4, i % 4] - norm.runningMean[c]) / (norm.runningVariance[c] + 1e-5).squareRoot()
                    * norm.gamma[c] + norm.beta[c]
                #expect(abs(folded[c, i / 4, i % 4] - expected) < 1e-5)
            }
        }
    }

    @Test func maxPool_TakesWindowMaxima() {
        let x = Tensor(shape: [1, 2, 4], values: [1, 5, 2, 0, 3, 4, 8, -1])
        #expect(MaxPool2D(kernel: 2, stride: 2)(x).values == [5, 8])
    }

    @Test func architecture_RejectsBatchNormWithoutConvolution() throws {
        let json = try JSONParser.parse("""
            {"input_shape": [1, 8, 8], "classes": 10, "layers": [{"op": "relu"}, {"op": "batchnorm", "name": "bn"}]}
            """)
        let weights = try SafetensorsFile(path: ModelFixtures.fixture("digits/weights.safetensors"))
        #expect(throws: ModelError.self) { try CNNClassifier(architecture: ConfigurationReader(json), weights: weights) }
    }
}
