package io.pxj.win32;

/**
 * Body of a {@link ThreadPool#trySubmit one-shot submission} (PTP_SIMPLE_CALLBACK). Runs on a pool thread.
 * Anything it throws is caught, counted and logged by the facade: nothing reaches Windows.
 */
@FunctionalInterface
public interface SimpleCallback {
    void run();
}
