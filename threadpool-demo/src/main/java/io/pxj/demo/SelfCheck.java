package io.pxj.demo;

import io.pxj.demo.integration.HttpIntegration;
import io.pxj.demo.integration.IntegrationPendingException;
import io.pxj.demo.integration.Runtimes;
import io.pxj.demo.integration.ServicesIntegration;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code --self-check}: one line per part of PxJ the demo needs, {@code <name>: ok} or
 * {@code <name>: missing - <reason>}. The end-to-end tests parse these lines to skip what cannot run yet.
 */
final class SelfCheck {
    static final String CORE = "runtime-core";
    static final String HTTP = "io.pxj.http";
    static final String SERVICES = "io.pxj.services";

    private SelfCheck() {}

    static Map<String, Optional<String>> check() {
        Map<String, Optional<String>> m = new LinkedHashMap<>();
        m.put(CORE, Runtimes.missingReason());
        m.put(HTTP, HttpIntegration.missingReason());
        m.put(SERVICES, ServicesIntegration.missingReason());
        return m;
    }

    static int run(PrintWriter out) {
        out.println("PxJ threadpool-demo " + Main.Version.version() + " self-check");
        boolean all = true;
        for (Map.Entry<String, Optional<String>> e : check().entrySet()) {
            all &= e.getValue().isEmpty();
            out.println(e.getKey() + ": " + e.getValue().map(r -> "missing - " + r).orElse("ok"));
        }
        out.println(all ? "All parts present; every command can run."
                : "Some parts are missing; commands that need them exit with code " + IntegrationPendingException.EXIT_CODE + ".");
        out.flush();
        return all ? 0 : IntegrationPendingException.EXIT_CODE;
    }
}
