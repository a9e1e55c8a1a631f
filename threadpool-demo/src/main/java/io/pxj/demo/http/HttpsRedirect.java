package io.pxj.demo.http;

import io.pxj.http.HttpMethod;
import io.pxj.http.HttpRequest;
import io.pxj.http.HttpResponse;
import io.pxj.http.HttpServer;

/**
 * {@code --redirect-http}: a plain HTTP server whose every answer is {@code 301 Moved Permanently} to the same
 * path on the HTTPS port, with the host the client asked for.
 *
 * <p>Threading: the handler is stateless and runs on any connection's thread.
 */
final class HttpsRedirect {
    private HttpsRedirect() {}

    /** A server redirecting to {@code https://HOST:httpsPort/PATH}. */
    static HttpServer server(int httpsPort) {
        return HttpServer.builder().prefix("/", (req, res) -> redirect(req, res, httpsPort), HttpMethod.values())
                .build();
    }

    static HttpResponse redirect(HttpRequest req, HttpResponse res, int httpsPort) {
        return res.redirect(301, location(req.header("Host"), req.rawTarget(), httpsPort));
    }

    /** The https URL for {@code target} on {@code host} (its port replaced by the HTTPS port). */
    static String location(String host, String target, int httpsPort) {
        String h = host == null || host.isBlank() ? "localhost" : host.trim();
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            h = end > 0 ? h.substring(0, end + 1) : "localhost";
        } else if (h.indexOf(':') >= 0) {
            h = h.substring(0, h.indexOf(':'));
        }
        if (!h.matches("[A-Za-z0-9.\\-\\[\\]:]+")) {
            h = "localhost"; // never reflect a malformed Host into a Location header
        }
        String path = target != null && target.startsWith("/") ? target : "/";
        return "https://" + h + (httpsPort == 443 ? "" : ":" + httpsPort) + path;
    }
}
