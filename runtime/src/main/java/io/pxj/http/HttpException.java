package io.pxj.http;

/**
 * Thrown by a handler to answer with {@code status} and a short plain-text body. The connection stays open
 * (the request was framed correctly). Has no stack trace: it is control flow, not a bug report.
 */
public class HttpException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    public HttpException(int status) {
        this(status, HttpStatus.reason(status));
    }

    public HttpException(int status, String message) {
        super(message, null, false, false);
        HttpStatus.check(status);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
