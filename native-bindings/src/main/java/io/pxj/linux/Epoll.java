package io.pxj.linux;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;
import io.pxj.linux.raw.LibC;
import io.pxj.linux.raw.LinuxConstants;
import io.pxj.linux.raw.Syscalls;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One epoll instance, its array of ready events and an eventfd that {@link #wakeup()} writes to, so another thread
 * can end a blocking {@link #await}. Level-triggered, like the JDK's selector: a registration stays until
 * {@link #remove} or the descriptor's close.
 *
 * <p>Each registration carries a 64-bit {@code data} the caller chooses (a registry token, never an object's
 * identity); {@link #data(int)} gives it back for each ready event. The value {@link #WAKEUP_DATA} is reserved.
 *
 * <p>Threading: {@link #wakeup()} is thread-safe; everything else belongs to the one thread that waits (the event
 * array is reused by every {@link #await}), and {@link #close()} runs once that thread no longer waits.
 */
public final class Epoll implements AutoCloseable {
    /** The data of the internal wake-up registration; callers never see it in {@link #data(int)}. */
    public static final long WAKEUP_DATA = -1L;
    public static final int IN = LinuxConstants.EPOLLIN, OUT = LinuxConstants.EPOLLOUT,
            ERR = LinuxConstants.EPOLLERR, HUP = LinuxConstants.EPOLLHUP, RDHUP = LinuxConstants.EPOLLRDHUP;

    /** sizeof(struct epoll_event): packed on x86-64, padded to 8-byte alignment elsewhere. */
    static final int EVENT_SIZE = Platform.isIntel() ? 12 : 16;
    static final int DATA_OFFSET = Platform.isIntel() ? 4 : 8;

    private final int epfd;
    private final int eventFd;
    private final int capacity;
    private final Memory events;
    private final ByteBuffer view;
    private final long eventsAddress;
    private final Memory ctl = new Memory(16);
    private final long ctlAddress = Pointer.nativeValue(ctl);
    private final Memory counter = new Memory(8);
    private final Memory one = new Memory(8); // never freed early: see wakeup()
    private boolean closed; // guarded by this
    private int ready;

    private Epoll(int epfd, int eventFd, int capacity) {
        this.epfd = epfd;
        this.eventFd = eventFd;
        this.capacity = capacity;
        this.events = new Memory((long) capacity * EVENT_SIZE);
        this.view = events.getByteBuffer(0, events.size()).order(ByteOrder.nativeOrder());
        this.eventsAddress = Pointer.nativeValue(events);
        one.setLong(0, 1);
    }

    /**
     * Creates an epoll instance reporting at most {@code maxEvents} events per {@link #await}.
     *
     * @throws IllegalArgumentException if {@code maxEvents} is not in 1..65536
     * @throws LinuxException naming {@code epoll_create1}, {@code eventfd} or {@code epoll_ctl}
     */
    public static Epoll open(int maxEvents) throws LinuxException {
        if (maxEvents < 1 || maxEvents > 65536) {
            throw new IllegalArgumentException("maxEvents must be 1..65536: " + maxEvents);
        }
        Linux.ensureAvailable();
        int ep = LibC.epoll_create1(LinuxConstants.EPOLL_CLOEXEC);
        if (ep < 0) {
            throw new LinuxException("epoll_create1", Native.getLastError());
        }
        int efd = LibC.eventfd(0, LinuxConstants.EFD_NONBLOCK | LinuxConstants.EFD_CLOEXEC);
        if (efd < 0) {
            int errno = Native.getLastError();
            LibC.close(ep);
            throw new LinuxException("eventfd", errno);
        }
        Epoll e = new Epoll(ep, efd, maxEvents);
        try {
            e.add(efd, IN, WAKEUP_DATA);
        } catch (LinuxException ex) {
            e.close();
            throw ex;
        }
        return e;
    }

    /** The epoll descriptor (for diagnostics). */
    public int fd() {
        return epfd;
    }

    /** Registers {@code fd} for {@code events} ({@link #IN}, {@link #OUT}, ...) with the caller's token. */
    public void add(int fd, int events, long data) throws LinuxException {
        control(LinuxConstants.EPOLL_CTL_ADD, "epoll_ctl(EPOLL_CTL_ADD)", fd, events, data);
    }

    /** Changes the events (and token) of a registered {@code fd}. */
    public void modify(int fd, int events, long data) throws LinuxException {
        control(LinuxConstants.EPOLL_CTL_MOD, "epoll_ctl(EPOLL_CTL_MOD)", fd, events, data);
    }

    /** Removes {@code fd}; closing a descriptor removes it too, without this call. */
    public void remove(int fd) throws LinuxException {
        int r = Syscalls.epoll_ctl(epfd, LinuxConstants.EPOLL_CTL_DEL, fd, ctlAddress);
        if (r < 0) {
            throw new LinuxException("epoll_ctl(EPOLL_CTL_DEL)", -r);
        }
    }

    private void control(int op, String call, int fd, int events, long data) throws LinuxException {
        ctl.setInt(0, events);
        ctl.setLong(DATA_OFFSET, data);
        int r = Syscalls.epoll_ctl(epfd, op, fd, ctlAddress);
        if (r < 0) {
            throw new LinuxException(call, -r);
        }
    }

    /**
     * Waits for events: {@code timeoutMillis} -1 blocks, 0 polls. A {@link #wakeup()} ends the wait; the wake-up
     * itself is consumed here and not reported. An interrupted wait (EINTR) reports nothing.
     *
     * @return how many events {@link #events(int)} and {@link #data(int)} now describe
     */
    public int await(int timeoutMillis) throws LinuxException {
        int n = Syscalls.epoll_wait(epfd, eventsAddress, capacity, timeoutMillis);
        if (n < 0) {
            int errno = -n;
            if (errno == LinuxConstants.EINTR) {
                ready = 0;
                return 0;
            }
            throw new LinuxException("epoll_wait", errno);
        }
        for (int i = 0; i < n; i++) {
            if (data(i) == WAKEUP_DATA) {
                // Resets the counter (EAGAIN if it was read already: harmless).
                Syscalls.read(eventFd, Pointer.nativeValue(counter), 8);
                int last = (n - 1) * EVENT_SIZE;
                view.putInt(i * EVENT_SIZE, view.getInt(last));
                view.putLong(i * EVENT_SIZE + DATA_OFFSET, view.getLong(last + DATA_OFFSET));
                n--;
                break;
            }
        }
        ready = n;
        return n;
    }

    /** The ready events ({@link #IN}, {@link #OUT}, {@link #ERR}, {@link #HUP}...) of entry {@code i}. */
    public int events(int i) {
        checkIndex(i);
        return view.getInt(i * EVENT_SIZE);
    }

    /** The token registered with entry {@code i}'s descriptor. */
    public long data(int i) {
        checkIndex(i);
        return view.getLong(i * EVENT_SIZE + DATA_OFFSET);
    }

    private void checkIndex(int i) {
        if (i < 0 || i >= capacity) {
            throw new IndexOutOfBoundsException("event " + i + " of " + capacity);
        }
    }

    /** Ends a blocking {@link #await} now or the next one at once. Thread-safe; one {@code write(2)}. */
    public void wakeup() {
        // Under the lock so that a concurrent close() cannot free the descriptor number in between: writing to a
        // reused number would corrupt an unrelated file.
        synchronized (this) {
            if (!closed) {
                Syscalls.write(eventFd, Pointer.nativeValue(one), 8); // EAGAIN only if a wake-up is already pending
            }
        }
    }

    /** Closes the eventfd and the epoll descriptor (which drops every registration). Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            LibC.close(eventFd);
            LibC.close(epfd);
        }
        // The waiting thread's memory: callers close only once that thread has stopped waiting.
        events.close();
        ctl.close();
        counter.close();
    }
}
