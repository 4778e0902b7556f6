/// The OpenAPI 3.1 description of this API (`openapi.json` beside this file, embedded at
/// build time), served at `/openapi.json` and checked against the implementation by the
/// schemathesis run in the integration tests.
enum OpenAPIDocument {
    static let bytes: [UInt8] = PackageResources.openapi_json
}
