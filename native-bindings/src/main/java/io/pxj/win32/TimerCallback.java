package io.pxj.win32;

/**
 * Body of a {@link PoolTimer} (PTP_TIMER_CALLBACK): runs on a pool thread at each expiry; a slow callback
 * may overlap with the next period's. Throwables are caught, counted and logged.
 */
@FunctionalInterface
public interface TimerCallback {
    void onTimer();
}
