package io.pxj.win32;

import io.pxj.win32.raw.Constants;

/**
 * Body of a {@link PoolWait} (PTP_WAIT_CALLBACK): runs on a pool thread when the handle is signalled
 * ({@code waitResult == WAIT_OBJECT_0 (0)}) or the timeout elapsed ({@code WAIT_TIMEOUT (258)}). A wait fires
 * at most once per {@link PoolWait#set}. Throwables are caught, counted and logged.
 */
@FunctionalInterface
public interface WaitCallback {
    int WAIT_OBJECT_0 = Constants.WAIT_OBJECT_0;
    int WAIT_TIMEOUT = Constants.WAIT_TIMEOUT;

    void onWait(int waitResult);
}
