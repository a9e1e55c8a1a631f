/*
 * JNI entry points for the Linux epoll transport's per-connection calls (io.pxj.linux.raw.LinuxJni).
 *
 * Why JNI beside JNA: a direct-mapped JNA call costs ~300 ns of dispatch on top of the system call, and a
 * short-lived connection makes four to five of them (accept4, read, write, close); a JNI call with primitive
 * arguments costs a few nanoseconds. Cold calls (socket, bind, options...) stay on JNA.
 *
 * Convention: every function returns the system call's result, or -errno when it failed, so no thread-local
 * errno has to be fetched in a second call. Pointers are passed as jlong addresses of native memory the Java side
 * owns. Built by native-bindings' pom on Linux (gcc -O2 -shared -fPIC); nothing here allocates or keeps state.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <jni.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#define PTR(a) ((void *) (intptr_t) (a))
#define RESULT(r) ((r) < 0 ? -(jlong) errno : (jlong) (r))

JNIEXPORT jint JNICALL Java_io_pxj_linux_raw_LinuxJni_accept4(JNIEnv *env, jclass c, jint fd, jlong addr,
                                                               jlong addrlen, jint flags) {
    int r = accept4(fd, PTR(addr), PTR(addrlen), flags);
    return (jint) RESULT(r);
}

JNIEXPORT jlong JNICALL Java_io_pxj_linux_raw_LinuxJni_read(JNIEnv *env, jclass c, jint fd, jlong buf, jlong count) {
    ssize_t r = read(fd, PTR(buf), (size_t) count);
    return RESULT(r);
}

JNIEXPORT jlong JNICALL Java_io_pxj_linux_raw_LinuxJni_write(JNIEnv *env, jclass c, jint fd, jlong buf, jlong count) {
    ssize_t r = write(fd, PTR(buf), (size_t) count);
    return RESULT(r);
}

JNIEXPORT jlong JNICALL Java_io_pxj_linux_raw_LinuxJni_writev(JNIEnv *env, jclass c, jint fd, jlong iov, jint iovcnt) {
    ssize_t r = writev(fd, PTR(iov), iovcnt);
    return RESULT(r);
}

JNIEXPORT jlong JNICALL Java_io_pxj_linux_raw_LinuxJni_sendfile(JNIEnv *env, jclass c, jint out, jint in, jlong offset,
                                                                 jlong count) {
    ssize_t r = sendfile(out, in, PTR(offset), (size_t) count);
    return RESULT(r);
}

JNIEXPORT jint JNICALL Java_io_pxj_linux_raw_LinuxJni_close(JNIEnv *env, jclass c, jint fd) {
    int r = close(fd);
    return (jint) RESULT(r);
}

JNIEXPORT jint JNICALL Java_io_pxj_linux_raw_LinuxJni_epoll_1ctl(JNIEnv *env, jclass c, jint epfd, jint op, jint fd,
                                                                  jlong event) {
    int r = epoll_ctl(epfd, op, fd, PTR(event));
    return (jint) RESULT(r);
}

JNIEXPORT jint JNICALL Java_io_pxj_linux_raw_LinuxJni_epoll_1wait(JNIEnv *env, jclass c, jint epfd, jlong events,
                                                                   jint maxevents, jint timeout) {
    int r = epoll_wait(epfd, PTR(events), maxevents, timeout);
    return (jint) RESULT(r);
}

/* The ABI version the Java side checks at load, so a stale library from an older build is refused. */
JNIEXPORT jint JNICALL Java_io_pxj_linux_raw_LinuxJni_abiVersion(JNIEnv *env, jclass c) {
    return 1;
}
