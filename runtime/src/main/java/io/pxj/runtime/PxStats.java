package io.pxj.runtime;

import java.util.Map;

/**
 * One consistent-enough snapshot of the runtime's counters ({@link Px#stats()}); every field is a plain
 * number so it can be rendered as JSON directly.
 *
 * @param backend            the backend's name ("windows", "epoll", "nio")
 * @param threads            pool / event-loop threads currently alive
 * @param contextsActive     contexts currently in use (connections + running callbacks)
 * @param contextsCreated    contexts ever created
 * @param contextsRecycled   times a context was reused from the free list
 * @param arenaBytesInUse    arena bytes handed out and not yet rolled back, all contexts
 * @param arenaBytesReserved native/direct memory held by arenas (in use + cached chunks)
 * @param arenaBytesHighWater the highest arenaBytesInUse seen
 * @param connectionsActive  open connections (server and client)
 * @param connectionsTotal   connections ever opened
 * @param connectionsRefused connections refused by a limit
 * @param bytesIn            bytes received, all connections
 * @param bytesOut           bytes sent, all connections
 * @param callbacksRun       parallel callbacks run (protocol events, work, timer ticks, waits)
 * @param errors             exceptions caught from callbacks and I/O
 * @param workSubmitted      submitWork calls
 * @param workCompleted      submitWork functions finished (successfully or not)
 * @param timersActive       timers not cancelled
 * @param mainQueueDepth     main-thread calls waiting to run
 * @param directBytesInUse   direct memory PxJ holds for work now: arena chunks in contexts, receive and staging
 *                           buffers lent to connections, the backend's per-operation blocks, io.pxj.http's
 *                           static-file cache; compared with {@code memorySoftLimit} by
 *                           {@link Px#underMemoryPressure()}
 * @param directBytesReserved all direct memory PxJ holds: in use plus chunks and buffers cached for reuse
 * @param memorySoftLimit    the soft limit ({@code Px.Builder.memorySoftLimit})
 * @param backendCounters    backend-specific counters (e.g. accepts posted, sockets reused)
 */
public record PxStats(
        String backend,
        int threads,
        long contextsActive,
        long contextsCreated,
        long contextsRecycled,
        long arenaBytesInUse,
        long arenaBytesReserved,
        long arenaBytesHighWater,
        long connectionsActive,
        long connectionsTotal,
        long connectionsRefused,
        long bytesIn,
        long bytesOut,
        long callbacksRun,
        long errors,
        long workSubmitted,
        long workCompleted,
        long timersActive,
        long mainQueueDepth,
        long directBytesInUse,
        long directBytesReserved,
        long memorySoftLimit,
        Map<String, Long> backendCounters) {
}
