package io.pxj.win32;

/**
 * Body of a {@link PoolWork} (PTP_WORK_CALLBACK): runs on a pool thread once per
 * {@link PoolWork#submit()}, possibly concurrently with itself. Throwables are caught, counted and logged.
 */
@FunctionalInterface
public interface WorkCallback {
    void run();
}
