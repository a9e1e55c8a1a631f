package io.pxj.demo.work;

import io.pxj.demo.Cli;
import io.pxj.demo.CommandFailedException;
import io.pxj.demo.Lifecycle;
import io.pxj.runtime.ArenaBuffer;
import io.pxj.runtime.ContextEscapeException;
import io.pxj.runtime.Px;
import io.pxj.runtime.PxException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.Callable;

/**
 * {@code work}: counts primes below N on one thread, then in chunks with {@code px.submitWork} (each chunk in its
 * own parallel context; results delivered to the main thread, so the total needs no lock), prints the speed-up,
 * then breaks the "don't persist parallel objects" rule on purpose and shows the runtime catching it.
 */
@Command(name = "work", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        usageHelpWidth = 100,
        versionProvider = io.pxj.demo.Version.class,
        header = "Parallel compute with px.submitWork: speed-up over one thread, and the isolation rules.",
        description = {"Counts the primes below --items on one thread, then in chunks with px.submitWork (each in its"
                + " own parallel context), and prints the speed-up; then keeps an ArenaBuffer past its callback on"
                + " purpose and shows the runtime catching the escape."},
        footer = {"", "Example: java -jar threadpool-demo.jar work --items 5000000 --threads 4"})
public final class WorkCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-n", "--items"}, paramLabel = "N", defaultValue = "3000000",
            description = "Count the primes below N (default: ${DEFAULT-VALUE}).")
    long items;

    @Option(names = {"-t", "--threads"}, paramLabel = "T",
            description = "Pool threads (default: available processors).")
    Integer threads;

    @Option(names = "--chunks", paramLabel = "C", description = "Work items to split into (default: 8 per thread).")
    Integer chunks;

    @Override
    public Integer call() throws Exception {
        Cli.check(spec, items >= 1 && items <= 1_000_000_000L, "--items must be 1..1,000,000,000: " + items);
        Cli.check(spec, threads == null || (threads >= 1 && threads <= 1024), "--threads must be 1..1024: " + threads);
        Cli.check(spec, chunks == null || (chunks >= 1 && chunks <= 100_000), "--chunks must be 1..100,000: " + chunks);
        int t = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        int c = chunks != null ? chunks : t * 8;
        PrintStream out = System.out;

        Px px = Px.builder().threads(t).build();
        try {
            out.printf("PxJ work: counting the primes below %s in %d chunks (backend %s, %d threads, %d cores)%n",
                    Cli.grouped(items), c, px.backendName(), t, Runtime.getRuntime().availableProcessors());
            // Warm both paths up so the JIT does not favour the second measurement.
            Primes.count(0, Math.min(items, 200_000));
            parallel(px, Math.min(items, 200_000), c);

            long t0 = System.nanoTime();
            long single = Primes.count(0, items);
            long singleNanos = System.nanoTime() - t0;
            out.printf("  one thread (main)          : %s primes in %,8.1f ms%n", Cli.grouped(single),
                    singleNanos / 1e6);

            t0 = System.nanoTime();
            long par = parallel(px, items, c);
            long parNanos = System.nanoTime() - t0;
            out.printf("  px.submitWork, %2d threads  : %s primes in %,8.1f ms%n", t, Cli.grouped(par), parNanos / 1e6);
            if (par != single) {
                throw new CommandFailedException("parallel count " + par + " != single-thread count " + single);
            }
            out.printf("  speed-up: %.2fx on %d cores (results agree)%n", (double) singleNanos / parNanos,
                    Runtime.getRuntime().availableProcessors());
            out.println();
            escapeDemo(px, out);
        } finally {
            px.close(Lifecycle.CLOSE_TIMEOUT);
        }
        return 0;
    }

    /** Counts primes below {@code items} in {@code chunks} submitted work items; runs the main loop meanwhile. */
    static long parallel(Px px, long items, int chunks) {
        long[] bounds = Primes.bounds(items, chunks);
        long[] total = {0};               // touched only on the main thread, by the callbacks
        int[] remaining = {chunks};
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int i = 0; i < chunks; i++) {
            long lo = bounds[i], hi = bounds[i + 1];
            px.submitWork(ctx -> Primes.count(lo, hi),
                    n -> { total[0] += n; remaining[0]--; },
                    e -> { failure.compareAndSet(null, e); remaining[0]--; });
        }
        while (remaining[0] > 0) { px.runOnce(Duration.ofMillis(100)); }
        if (failure.get() != null) { throw new CommandFailedException("a work item failed", failure.get()); }
        return total[0];
    }

    /**
     * Breaks the rule on purpose: a work function keeps a reference to an arena buffer beyond its callback
     * (through an AtomicReference, which the runtime cannot see), and the main thread then reads it.
     */
    static void escapeDemo(Px px, PrintStream out) {
        out.println("Escape demo: a work item keeps an ArenaBuffer past its callback; the main thread then reads it.");
        AtomicReference<ArenaBuffer> leaked = new AtomicReference<>();
        boolean[] done = {false};
        Throwable[] failed = {null};
        px.submitWork(ctx -> {
            ArenaBuffer buf = ctx.allocate(64);
            buf.putAscii("allocated in parallel context ").putDecimal(ctx.id());
            leaked.set(buf); // the violation: the buffer outlives the callback
            return buf.length();
        }, n -> done[0] = true, e -> { failed[0] = e; done[0] = true; });
        while (!done[0]) { px.runOnce(Duration.ofMillis(100)); }
        if (failed[0] != null) {
            out.println("  the work item itself failed: " + failed[0]);
            return;
        }
        try {
            String s = leaked.get().toString(StandardCharsets.US_ASCII);
            out.println("  NOT caught: read \"" + s
                    + "\" after the rollback; escape checks are off (-Dpxj.checks=false)");
        } catch (ContextEscapeException e) {
            out.println("  caught as expected: ContextEscapeException: " + e.getMessage());
        } catch (PxException e) {
            out.println("  caught as expected: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
