package io.pxj.demo;

import picocli.CommandLine;

/**
 * The version from the jar manifest (Implementation-Version), or "dev" outside the jar. Its own class so the
 * commands name it without depending on {@code Main}. Threading: stateless, thread-safe.
 */
public final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"PxJ threadpool-demo " + version(),
                "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + "), "
                        + System.getProperty("os.name") + " " + System.getProperty("os.arch")};
    }

    /** The manifest version, or "dev". */
    public static String version() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v != null ? v : "dev";
    }
}
