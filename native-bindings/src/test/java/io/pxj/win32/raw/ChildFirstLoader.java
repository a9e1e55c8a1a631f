package io.pxj.win32.raw;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.security.CodeSource;

/**
 * Test helper: loads {@code io.pxj.*} and {@code com.sun.jna.*} classes itself (child first) from the same code
 * sources as the test's class path, so a test can observe which of them get loaded without other tests
 * interfering. {@link #isLoaded} does not load anything.
 */
public final class ChildFirstLoader extends URLClassLoader {
    public ChildFirstLoader() {
        super(new URL[] {location(Structs.class), location(com.sun.jna.Callback.class)},
                ChildFirstLoader.class.getClassLoader());
    }

    private static URL location(Class<?> c) {
        CodeSource cs = c.getProtectionDomain().getCodeSource();
        return cs.getLocation();
    }

    public boolean isLoaded(String className) {
        synchronized (getClassLoadingLock(className)) {
            return findLoadedClass(className) != null;
        }
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!name.startsWith("io.pxj.win32.") && !name.startsWith("com.sun.jna.")) {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                try {
                    c = findClass(name);
                } catch (ClassNotFoundException e) {
                    c = super.loadClass(name, false); // test classes live elsewhere
                }
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }

    @Override
    public InputStream getResourceAsStream(String name) {
        try {
            URL u = findResource(name);
            return u != null ? u.openStream() : super.getResourceAsStream(name);
        } catch (IOException e) {
            return null;
        }
    }
}
