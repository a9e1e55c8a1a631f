package io.pxj.http;

import java.nio.charset.StandardCharsets;

/**
 * The TechEmpower Framework Benchmarks' plaintext and JSON endpoints as ready-made handlers.
 *
 * <pre>{@code
 * HttpServer.builder().route("/plaintext", TechEmpower.plaintext()).route("/json", TechEmpower.json())
 * }</pre>
 */
public final class TechEmpower {
    /** {@code Hello, World!} as {@code text/plain}: pre-encoded; only the Date is spliced in per request. */
    public static final FixedResponse PLAINTEXT =
            FixedResponse.of(200, "text/plain", "Hello, World!".getBytes(StandardCharsets.US_ASCII));

    /** The JSON test's message object; one is made and serialised per request, as the benchmark rules ask. */
    public record Message(String message) {}

    private TechEmpower() {}

    /** Answers {@link #PLAINTEXT}; allocation-free in steady state. */
    public static HttpHandler plaintext() {
        return (req, res) -> PLAINTEXT;
    }

    /** Answers {@code {"message":"Hello, World!"}} as {@code application/json}. */
    public static HttpHandler json() {
        return (req, res) -> new Message("Hello, World!");
    }
}
