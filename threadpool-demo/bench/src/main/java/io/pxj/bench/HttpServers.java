package io.pxj.bench;

/** The io.pxj.http side of {@link AllocBench}; filled in once io.pxj.http is merged. */
final class HttpServers {
    private HttpServers() {}

    static void measurePlaintext(int requests, int warmup, int connections, String prefix,
                                 com.sun.management.ThreadMXBean mx) {
        System.out.println("alloc http-plaintext: not measured (io.pxj.http not on this branch yet)");
    }
}
