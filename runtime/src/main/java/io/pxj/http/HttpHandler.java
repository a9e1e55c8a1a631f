package io.pxj.http;

/**
 * Handles requests for a route. The return value is the response (PyParallel's rule):
 * <ul>
 *   <li>{@code byte[]} or {@link java.nio.ByteBuffer}: 200, {@code text/plain} (sent from the array without a
 *       copy when large: do not modify it afterwards);</li>
 *   <li>{@link CharSequence}: 200, {@code text/html; charset=utf-8};</li>
 *   <li>the {@link HttpResponse} passed in, or a {@link FixedResponse}: sent as is;</li>
 *   <li>{@code null}: the {@code response} argument if the handler set anything on it, else 204;</li>
 *   <li>anything else (Map, Iterable, arrays, records, numbers, booleans, enums, Optional): 200,
 *       {@code application/json} via {@link JsonWriter}.</li>
 * </ul>
 * Throw {@link HttpException} for a specific error status; any other exception becomes a 500 (and closes the
 * connection, since the handler's state is unknown). HEAD requests run the GET handler; the server drops the
 * body and keeps its Content-Length.
 *
 * <h2>Threading and lifetime</h2>
 * One handler instance serves every connection, so it is called concurrently from many pool threads and must
 * be thread-safe (ideally stateless). It runs inside a connection's parallel context: it must not block for
 * long, must not keep the request, the response, or any buffer view they return beyond the call ("don't
 * persist parallel objects"), and shares state only through published, effectively immutable data or the
 * runtime's {@code Protected} containers.
 */
@FunctionalInterface
public interface HttpHandler {
    Object handle(HttpRequest request, HttpResponse response) throws Exception;
}
