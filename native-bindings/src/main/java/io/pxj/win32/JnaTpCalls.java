package io.pxj.win32;

import com.sun.jna.Native;

import io.pxj.win32.raw.Kernel32;
import io.pxj.win32.raw.Structs.TP_CALLBACK_ENVIRON_V3;
import io.pxj.win32.raw.ThreadpoolEnvironment;

import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link TpCalls} through JNA's direct mapping of kernel32, with {@link PoolCallbacks}' function pointers. Only used
 * on Windows. Thread-safe.
 */
final class JnaTpCalls implements TpCalls {
    static final JnaTpCalls INSTANCE = new JnaTpCalls();

    /** Environment blocks by address: they live until destroyed. */
    private final ConcurrentHashMap<Long, NativeMemory> environments = new ConcurrentHashMap<>();

    private JnaTpCalls() {
    }

    @Override
    public long CreateThreadpool() {
        return Kernel32.CreateThreadpool(0);
    }

    @Override
    public void SetThreadpoolThreadMaximum(long pool, int max) {
        Kernel32.SetThreadpoolThreadMaximum(pool, max);
    }

    @Override
    public boolean SetThreadpoolThreadMinimum(long pool, int min) {
        return Kernel32.SetThreadpoolThreadMinimum(pool, min) != 0;
    }

    @Override
    public long CreateThreadpoolCleanupGroup() {
        return Kernel32.CreateThreadpoolCleanupGroup();
    }

    @Override
    public long InitializeThreadpoolEnvironment(long pool, long group, boolean runsLong) {
        NativeMemory m = NativeMemory.allocate(TP_CALLBACK_ENVIRON_V3.SIZEOF);
        var b = m.byteBuffer(0, TP_CALLBACK_ENVIRON_V3.SIZEOF);
        ThreadpoolEnvironment.InitializeThreadpoolEnvironment(b);
        ThreadpoolEnvironment.SetThreadpoolCallbackPool(b, pool);
        if (group != 0) {
            ThreadpoolEnvironment.SetThreadpoolCallbackCleanupGroup(b, group, PoolCallbacks.CANCEL_FN);
        }
        if (runsLong) {
            ThreadpoolEnvironment.SetThreadpoolCallbackRunsLong(b);
        }
        environments.put(m.address(), m);
        return m.address();
    }

    @Override
    public void DestroyThreadpoolEnvironment(long environment) {
        NativeMemory m = environments.remove(environment);
        if (m != null) {
            m.close(); // DestroyThreadpoolEnvironment is a no-op inline function in winbase.h
        }
    }

    @Override
    public boolean TrySubmitThreadpoolCallback(long context, long environment) {
        return Kernel32.TrySubmitThreadpoolCallback(PoolCallbacks.SIMPLE_FN, context, environment) != 0;
    }

    @Override
    public long CreateThreadpoolWork(long context, long environment) {
        return Kernel32.CreateThreadpoolWork(PoolCallbacks.WORK_FN, context, environment);
    }

    @Override
    public void SubmitThreadpoolWork(long work) {
        Kernel32.SubmitThreadpoolWork(work);
    }

    @Override
    public long CreateThreadpoolIo(long handle, long context, long environment) {
        return Kernel32.CreateThreadpoolIo(handle, PoolCallbacks.IO_FN, context, environment);
    }

    @Override
    public void StartThreadpoolIo(long io) {
        Kernel32.StartThreadpoolIo(io);
    }

    @Override
    public void CancelThreadpoolIo(long io) {
        Kernel32.CancelThreadpoolIo(io);
    }

    @Override
    public long CreateThreadpoolTimer(long context, long environment) {
        return Kernel32.CreateThreadpoolTimer(PoolCallbacks.TIMER_FN, context, environment);
    }

    @Override
    public void SetThreadpoolTimer(long timer, boolean set, long dueFiletime, int periodMs, int windowMs) {
        if (!set) {
            Kernel32.SetThreadpoolTimer(timer, 0, 0, 0);
            return;
        }
        NativeMemory s = Scratch.get();
        s.putLong(0, dueFiletime);
        Kernel32.SetThreadpoolTimer(timer, s.address(), periodMs, windowMs); // FILETIME read during the call
    }

    @Override
    public boolean IsThreadpoolTimerSet(long timer) {
        return Kernel32.IsThreadpoolTimerSet(timer) != 0;
    }

    @Override
    public long CreateThreadpoolWait(long context, long environment) {
        return Kernel32.CreateThreadpoolWait(PoolCallbacks.WAIT_FN, context, environment);
    }

    @Override
    public void SetThreadpoolWait(long wait, long waitHandle, boolean hasTimeout, long timeoutFiletime) {
        long pft = 0; // NULL = wait forever
        if (hasTimeout) {
            NativeMemory s = Scratch.get();
            s.putLong(0, timeoutFiletime);
            pft = s.address();
        }
        Kernel32.SetThreadpoolWait(wait, waitHandle, pft);
    }

    @Override
    public void WaitForThreadpoolCallbacks(TpObject kind, long object, boolean cancelPending) {
        int cancel = cancelPending ? 1 : 0;
        switch (kind) {
            case WORK -> Kernel32.WaitForThreadpoolWorkCallbacks(object, cancel);
            case IO -> Kernel32.WaitForThreadpoolIoCallbacks(object, cancel);
            case TIMER -> Kernel32.WaitForThreadpoolTimerCallbacks(object, cancel);
            case WAIT -> Kernel32.WaitForThreadpoolWaitCallbacks(object, cancel);
            default -> throw new AssertionError(kind);
        }
    }

    @Override
    public void CloseThreadpoolObject(TpObject kind, long object) {
        switch (kind) {
            case WORK -> Kernel32.CloseThreadpoolWork(object);
            case IO -> Kernel32.CloseThreadpoolIo(object);
            case TIMER -> Kernel32.CloseThreadpoolTimer(object);
            case WAIT -> Kernel32.CloseThreadpoolWait(object);
            default -> throw new AssertionError(kind);
        }
    }

    @Override
    public void CloseThreadpoolCleanupGroupMembers(long group, boolean cancelPending) {
        Kernel32.CloseThreadpoolCleanupGroupMembers(group, cancelPending ? 1 : 0, 0);
    }

    @Override
    public void CloseThreadpoolCleanupGroup(long group) {
        Kernel32.CloseThreadpoolCleanupGroup(group);
    }

    @Override
    public void CloseThreadpool(long pool) {
        Kernel32.CloseThreadpool(pool);
    }

    @Override
    public boolean CallbackMayRunLong(long instance) {
        return Kernel32.CallbackMayRunLong(instance) != 0;
    }

    @Override
    public void detachCurrentThreadOnReturn() {
        Native.detach(true);
    }

    @Override
    public int lastError() {
        return Native.getLastError();
    }
}
