package io.pxj.runtime.nio;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import io.pxj.runtime.spi.support.StripedCounter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One event loop: a thread, a {@link Poller} (the transport's selector or epoll), a task queue and a timer heap.
 *
 * <h2>Threading contract</h2>
 * The poller, the registered channels, the timer heap and {@link #channels} are confined to the loop thread.
 * {@link #execute} and {@link #schedule} are thread-safe. The wake-up handshake is Dekker-style on two volatiles:
 * the loop sets {@link #sleeping} and then checks the queue; a producer offers and then checks
 * {@link #sleeping}; at least one sees the other, so a task is never stranded while the loop blocks, and a busy
 * loop costs producers no {@code wakeup()} syscall. Nothing thrown by a task or a channel stops the loop.
 */
final class EventLoop implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(EventLoop.class);
    private static final int MAX_TASKS_PER_TURN = 1024;
    private static final int MAX_CLOSE_PASSES = 8;

    final NioBackend backend;
    final int index;
    final Poller poller;
    final Thread thread;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final PriorityQueue<Timed> timers = new PriorityQueue<>();
    private final AtomicInteger cancelledTimers = new AtomicInteger();
    private long timerSeq;
    private volatile boolean sleeping;
    private volatile boolean stopRequested;
    private boolean stopped;
    final Set<NioChannel> channels = Collections.newSetFromMap(new IdentityHashMap<>());
    final Set<NioListener> listeners = Collections.newSetFromMap(new IdentityHashMap<>());
    /** Connects in progress on this loop: abandoned (socket closed, handler told) when the loop stops. */
    final Set<PendingConnect> connects = Collections.newSetFromMap(new IdentityHashMap<>());
    final FirstReadProbe firstReadProbe = new FirstReadProbe();

    EventLoop(NioBackend backend, int index, String name) throws IOException {
        this.backend = backend;
        this.index = index;
        this.thread = new LoopThread(this, name);
        this.poller = backend.transport.newPoller(this);
    }

    /**
     * Marks this backend's threads (for {@code Backend.inPoolThread}); owns a {@link StripedCounter} slot, so the
     * per-request counters of the core and the HTTP server cost no CAS on the loop.
     */
    static final class LoopThread extends Thread implements StripedCounter.Owner {
        final EventLoop loop;
        private final int counterSlot = StripedCounter.claimSlot();

        LoopThread(EventLoop loop, String name) {
            super(loop, name);
            this.loop = loop;
            setDaemon(true);
        }

        @Override
        public int counterSlot() {
            return counterSlot;
        }

        @Override
        public void run() {
            try {
                super.run();
            } finally {
                StripedCounter.releaseSlot(counterSlot);
            }
        }
    }

    boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    void execute(Runnable task) {
        tasks.offer(task);
        if (sleeping && !inLoop()) { poller.wakeup(); }
    }

    Timed schedule(Runnable task, long delayNanos, long periodNanos) {
        Timed t = new Timed(this, task, System.nanoTime() + Math.max(0, delayNanos), Math.max(0, periodNanos), 0);
        if (inLoop()) {
            addTimer(t);
        } else {
            execute(() -> addTimer(t));
        }
        return t;
    }

    private void addTimer(Timed t) {
        if (t.cancelled) { return; }
        t.seq = ++timerSeq; // FIFO among equal deadlines; fixed while the node is in the heap
        timers.add(t);
    }

    void timerCancelled() {
        cancelledTimers.incrementAndGet();
    }

    void stop() {
        stopRequested = true;
        poller.wakeup();
    }

    @Override
    public void run() {
        try {
            while (!stopped) {
                try {
                    turn();
                } catch (Throwable t) {
                    LOG.error("{}: unexpected error in the event loop (continuing)", thread.getName(), t);
                }
            }
        } finally {
            closeEverything();
        }
    }

    private void turn() throws IOException {
        long timeoutMs = selectTimeoutMillis();
        int closable = poller.pendingCloses();
        sleeping = true;
        try {
            poller.poll(!tasks.isEmpty() || stopRequested || closable > 0 ? 0 : timeoutMs);
        } finally {
            sleeping = false;
            wakeStamped = false;
        }
        poller.afterPoll(closable);
        runTimers();
        runTasks();
        if (stopRequested && tasks.isEmpty()) { stopped = true; }
    }

    /** -1: block; 0: do not block; else ms until the next timer (rounded up so it is due when we wake). */
    private long selectTimeoutMillis() {
        purgeCancelledTimers();
        Timed t = timers.peek();
        if (t == null) { return -1; }
        long nanos = t.deadline - System.nanoTime();
        if (nanos <= 0) { return 0; }
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos + 999_999));
    }

    private void purgeCancelledTimers() {
        int c = cancelledTimers.get();
        if (c < 1024 || c < timers.size() / 2) { return; }
        cancelledTimers.set(0);
        ArrayList<Timed> live = new ArrayList<>(timers.size());
        for (Timed t : timers) { if (!t.cancelled) { live.add(t); } }
        timers.clear();
        timers.addAll(live);
    }

    private void runTimers() {
        long now = System.nanoTime();
        Timed t;
        while ((t = timers.peek()) != null && t.deadline - now <= 0) {
            timers.poll();
            if (t.cancelled) { continue; }
            safeRun(t.task);
            if (t.period > 0 && !t.cancelled) {
                long next = t.deadline + t.period;
                now = System.nanoTime();
                t.deadline = next - now < 0 ? now : next; // fixed rate, but no burst after a stall
                timers.add(t);
            }
        }
    }

    private void runTasks() {
        for (int i = 0; i < MAX_TASKS_PER_TURN; i++) {
            Runnable r = tasks.poll();
            if (r == null) { return; }
            safeRun(r);
        }
    }

    private void safeRun(Runnable r) {
        try {
            r.run();
        } catch (Throwable t) {
            LOG.error("{}: task failed (the loop continues)", thread.getName(), t);
        }
    }

    /**
     * System.nanoTime() of the current selector wake-up, read at its first ready key: one clock read per wake-up,
     * shared by every read it reports, so a request's time in server includes waiting behind the connections
     * served before it in the same turn. Loop thread only.
     */
    private long wakeNanos;
    private boolean wakeStamped;

    /** The current wake-up's clock inside the selector's key callbacks; a fresh reading elsewhere. Loop thread. */
    long readyNanos() {
        return wakeStamped ? wakeNanos : System.nanoTime();
    }

    /** Called by the poller before it reports each ready socket: stamps the wake-up's clock once. */
    void stampWake() {
        if (!wakeStamped) {
            wakeNanos = System.nanoTime();
            wakeStamped = true;
        }
    }

    /** A connect the transport started on this loop and has not finished. Loop thread only. */
    interface PendingConnect {
        /** The loop stops: close the socket and report {@code connectFailed} with {@code cause}. */
        void abandon(Exception cause);
    }

    /**
     * Loop thread, on stop: abort every channel (handlers hear closed()), abandon connects in progress (their
     * handlers hear connectFailed()), close listeners and the poller.
     */
    private void closeEverything() {
        // A task run here may start a connect, register a listener or open a channel after its set was closed:
        // repeat until a pass leaves nothing open (bounded, should a task keep starting new work).
        for (int pass = 0; pass < MAX_CLOSE_PASSES; pass++) {
            for (NioListener l : new ArrayList<>(listeners)) { l.closeNow(); }
            for (PendingConnect c : new ArrayList<>(connects)) {
                try {
                    c.abandon(new IOException("connect abandoned: the " + backend.name() + " backend is closing"));
                } catch (Throwable t) {
                    LOG.error("{}: error abandoning a connect", thread.getName(), t);
                }
            }
            connects.clear();
            for (NioChannel c : new ArrayList<>(channels)) {
                try {
                    c.abortNow();
                } catch (Throwable t) {
                    LOG.error("{}: error closing a channel", thread.getName(), t);
                }
            }
            Runnable r;
            while ((r = tasks.poll()) != null) { safeRun(r); } // e.g. last closes; tasks after this are dropped
            if (listeners.isEmpty() && connects.isEmpty() && channels.isEmpty()) { break; }
        }
        timers.clear();
        poller.close();
    }
}
