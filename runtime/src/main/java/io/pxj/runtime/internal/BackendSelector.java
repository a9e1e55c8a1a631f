package io.pxj.runtime.internal;

import io.pxj.runtime.PxException;
import io.pxj.runtime.spi.BackendProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the backend provider: an explicit name (builder, else {@code -Dpxj.backend}) must exist and be
 * available; otherwise the available provider with the highest priority wins.
 *
 * <p>Threading: stateless.
 */
public final class BackendSelector {
    private static final Logger LOG = LoggerFactory.getLogger(BackendSelector.class);
    private static final AtomicBoolean FALLBACK_LOGGED = new AtomicBoolean();

    private BackendSelector() {}

    public static List<BackendProvider> discover(ClassLoader loader) {
        List<BackendProvider> out = new ArrayList<>();
        for (BackendProvider p : ServiceLoader.load(BackendProvider.class, loader)) { out.add(p); }
        return out;
    }

    /**
     * @param forced builder choice, or null
     * @throws PxException naming the backend and its unavailability cause, or listing the known backends
     */
    public static BackendProvider select(String forced, List<BackendProvider> providers) {
        String name = forced != null ? forced : System.getProperty("pxj.backend");
        if (name != null && !name.isBlank()) {
            String want = name.trim().toLowerCase(Locale.ROOT);
            for (BackendProvider p : providers) {
                if (p.name().equalsIgnoreCase(want)) {
                    if (!safeAvailable(p)) {
                        throw new PxException("backend '" + p.name() + "' was requested"
                                + (forced != null ? " (Px.builder().backend)" : " (-Dpxj.backend)")
                                + " but is not available here: " + p.unavailabilityCause());
                    }
                    return p;
                }
            }
            throw new PxException("backend '" + name + "' was requested but no such backend is installed; known: "
                    + names(providers));
        }
        BackendProvider best = null;
        for (BackendProvider p : providers) {
            if (safeAvailable(p) && (best == null || safePriority(p) > safePriority(best))) { best = p; }
        }
        if (best != null) { logFallback(providers, best); }
        if (best == null) {
            StringBuilder sb = new StringBuilder("no PxJ backend is available:");
            for (BackendProvider p : providers) {
                sb.append(' ').append(p.name()).append(" (").append(p.unavailabilityCause()).append(')');
            }
            if (providers.isEmpty()) {
                sb.append(" none installed (META-INF/services/io.pxj.runtime.spi.BackendProvider)");
            }
            throw new PxException(sb.toString());
        }
        return best;
    }

    /**
     * Says once per JVM which preferred backends were passed over and why (e.g. the Windows backend on a Windows
     * host whose native layer failed to load), so a silent fallback to nio is never a mystery.
     */
    private static void logFallback(List<BackendProvider> providers, BackendProvider chosen) {
        for (BackendProvider p : providers) {
            if (p != chosen && p.priority() > chosen.priority() && !safeAvailable(p)
                    && FALLBACK_LOGGED.compareAndSet(false, true)) {
                String cause = p.unavailabilityCause();
                if (System.getProperty("os.name", "").startsWith("Windows")) {
                    LOG.warn("PxJ backend '{}' is unavailable ({}); falling back to '{}'", p.name(), cause,
                            chosen.name());
                } else {
                    LOG.info("PxJ backend '{}' chosen; '{}' is unavailable here ({})", chosen.name(), p.name(), cause);
                }
            }
        }
    }

    private static boolean safeAvailable(BackendProvider p) {
        try {
            return p.isAvailable();
        } catch (Throwable t) {
            return false; // the contract says it must not throw; a broken provider is simply unavailable
        }
    }

    private static int safePriority(BackendProvider p) {
        try {
            return p.priority();
        } catch (Throwable t) {
            return Integer.MIN_VALUE; // a provider that cannot say its priority is chosen only if nothing else runs
        }
    }

    private static String names(List<BackendProvider> providers) {
        List<String> n = new ArrayList<>();
        for (BackendProvider p : providers) { n.add(p.name()); }
        return n.toString();
    }
}
