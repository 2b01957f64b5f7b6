extension CNNClassifier {
    /// A set of images for this classifier: a safetensors file with `images` `[n, C, H, W]` (raw pixels, as
    /// `inputShape`) and, when present, `labels` `[n]`.
    public func imageSet(_ file: String) throws(ModelError) -> (images: Tensor, labels: [Int]?) {
        let weights = try ModelFiles.openWeights(file)
        guard let count = weights.entries.first(where: { $0.name == "images" })?.shape.first, count > 0 else {
            throw .invalidWeights(tensor: "images", reason: "\(file) has no images tensor [n, \(inputShape.map(String.init).joined(separator: ", "))]")
        }
        let images = try ModelFiles.tensor(weights, "images", shape: [count] + inputShape)
        guard weights.entries.contains(where: { $0.name == "labels" }) else { return (images, nil) }
        let labels = try ModelFiles.tensor(weights, "labels", shape: [count]).values.map { Int($0) }
        guard labels.allSatisfy({ $0 >= 0 && $0 < classCount }) else {
            throw .invalidWeights(tensor: "labels", reason: "labels must lie in 0..<\(classCount)")
        }
        return (images, labels)
    }

    /// The predicted class of every image of `images: [n, C, H, W]`.
    public func predictions(_ images: Tensor) -> [Int] {
        (0 ..< images.shape[0]).map { predict(images.rows($0 ..< $0 + 1).reshaped(inputShape)) }
    }
}
