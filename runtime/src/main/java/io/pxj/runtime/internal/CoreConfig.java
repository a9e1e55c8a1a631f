package io.pxj.runtime.internal;

import java.time.Duration;

/**
 * Validated runtime settings handed from {@code Px.Builder} to the core. Immutable: safe to share.
 *
 * @param backendName null = {@code -Dpxj.backend} or the best available
 */
public record CoreConfig(int threads, int maxThreads, String backendName, boolean checks, long arenaLimitPerContext,
                         long memorySoftLimit, Duration shutdownTimeout, int acceptsPerListener) {
}
