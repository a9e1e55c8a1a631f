package io.pxj.bench.jmh;

import io.pxj.bench.jmh.ArenaBench.StubHost;
import io.pxj.http.HttpBenchAccess;
import io.pxj.runtime.ArenaBuffer;
import io.pxj.runtime.internal.AddressRegistry;
import io.pxj.runtime.internal.ArenaPool;
import io.pxj.runtime.internal.ContextImpl;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * io.pxj.http's hot paths without I/O: parsing request heads in place (a wrk-like GET, and a browser-like GET
 * with 10 headers) and encoding responses into an arena (TechEmpower plaintext; a generic head), then rolling the
 * arena back as the server does after each send.
 *
 * <pre>java -jar pxj-bench.jar jmh HttpCodecBench</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HttpCodecBench {
    static final byte[] WRK_GET
            = "GET /plaintext HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    static final byte[] BROWSER_GET = ("GET /static/app.js?v=42 HTTP/1.1\r\n"
            + "Host: localhost:8080\r\n"
            + "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\r\n"
            + "Accept: */*\r\n"
            + "Accept-Language: en-US,en;q=0.5\r\n"
            + "Accept-Encoding: gzip, deflate, br, zstd\r\n"
            + "Referer: http://localhost:8080/\r\n"
            + "Connection: keep-alive\r\n"
            + "Sec-Fetch-Dest: script\r\n"
            + "Sec-Fetch-Mode: no-cors\r\n"
            + "If-None-Match: \"5f3e-1a2b3c\"\r\n"
            + "\r\n").getBytes(StandardCharsets.US_ASCII);

    private final HttpBenchAccess http = new HttpBenchAccess();
    private ByteBuffer wrk;
    private ByteBuffer browser;
    private ByteBuffer pipelined;
    private ArenaPool pool;
    private ContextImpl ctx;

    @Setup(Level.Trial)
    public void setup() {
        wrk = direct(WRK_GET);
        browser = direct(BROWSER_GET);
        byte[] sixteen = new byte[WRK_GET.length * 16];
        for (int i = 0; i < 16; i++) { System.arraycopy(WRK_GET, 0, sixteen, i * WRK_GET.length, WRK_GET.length); }
        pipelined = direct(sixteen);
        pool = new ArenaPool(ArenaPool.DEFAULT_CHUNK_SIZE, 16L << 20, true, 64, AddressRegistry.GLOBAL);
        ctx = new ContextImpl(1, new StubHost(), pool);
        ctx.enter();
        if (http.parse(wrk, 0, wrk.limit()) != WRK_GET.length) {
            throw new IllegalStateException("wrk GET did not parse");
        }
        if (http.parse(browser, 0, browser.limit()) != BROWSER_GET.length) {
            throw new IllegalStateException("browser GET did not parse");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        ctx.releaseAll();
        ctx.exit();
        pool.close();
    }

    private static ByteBuffer direct(byte[] b) {
        return ByteBuffer.allocateDirect(b.length).put(b).flip();
    }

    @Benchmark
    public Object parseWrkGet() {
        http.parse(wrk, 0, wrk.limit());
        return http.request().path();
    }

    @Benchmark
    public Object parseBrowserGet() {
        http.parse(browser, 0, browser.limit());
        return http.request().path();
    }

    /** 16 pipelined requests in one buffer (per request: divide by 16). */
    @Benchmark
    public int parsePipelined16(Blackhole bh) {
        int pos = 0;
        int n = 0;
        while (pos < pipelined.limit()) {
            pos = http.parse(pipelined, pos, pipelined.limit());
            bh.consume(http.request().path());
            n++;
        }
        return n;
    }

    @Benchmark
    public int encodePlaintext() {
        ArenaBuffer out = ctx.allocate(HttpBenchAccess.plaintextLength());
        http.encodePlaintext(out);
        int n = out.length();
        ctx.rollback();
        return n;
    }

    @Benchmark
    public int encodeHead() {
        ArenaBuffer out = ctx.allocate(HttpBenchAccess.headLength("application/json"));
        http.encodeHead(out, "application/json", 27);
        int n = out.length();
        ctx.rollback();
        return n;
    }
}
