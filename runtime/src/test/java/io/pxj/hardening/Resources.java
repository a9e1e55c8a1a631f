package io.pxj.hardening;

import io.pxj.runtime.PxStats;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/** Process resource probes for leak checks. */
final class Resources {
    private Resources() {}

    /** Open file descriptors of this JVM (Linux: /proc/self/fd), or -1 where unknown. */
    static int openFds() {
        String[] fds = new File("/proc/self/fd").list();
        return fds == null ? -1 : fds.length;
    }

    static int liveThreads() {
        return Thread.activeCount();
    }

    /** Used heap after a couple of full GCs, in bytes. */
    static long heapAfterGc() throws InterruptedException {
        MemoryMXBean m = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return m.getHeapMemoryUsage().getUsed();
    }

    record Snapshot(int fds, int threads, long arena, long connections, long contexts) {
        static Snapshot of(PxStats s) {
            return new Snapshot(openFds(), liveThreads(), s.arenaBytesInUse(), s.connectionsActive(), s.contextsActive());
        }

        /** Within tolerance of {@code base}: a few fds/threads (JIT, GC, test threads), no arena or connections. */
        boolean near(Snapshot base) {
            return (fds < 0 || fds <= base.fds + 8) && threads <= base.threads + 4 && arena <= base.arena
                    && connections <= base.connections && contexts <= base.contexts;
        }
    }
}
