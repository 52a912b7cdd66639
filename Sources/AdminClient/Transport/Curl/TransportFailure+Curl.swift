internal import CCurl

extension TransportFailure {
    /// The failure a curl result code stands for; `detail` is curl's error buffer (it names the host and
    /// port, never a header) or its text for the code.
    init(curlCode: CURLcode, detail: String) {
        let code: Code
        switch curlCode {
        case CURLE_COULDNT_CONNECT: code = .connectionRefused
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: code = .hostNotFound
        case CURLE_OPERATION_TIMEDOUT: code = .timedOut
        case CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE, CURLE_HTTP2, CURLE_HTTP2_STREAM:
            code = .connectionLost
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
            CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH:
            code = .tls
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL: code = .invalidRequest
        case CURLE_BAD_CONTENT_ENCODING: code = .badContentEncoding
        default: code = .other
        }
        self.init(code: code, detail: detail)
    }
}
