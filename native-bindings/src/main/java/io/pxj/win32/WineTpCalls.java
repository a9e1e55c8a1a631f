package io.pxj.win32;

import io.pxj.win32.WineBridge.Op;

import java.nio.ByteBuffer;

/**
 * {@link TpCalls} executed by the Wine bridge's helper: the real Wine thread-pool calls, not an emulation. The
 * helper's callback functions report to {@link WineWindowsApi}, which lands them in {@link PoolDispatch} on the
 * paired Java thread; cleanup-group cancel callbacks come back with CloseThreadpoolCleanupGroupMembers' reply.
 * Thread-safe.
 */
final class WineTpCalls implements TpCalls {
    private final WineBridge bridge;

    WineTpCalls(WineBridge bridge) {
        this.bridge = bridge;
    }

    private long handle(int op, String function, long a, long b) {
        return bridge.call(op).i64(a).i64(b).invoke(function).ret();
    }

    private void simple(int op, String function, long h) {
        bridge.call(op).i64(h).invoke(function);
    }


    @Override
    public long CreateThreadpool() {
        return bridge.call(Op.TP_CREATE_POOL).invoke("CreateThreadpool").ret();
    }

    @Override
    public void SetThreadpoolThreadMaximum(long pool, int max) {
        bridge.call(Op.TP_SET_MAX).i64(pool).i32(max).invoke("SetThreadpoolThreadMaximum");
    }

    @Override
    public boolean SetThreadpoolThreadMinimum(long pool, int min) {
        return bridge.call(Op.TP_SET_MIN).i64(pool).i32(min).invoke("SetThreadpoolThreadMinimum").ret() != 0;
    }

    @Override
    public long CreateThreadpoolCleanupGroup() {
        return bridge.call(Op.TP_CREATE_GROUP).invoke("CreateThreadpoolCleanupGroup").ret();
    }

    @Override
    public long InitializeThreadpoolEnvironment(long pool, long group, boolean runsLong) {
        return bridge.call(Op.TP_CREATE_ENV).i64(pool).i64(group).bool(runsLong)
                .invoke("InitializeThreadpoolEnvironment").ret();
    }

    @Override
    public void DestroyThreadpoolEnvironment(long environment) {
        simple(Op.TP_DESTROY_ENV, "DestroyThreadpoolEnvironment", environment);
    }

    @Override
    public boolean TrySubmitThreadpoolCallback(long context, long environment) {
        return handle(Op.TP_TRY_SUBMIT, "TrySubmitThreadpoolCallback", context, environment) != 0;
    }

    @Override
    public long CreateThreadpoolWork(long context, long environment) {
        return handle(Op.TP_CREATE_WORK, "CreateThreadpoolWork", context, environment);
    }

    @Override
    public void SubmitThreadpoolWork(long work) {
        simple(Op.TP_SUBMIT_WORK, "SubmitThreadpoolWork", work);
    }

    @Override
    public long CreateThreadpoolIo(long handle, long context, long environment) {
        return bridge.call(Op.TP_CREATE_IO).i64(handle).i64(context).i64(environment)
                .invoke("CreateThreadpoolIo").ret();
    }

    @Override
    public void StartThreadpoolIo(long io) {
        simple(Op.TP_START_IO, "StartThreadpoolIo", io);
    }

    @Override
    public void CancelThreadpoolIo(long io) {
        simple(Op.TP_CANCEL_IO, "CancelThreadpoolIo", io);
    }

    @Override
    public long CreateThreadpoolTimer(long context, long environment) {
        return handle(Op.TP_CREATE_TIMER, "CreateThreadpoolTimer", context, environment);
    }

    @Override
    public void SetThreadpoolTimer(long timer, boolean set, long dueFiletime, int periodMs, int windowMs) {
        bridge.call(Op.TP_SET_TIMER).i64(timer).bool(set).i64(dueFiletime).i32(periodMs).i32(windowMs)
                .invoke("SetThreadpoolTimer");
    }

    @Override
    public boolean IsThreadpoolTimerSet(long timer) {
        return bridge.call(Op.TP_IS_TIMER_SET).i64(timer).invoke("IsThreadpoolTimerSet").ret() != 0;
    }

    @Override
    public long CreateThreadpoolWait(long context, long environment) {
        return handle(Op.TP_CREATE_WAIT, "CreateThreadpoolWait", context, environment);
    }

    @Override
    public void SetThreadpoolWait(long wait, long waitHandle, boolean hasTimeout, long timeoutFiletime) {
        bridge.call(Op.TP_SET_WAIT).i64(wait).i64(waitHandle).bool(hasTimeout).i64(timeoutFiletime)
                .invoke("SetThreadpoolWait");
    }

    /** Waits for callbacks (which may run for long): liveness-checked, no deadline. */
    @Override
    public void WaitForThreadpoolCallbacks(TpObject kind, long object, boolean cancelPending) {
        int op = switch (kind) {
            case WORK -> Op.TP_WAIT_WORK;
            case IO -> Op.TP_WAIT_IO;
            case TIMER -> Op.TP_WAIT_TIMER;
            case WAIT -> Op.TP_WAIT_WAIT;
        };
        bridge.call(op).i64(object).bool(cancelPending).invoke(kind.waitFunction, WineBridge.NO_DEADLINE);
    }

    @Override
    public void CloseThreadpoolObject(TpObject kind, long object) {
        int op = switch (kind) {
            case WORK -> Op.TP_CLOSE_WORK;
            case IO -> Op.TP_CLOSE_IO;
            case TIMER -> Op.TP_CLOSE_TIMER;
            case WAIT -> Op.TP_CLOSE_WAIT;
        };
        simple(op, kind.closeFunction, object);
    }

    @Override
    public void CloseThreadpoolCleanupGroupMembers(long group, boolean cancelPending) {
        ByteBuffer in = bridge.call(Op.TP_CLOSE_MEMBERS).i64(group).bool(cancelPending)
                .invoke("CloseThreadpoolCleanupGroupMembers", WineBridge.NO_DEADLINE).in();
        int n = in.getInt() / 8;
        for (int i = 0; i < n; i++) {
            PoolDispatch.cancelled(in.getLong()); // as the cancel callback would, on this (the calling) thread
        }
    }

    @Override
    public void CloseThreadpoolCleanupGroup(long group) {
        simple(Op.TP_CLOSE_GROUP, "CloseThreadpoolCleanupGroup", group);
    }

    @Override
    public void CloseThreadpool(long pool) {
        simple(Op.TP_CLOSE_POOL, "CloseThreadpool", pool);
    }

    @Override
    public boolean CallbackMayRunLong(long instance) {
        return bridge.call(Op.TP_MAY_RUN_LONG).i64(instance).invoke("CallbackMayRunLong").ret() != 0;
    }

    @Override
    public void detachCurrentThreadOnReturn() {
        // The paired Java threads are ordinary JVM threads: nothing is attached to a Wine thread.
    }

    @Override
    public int lastError() {
        return bridge.lastError();
    }
}
