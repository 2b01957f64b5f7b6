public import JSON

/// Malformed JSON in a request body is the client's mistake: 400 INVALID_PARAMETER_VALUE.
extension JSONParseError: HTTPResponseError {
    public var status: HTTPStatus { .badRequest }
    public var errorCode: String { APIError.Code.invalidParameterValue.rawValue }
    public var publicMessage: String { description }
}
