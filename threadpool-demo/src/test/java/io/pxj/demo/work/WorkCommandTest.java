package io.pxj.demo.work;

import io.pxj.runtime.ArenaBuffer;
import io.pxj.runtime.ContextEscapeException;
import io.pxj.runtime.ParallelContext;
import io.pxj.runtime.ParallelFunction;
import io.pxj.runtime.Px;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/**
 * The work command's use of submitWork, against a mocked runtime that queues submissions and delivers results
 * from runOnce, as the main loop would.
 */
class WorkCommandTest {
    final List<Runnable> mainQueue = new ArrayList<>();
    final ParallelContext ctx = mock(ParallelContext.class);
    final Px px = mock(Px.class);

    @SuppressWarnings("unchecked")
    WorkCommandTest() {
        when(px.submitWork(any(), any(), any())).thenAnswer(inv -> {
            ParallelFunction<Object> fn = inv.getArgument(0);
            Consumer<Object> callback = inv.getArgument(1);
            Consumer<Throwable> errback = inv.getArgument(2);
            mainQueue.add(() -> {
                try {
                    callback.accept(fn.apply(ctx));
                } catch (Exception e) {
                    errback.accept(e);
                }
            });
            return null;
        });
        when(px.runOnce(any())).thenAnswer(inv -> {
            List<Runnable> batch = new ArrayList<>(mainQueue);
            mainQueue.clear();
            batch.forEach(Runnable::run);
            return batch.size();
        });
    }

    @Test
    void chunkedCountAddsUpOnTheMainThread() {
        assertEquals(Primes.count(0, 50_000), WorkCommand.parallel(px, 50_000, 13));
    }

    @Test
    void escapeIsReportedAsCaught() {
        ArenaBuffer buf = mock(ArenaBuffer.class);
        when(ctx.allocate(anyInt())).thenReturn(buf);
        when(buf.putAscii(any())).thenReturn(buf);
        when(buf.putDecimal(org.mockito.ArgumentMatchers.anyLong())).thenReturn(buf);
        when(buf.toString(StandardCharsets.US_ASCII))
                .thenThrow(new ContextEscapeException("arena buffer of context 7 used after rollback"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WorkCommand.escapeDemo(px, new PrintStream(out, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("caught as expected: ContextEscapeException: arena buffer of context 7 used after rollback"), text);
    }

    @Test
    void escapeNotCaughtSaysChecksAreOff() {
        ArenaBuffer buf = mock(ArenaBuffer.class);
        when(ctx.allocate(anyInt())).thenReturn(buf);
        when(buf.putAscii(any())).thenReturn(buf);
        when(buf.putDecimal(org.mockito.ArgumentMatchers.anyLong())).thenReturn(buf);
        when(buf.toString(StandardCharsets.US_ASCII)).thenReturn("stale");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WorkCommand.escapeDemo(px, new PrintStream(out, true, StandardCharsets.UTF_8));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("NOT caught"), out.toString(StandardCharsets.UTF_8));
    }
}
