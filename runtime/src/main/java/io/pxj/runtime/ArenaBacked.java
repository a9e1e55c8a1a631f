package io.pxj.runtime;

/**
 * Marks an object whose memory belongs to a parallel context's arena. Such objects must not outlive the
 * callback that allocated them: storing one into a {@link Protected} container throws
 * {@link PersistenceException}, and using one after its context rolled back throws
 * {@link ContextEscapeException}.
 */
public interface ArenaBacked {
    /** The context generation this object was allocated in. */
    long generation();

    /** True while the allocating context has not rolled back since the allocation. */
    boolean isValid();
}
