package io.pxj.win32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

/** CreateFileW gets the \\?\ form of the path, so paths beyond MAX_PATH open. */
class Win32FileNameTest {
    @Test
    void driveLetterPathsGetTheLongPathPrefix() {
        assertEquals("\\\\?\\C:\\www\\index.html", NativeWindowsApi.win32FileName("C:\\www\\index.html"));
    }

    @Test
    void uncPathsBecomeUncDevicePaths() {
        assertEquals("\\\\?\\UNC\\server\\share\\www\\a.bin",
                NativeWindowsApi.win32FileName("\\\\server\\share\\www\\a.bin"));
    }

    @Test
    void devicePathsAreKept() {
        assertEquals("\\\\?\\C:\\a", NativeWindowsApi.win32FileName("\\\\?\\C:\\a"));
        assertEquals("\\\\.\\pipe\\x", NativeWindowsApi.win32FileName("\\\\.\\pipe\\x"));
    }

    @Test
    void aPathLongerThanMaxPathKeepsEveryCharacter() {
        String deep = "C:\\" + "d123456789\\".repeat(30) + "file.txt"; // 341 characters
        String w = NativeWindowsApi.win32FileName(deep);
        assertEquals("\\\\?\\" + deep, w);
        assertFalse(w.contains("/"));
    }

    @Test
    void mayRunLongOutsideACallbackAsksNothing() {
        assertFalse(PoolDispatch.mayRunLong(null)); // no callback on this thread: Windows is not called
    }
}
