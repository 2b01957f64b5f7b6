import JSON
/// The `mlflow-artifacts` proxy service (MLFLOW_API.md §5.3): raw uploads, downloads, listings and deletes
/// under the artifact root, at `/api/2.0/mlflow-artifacts/…` and its `/ajax-api` mirror.
public enum ArtifactRoutes {
    public static func register(on router: inout Router, root: ArtifactRoot) {
        for base in ["/api/2.0/mlflow-artifacts", "/ajax-api/2.0/mlflow-artifacts"] {
            // Uploads stream to disk: an artifact of many GiB never sits in memory.
            router.add(.PUT, base + "/artifacts/*path", options: .streamingBody) { request in
                let segments = try ArtifactRoot.segments(of: request.pathParameters["path"] ?? "")
                _ = try root.write(segments, from: request.bodyStream!)
                return .json(bytes: Array("{}".utf8))
            }
            router.get(base + "/artifacts/*path") { request in
                let rest = request.pathParameters["path"] ?? ""
                if rest.isEmpty { return try listing(root, request.query["path"] ?? "") }
                let segments = try ArtifactRoot.segments(of: rest)
                let file = try root.openFile(segments)
                let name = segments.last ?? ""
                var headers = HTTPHeaders()
                headers.add("Content-Type", contentType(forFileNamed: name))
                headers.add("Content-Disposition", "attachment; filename=\"\(name.quotedFilenameSafe())\"")
                return HTTPResponse(headers: headers, body: .file(file))
            }
            router.add(.DELETE, base + "/artifacts/*path") { request in
                try root.delete(try ArtifactRoot.segments(of: request.pathParameters["path"] ?? ""))
                return .json(bytes: Array("{}".utf8))
            }
            // No presigned multipart: the client falls back to one streamed PUT on this exact answer (§5.3).
            for action in ["create", "complete", "abort"] {
                router.post(base + "/mpu/\(action)/*path") { _ in
                    throw APIError(.unsupported, "Multipart upload is not supported by this server; use a single PUT")
                }
            }
        }
    }

    /// `{"files":[{"path": basename, "is_dir": …, "file_size": …}]}`; `{}` when empty (MLFLOW_API.md §5.3).
    private static func listing(_ root: ArtifactRoot, _ path: String) throws -> HTTPResponse {
        let entries = try root.list(try ArtifactRoot.segments(of: path))
        guard !entries.isEmpty else { return .json(bytes: Array("{}".utf8)) }
        let files: [JSONValue] = entries.map { entry in
            var object: JSONObject = ["path": .string(entry.name), "is_dir": .bool(entry.isDirectory)]
            if let size = entry.size { object.append("file_size", .int(size)) }
            return .object(object)
        }
        return .json(["files": .array(files)])
    }

    static func contentType(forFileNamed name: String) -> String {
        let lower = name.lowercased()
        let suffix = lower.split(separator: ".").last.map(String.init) ?? ""
        switch suffix {
        case "txt", "log", "yaml", "yml", "py", "md": return "text/plain; charset=utf-8"
        case "json": return "application/json"
        case "csv": return "text/csv"
        case "html", "htm": return "text/html"
        case "svg": return "image/svg+xml"
        case "png": return "image/png"
        case "jpg", "jpeg": return "image/jpeg"
        case "gif": return "image/gif"
        default: return lower == "mlmodel" ? "text/plain; charset=utf-8" : "application/octet-stream"
        }
    }
}

extension String {
    /// The name as a quoted-string `filename` (RFC 6266 §4.1): printable ASCII only, `"` and `\` replaced too, so
    /// that no name (one with a CR LF in it, say) can end the header or the quoted string.
    fileprivate func quotedFilenameSafe() -> String {
        String(String.UnicodeScalarView(unicodeScalars.map { scalar in
            scalar.value >= 0x20 && scalar.value < 0x7F && scalar != "\"" && scalar != "\\" ? scalar : "_"
        }))
    }
}
