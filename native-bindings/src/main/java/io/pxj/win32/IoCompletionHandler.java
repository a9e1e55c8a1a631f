package io.pxj.win32;

/**
 * Receives the asynchronous completions of one {@link PoolIo} (PTP_WIN32_IO_CALLBACK), on pool threads,
 * possibly concurrently for different operations on the same handle.
 *
 * <p>{@code overlappedAddress} is the address of the OVERLAPPED the operation was started with: map it to
 * the operation (never to memory already freed). {@code ioResult} is a Win32 error code, 0 on success
 * (995 ERROR_OPERATION_ABORTED after a cancel, 64 ERROR_NETNAME_DELETED / 1236 ERROR_CONNECTION_ABORTED after
 * a reset or close...). Throwables are caught, counted and logged: nothing reaches Windows.
 */
@FunctionalInterface
public interface IoCompletionHandler {
    void onCompletion(long overlappedAddress, int ioResult, long bytesTransferred);
}
