package io.pxj.http;

import java.nio.charset.StandardCharsets;

/** Reason phrases and pre-encoded status lines ({@code HTTP/1.1 200 OK\r\n}), so encoding a head never formats. */
public final class HttpStatus {
    private static final String[] REASONS = new String[600];
    private static final byte[][] LINES = new byte[600][];

    static {
        reason(100, "Continue");
        reason(101, "Switching Protocols");
        reason(200, "OK");
        reason(201, "Created");
        reason(202, "Accepted");
        reason(204, "No Content");
        reason(206, "Partial Content");
        reason(301, "Moved Permanently");
        reason(302, "Found");
        reason(303, "See Other");
        reason(304, "Not Modified");
        reason(307, "Temporary Redirect");
        reason(308, "Permanent Redirect");
        reason(400, "Bad Request");
        reason(401, "Unauthorized");
        reason(403, "Forbidden");
        reason(404, "Not Found");
        reason(405, "Method Not Allowed");
        reason(408, "Request Timeout");
        reason(409, "Conflict");
        reason(410, "Gone");
        reason(411, "Length Required");
        reason(412, "Precondition Failed");
        reason(413, "Content Too Large");
        reason(414, "URI Too Long");
        reason(415, "Unsupported Media Type");
        reason(416, "Range Not Satisfiable");
        reason(417, "Expectation Failed");
        reason(422, "Unprocessable Content");
        reason(429, "Too Many Requests");
        reason(431, "Request Header Fields Too Large");
        reason(500, "Internal Server Error");
        reason(501, "Not Implemented");
        reason(502, "Bad Gateway");
        reason(503, "Service Unavailable");
        reason(504, "Gateway Timeout");
        reason(505, "HTTP Version Not Supported");
        for (int s = 100; s < 600; s++) {
            String r = REASONS[s] == null ? "" : REASONS[s];
            LINES[s] = ("HTTP/1.1 " + s + " " + r + "\r\n").getBytes(StandardCharsets.US_ASCII);
        }
    }

    private HttpStatus() {}

    private static void reason(int status, String reason) {
        REASONS[status] = reason;
    }

    /** The reason phrase of {@code status}, or "" for an unregistered code. */
    public static String reason(int status) {
        check(status);
        String r = REASONS[status];
        return r == null ? "" : r;
    }

    /** {@code HTTP/1.1 <status> <reason>\r\n}; shared, do not modify. */
    static byte[] statusLine(int status) {
        check(status);
        return LINES[status];
    }

    static void check(int status) {
        if (status < 100 || status > 599) { throw new IllegalArgumentException("status must be 100..599: " + status); }
    }

    /** True for statuses that never carry a body (1xx, 204, 304). */
    static boolean bodyless(int status) {
        return status < 200 || status == 204 || status == 304;
    }
}
